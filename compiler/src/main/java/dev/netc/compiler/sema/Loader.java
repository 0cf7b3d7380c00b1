package dev.netc.compiler.sema;

import dev.netc.compiler.diag.Code;
import dev.netc.compiler.diag.Diagnostic;
import dev.netc.compiler.diag.Diagnostics;
import dev.netc.compiler.diag.Source;
import dev.netc.compiler.diag.UserError;
import dev.netc.compiler.syntax.Ast;
import dev.netc.compiler.syntax.Parser;
import dev.netc.compiler.syntax.SourceReader;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * Loads a file and, transitively, the files it imports (paths relative to the importing file). Reports import
 * cycles (with the chain), missing files, and duplicate declarations across files; a file imported twice is
 * loaded once.
 */
public final class Loader {
  private final Diagnostics diags;
  private final Map<Path, Ast.File> loaded = new LinkedHashMap<>();
  private final List<Path> stack = new ArrayList<>();

  public Loader(Diagnostics diags) { this.diags = diags; }

  /** Loads {@code path}; throws {@link UserError} if the root itself cannot be read or parsed. */
  public Program load(Path path) { return load(parse(path.normalize()), path); }

  /**
   * Loads source text that did not come from disk as if it were the file {@code path}: diagnostics name that path
   * and imports resolve against its folder. Throws {@link UserError} if the text cannot be parsed.
   */
  public Program load(Path path, String text) {
    return load(Parser.parse(new Source(path.normalize(), text)), path);
  }

  private Program load(Ast.File root, Path path) {
    Path key = key(path);
    loaded.put(key, root);
    stack.add(key);
    loadImports(root, path.normalize());
    stack.removeLast();
    return new Program(root, List.copyOf(loaded.values()).reversed(), declarations());
  }

  /**
   * Loads {@code file}'s imports, resolved against the folder of {@code shown}: the path as the user gave it
   * (relative stays relative), so that diagnostics in imported files name them as the user would.
   */
  private void loadImports(Ast.File file, Path shown) {
    Path dir = shown.getParent();
    for (Ast.Import imp : file.imports()) {
      Path target = (dir == null ? Path.of(imp.path()) : dir.resolve(imp.path())).normalize();
      Path k = key(target);
      int onStack = stack.indexOf(k);
      if (onStack >= 0) {
        List<String> chain = new ArrayList<>();
        for (Path p : stack.subList(onStack, stack.size())) chain.add(p.getFileName().toString());
        chain.add(k.getFileName().toString());
        diags.add(Diagnostic.error(Code.NET018, imp.span(), "import cycle: " + String.join(" -> ", chain)));
        continue;
      }
      if (loaded.containsKey(k)) continue;
      if (!Files.isRegularFile(target)) {
        String why = Files.isDirectory(target) ? "it is a folder" : Files.exists(target)
            ? "it is not a regular file" : "no such file " + target;
        diags.add(Diagnostic.error(Code.NET019, imp.span(), "cannot import \"" + imp.path() + "\": " + why));
        continue;
      }
      Ast.File child;
      try {
        child = parse(target);
      } catch (UserError e) {
        diags.addAll(e.diagnostics());
        continue;
      }
      loaded.put(k, child);
      stack.add(k);
      loadImports(child, target);
      stack.removeLast();
    }
  }

  private Map<String, Ast.Decl> declarations() {
    Map<String, Ast.Decl> decls = new HashMap<>();
    for (Ast.File f : loaded.values()) {
      for (Ast.Decl d : f.decls()) {
        checkParams(d);
        Ast.Decl prev = decls.putIfAbsent(d.name(), d);
        if (prev != null && prev != d) {
          diags.add(Diagnostic.error(Code.NET016, d.nameSpan(), "'" + d.name() + "' is already declared",
              new Diagnostic.Note(prev.nameSpan(), "first declared here")));
        }
      }
    }
    return decls;
  }

  private void checkParams(Ast.Decl d) {
    java.util.Set<String> names = new java.util.HashSet<>();
    for (Ast.Param p : d.params()) {
      if (!names.add(p.name())) {
        diags.add(Diagnostic.error(Code.NET016, p.span(), d.name() + ": parameter '" + p.name() + "' is declared twice"));
      }
    }
  }

  private static Ast.File parse(Path path) { return Parser.parse(SourceReader.read(path)); }

  private static Path key(Path p) {
    try {
      return p.toRealPath();
    } catch (java.io.IOException e) {
      return p.toAbsolutePath().normalize();
    }
  }
}

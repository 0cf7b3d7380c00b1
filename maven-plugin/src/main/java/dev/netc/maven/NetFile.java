package dev.netc.maven;

import com.palantir.javapoet.JavaFile;
import dev.netc.compiler.Compilation;
import dev.netc.compiler.Compiler;
import dev.netc.compiler.diag.Diagnostic;
import dev.netc.compiler.diag.DiagnosticRenderer;
import dev.netc.compiler.diag.UserError;
import dev.netc.compiler.syntax.Ast;
import java.io.IOException;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;

/**
 * One {@code .net} file through the compiler's {@link Compiler} facade, the same path as {@code netc compile}:
 * front end, optimization passes, planner, Java emitter. The result is in memory; {@link Generator} decides what to write.
 */
final class NetFile {
  private NetFile() {}

  /** What compiling a file gave: one Java file per network, the files it imports, and any warnings. */
  sealed interface Outcome permits Compiled, Failed {}

  /** @param imports every file the input imports, directly or not (absolute real paths), without the input */
  record Compiled(List<JavaFile> classes, List<Path> imports, List<Diagnostic> warnings) implements Outcome {}

  /**
   * @param lines what to print: each diagnostic rendered with its source line and caret, headline first
   *     ({@code /abs/path/file.net:3:7: error[NET001]: ...})
   * @param errors how many errors the lines describe
   */
  record Failed(List<String> lines, int errors) implements Outcome {
    static Failed of(List<Diagnostic> diagnostics) {
      DiagnosticRenderer renderer = new DiagnosticRenderer(false);
      List<String> lines = new ArrayList<>();
      for (Diagnostic d : diagnostics) lines.addAll(renderer.render(d).lines().toList());
      return new Failed(lines, (int) diagnostics.stream().filter(Diagnostic::isError).count());
    }
  }

  /**
   * As {@link #compile}, but a failure of the compiler itself (a bug, never the user's mistake) is rethrown naming
   * the file, so the build says which model to report it with.
   */
  static Outcome compileOrExplain(Path file, String packageName) {
    try {
      return compile(file, packageName);
    } catch (RuntimeException | InternalError e) {
      throw new CompilerFailure(file, e);
    }
  }

  /** The compiler failed on a file with something other than diagnostics. */
  static final class CompilerFailure extends RuntimeException {
    CompilerFailure(Path file, Throwable cause) {
      super("the netc compiler failed on " + file + " (a compiler bug; please report it with that file): " + cause,
          cause);
    }
  }

  /** Compiles every network declared in {@code file} (an absolute path) into {@code packageName}. */
  static Outcome compile(Path file, String packageName) {
    Compilation r;
    try {
      r = Compiler.compile(Compiler.Options.file(file).withPackage(packageName));
    } catch (UserError e) {
      return Failed.of(e.diagnostics());
    }
    List<JavaFile> classes = new ArrayList<>();
    for (Compilation.Network n : r.networks()) {
      try {
        classes.add(n.java());
      } catch (UnsupportedOperationException e) {
        // A valid network the Java emitter cannot generate yet: the user's build fails, naming the network.
        Ast.NetworkDecl decl = r.program().network(n.name());
        String at = decl == null ? file.toString() : decl.nameSpan().location();
        return new Failed(List.of(at + ": error: network " + n.name() + " cannot be compiled to Java: "
            + e.getMessage()), 1);
      }
    }
    return new Compiled(classes, imports(r), r.warnings());
  }

  private static List<Path> imports(Compilation r) {
    Path root = r.program().root().source().path();
    List<Path> out = new ArrayList<>();
    for (Ast.File f : r.program().files()) {
      Path p = real(f.source().path());
      if (!p.equals(real(root))) out.add(p);
    }
    return out;
  }

  static Path real(Path p) {
    try {
      return p.toRealPath();
    } catch (IOException e) {
      return p.toAbsolutePath().normalize();
    }
  }
}

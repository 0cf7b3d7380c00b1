package dev.netc.compiler.sema;

import dev.netc.compiler.syntax.Ast;
import java.util.List;
import java.util.Map;

/**
 * A root file with everything it imports, parsed: the declarations visible from the root by name, and the
 * files in load order (imports first). Built by {@link Loader}.
 */
public record Program(Ast.File root, List<Ast.File> files, Map<String, Ast.Decl> decls) {
  public Program {
    files = List.copyOf(files);
    decls = Map.copyOf(decls);
  }

  public List<Ast.NetworkDecl> networks() {
    return root.decls().stream().filter(d -> d instanceof Ast.NetworkDecl).map(d -> (Ast.NetworkDecl) d).toList();
  }

  public Ast.BlockDecl block(String name) { return decls.get(name) instanceof Ast.BlockDecl b ? b : null; }

  public Ast.NetworkDecl network(String name) { return decls.get(name) instanceof Ast.NetworkDecl n ? n : null; }
}

package dev.netc.compiler;

import dev.netc.compiler.diag.Code;
import dev.netc.compiler.diag.Diagnostic;
import dev.netc.compiler.diag.Diagnostics;
import dev.netc.compiler.diag.Span;
import dev.netc.compiler.diag.UserError;
import dev.netc.compiler.ir.Graph;
import dev.netc.compiler.ops.Value;
import dev.netc.compiler.sema.Elaborator;
import dev.netc.compiler.sema.Loader;
import dev.netc.compiler.sema.Program;
import dev.netc.compiler.sema.RecursionCheck;
import dev.netc.compiler.sema.Suggest;
import dev.netc.compiler.syntax.Ast;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;

/**
 * The front half of the pipeline as one call: load a file and its imports, check the blocks, and elaborate
 * networks to typed graphs. Throws {@link UserError} with every diagnostic found if anything is wrong.
 */
public final class Frontend {
  private static final java.util.Set<Code> LOAD_ERRORS = java.util.EnumSet.of(Code.NET001, Code.NET002, Code.NET003,
      Code.NET004, Code.NET018, Code.NET019);

  private Frontend() {}

  /** The loaded program and its elaborated networks (only the ones asked for). */
  public record Result(Program program, List<Graph> graphs, List<Diagnostic> warnings) {}

  /**
   * @param network a network name, or null for every network declared in the file itself
   * @param params overrides of network parameters (name to value)
   */
  public static Result compile(Path file, String network, Map<String, Value> params) {
    return compile(file, network, params, Map.of());
  }

  /** As above, with input shapes overridden (input name to dims without batch). */
  public static Result compile(Path file, String network, Map<String, Value> params,
      Map<String, List<Integer>> inputShapes) {
    Diagnostics diags = new Diagnostics();
    Program program = new Loader(diags).load(file);
    // Files that failed to load would only echo as unknown names: stop. Duplicates and recursion do not
    // stop elaboration (the first declaration wins; the elaborator refuses recursive expansion), so one run
    // shows them together with everything else.
    if (diags.all().stream().anyMatch(d -> d.isError() && LOAD_ERRORS.contains(d.code()))) diags.throwIfErrors();
    RecursionCheck.check(program, diags);
    List<Ast.NetworkDecl> nets = select(program, network, file);
    List<Graph> graphs = new ArrayList<>();
    for (Ast.NetworkDecl net : nets) {
      Map<String, Value> own = new java.util.LinkedHashMap<>();
      params.forEach((k, v) -> {
        if (net.params().stream().anyMatch(p -> p.name().equals(k))) own.put(k, v);
        else if (network != null || nets.size() == 1) {
          diags.add(Diagnostic.error(Code.NET011, net.nameSpan(), "network " + net.name() + " has no parameter '" + k
              + "'" + Suggest.hint(k, net.params().stream().map(Ast.Param::name).toList())));
        }
      });
      graphs.add(Elaborator.elaborate(program, net, own, inputShapes, diags));
    }
    diags.throwIfErrors();
    return new Result(program, graphs, diags.all());
  }

  private static List<Ast.NetworkDecl> select(Program program, String network, Path file) {
    if (network == null) return program.networks();
    Ast.NetworkDecl n = program.network(network);
    if (n == null) {
      List<String> names = program.decls().values().stream().filter(d -> d instanceof Ast.NetworkDecl)
          .map(Ast.Decl::name).toList();
      throw new UserError(Diagnostic.error(Code.NET026, new Span(program.root().source(), 0, 0),
          "no network named '" + network + "' in " + file + Suggest.hint(network, names)
              + (names.isEmpty() ? "" : "; networks: " + String.join(", ", names))));
    }
    return List.of(n);
  }
}

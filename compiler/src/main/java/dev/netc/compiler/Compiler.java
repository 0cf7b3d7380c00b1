package dev.netc.compiler;

import dev.netc.compiler.diag.Code;
import dev.netc.compiler.diag.Diagnostic;
import dev.netc.compiler.diag.Diagnostics;
import dev.netc.compiler.diag.Span;
import dev.netc.compiler.diag.UserError;
import dev.netc.compiler.emit.java.EmitOptions;
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
import java.util.Collections;
import java.util.EnumSet;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.Set;

/**
 * The compiler's front door: a {@code .net} file (or text) through parse, elaboration (names, imports, blocks,
 * shapes), and on demand analysis, optimization, planning and emission. Every caller (the command line, the Maven
 * plugin, benchmarks, tests) goes through here rather than chaining the stages itself.
 *
 * <pre>{@code
 * Compilation c = Compiler.compile(Compiler.Options.file(path).withNetwork("resnet50"));
 * JavaFile java = c.networks().getFirst().java();
 * }</pre>
 *
 * {@link #compile} runs the front end at once and throws {@link UserError} with every diagnostic found if the
 * program is wrong; the later stages run when their result is first asked for ({@link Compilation.Network}).
 */
public final class Compiler {
  /** Load failures after which elaboration would only echo them as unknown names. */
  private static final Set<Code> LOAD_ERRORS = EnumSet.of(Code.NET001, Code.NET002, Code.NET003, Code.NET004,
      Code.NET018, Code.NET019);

  private Compiler() {}

  /**
   * What to compile and how.
   *
   * @param file the {@code .net} file; with {@code text}, the path the text is known by (diagnostics name it,
   *     imports resolve against its folder)
   * @param text the source text, or null to read {@code file}
   * @param network a network name, or null for every network declared in the file itself
   * @param params overrides of network parameters (name to value); with several networks, each takes the ones
   *     it declares
   * @param inputShapes overrides of input shapes (input name to dims without batch)
   * @param batch the batch size of reports and plan figures
   * @param optimize whether the optimization passes run before planning (off: the graph is planned as written)
   * @param packageName the Java package of generated classes
   * @param compilerVersion the version recorded in generated classes
   */
  public record Options(Path file, String text, String network, Map<String, Value> params,
      Map<String, List<Integer>> inputShapes, int batch, boolean optimize, String packageName,
      String compilerVersion) {
    public Options {
      Objects.requireNonNull(file, "file");
      params = Collections.unmodifiableMap(new LinkedHashMap<>(params));
      inputShapes = Collections.unmodifiableMap(new LinkedHashMap<>(inputShapes));
      if (batch < 1) throw new IllegalArgumentException("batch must be at least 1, got " + batch);
      Objects.requireNonNull(packageName, "packageName");
      Objects.requireNonNull(compilerVersion, "compilerVersion");
    }

    /** Every network of {@code file}, as written, optimized, into the default package, batch 1. */
    public static Options file(Path file) {
      return new Options(file, null, null, Map.of(), Map.of(), 1, true, EmitOptions.DEFAULT_PACKAGE,
          Version.version());
    }

    /** Source text that is not on disk, known as {@code file}. */
    public static Options text(Path file, String text) { return file(file).withText(Objects.requireNonNull(text)); }

    public Options withText(String t) {
      return new Options(file, t, network, params, inputShapes, batch, optimize, packageName, compilerVersion);
    }

    public Options withNetwork(String n) {
      return new Options(file, text, n, params, inputShapes, batch, optimize, packageName, compilerVersion);
    }

    public Options withParams(Map<String, Value> p) {
      return new Options(file, text, network, p, inputShapes, batch, optimize, packageName, compilerVersion);
    }

    public Options withInputShapes(Map<String, List<Integer>> s) {
      return new Options(file, text, network, params, s, batch, optimize, packageName, compilerVersion);
    }

    public Options withBatch(int b) {
      return new Options(file, text, network, params, inputShapes, b, optimize, packageName, compilerVersion);
    }

    public Options withOptimize(boolean o) {
      return new Options(file, text, network, params, inputShapes, batch, o, packageName, compilerVersion);
    }

    public Options withPackage(String p) {
      return new Options(file, text, network, params, inputShapes, batch, optimize, p, compilerVersion);
    }

    public Options withCompilerVersion(String v) {
      return new Options(file, text, network, params, inputShapes, batch, optimize, packageName, v);
    }
  }

  /** Every network of {@code file} with the default options. */
  public static Compilation compile(Path file) { return compile(Options.file(file)); }

  /**
   * Loads the file and its imports, checks the blocks, and elaborates the networks asked for to typed graphs.
   * Throws {@link UserError} with every diagnostic found if anything is wrong.
   */
  public static Compilation compile(Options options) {
    Diagnostics diags = new Diagnostics();
    Loader loader = new Loader(diags);
    Program program = options.text() == null ? loader.load(options.file())
        : loader.load(options.file(), options.text());
    // Files that failed to load would only echo as unknown names: stop. Duplicates and recursion do not
    // stop elaboration (the first declaration wins; the elaborator refuses recursive expansion), so one run
    // shows them together with everything else.
    if (diags.all().stream().anyMatch(d -> d.isError() && LOAD_ERRORS.contains(d.code()))) diags.throwIfErrors();
    RecursionCheck.check(program, diags);
    List<Ast.NetworkDecl> nets = select(program, options);
    List<Graph> graphs = new ArrayList<>();
    for (Ast.NetworkDecl net : nets) {
      Map<String, Value> own = new LinkedHashMap<>();
      options.params().forEach((k, v) -> {
        if (declares(net, k)) own.put(k, v);
        else if (options.network() != null || nets.size() == 1) {
          diags.add(Diagnostic.error(Code.NET011, net.nameSpan(), "network " + net.name() + " has no parameter '" + k
              + "'" + Suggest.hint(k, net.params().stream().map(Ast.Param::name).toList())));
        }
      });
      graphs.add(Elaborator.elaborate(program, net, own, options.inputShapes(), diags));
    }
    diags.throwIfErrors();
    return new Compilation(options, program, graphs, diags.all());
  }

  /**
   * Network {@code name} of an already loaded program elaborated again with other input shapes (the parameters of
   * {@code options} it declares apply). Throws {@link UserError} if the network cannot take them.
   */
  static Graph elaborate(Program program, Options options, String name, Map<String, List<Integer>> inputShapes) {
    Ast.NetworkDecl net = program.network(name);
    Map<String, Value> own = new LinkedHashMap<>();
    options.params().forEach((k, v) -> {
      if (declares(net, k)) own.put(k, v);
    });
    Diagnostics diags = new Diagnostics();
    Graph g = Elaborator.elaborate(program, net, own, inputShapes, diags);
    diags.throwIfErrors();
    return g;
  }

  private static boolean declares(Ast.NetworkDecl net, String param) {
    return net.params().stream().anyMatch(p -> p.name().equals(param));
  }

  private static List<Ast.NetworkDecl> select(Program program, Options options) {
    String network = options.network();
    if (network == null) return program.networks();
    Ast.NetworkDecl n = program.network(network);
    if (n == null) {
      List<String> names = program.decls().values().stream().filter(d -> d instanceof Ast.NetworkDecl)
          .map(Ast.Decl::name).toList();
      throw new UserError(Diagnostic.error(Code.NET026, new Span(program.root().source(), 0, 0),
          "no network named '" + network + "' in " + options.file() + Suggest.hint(network, names)
              + (names.isEmpty() ? "" : "; networks: " + String.join(", ", names))));
    }
    return List.of(n);
  }
}

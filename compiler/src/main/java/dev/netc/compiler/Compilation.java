package dev.netc.compiler;

import com.palantir.javapoet.JavaFile;
import dev.netc.compiler.analysis.CompiledStats;
import dev.netc.compiler.analysis.Liveness;
import dev.netc.compiler.analysis.NetworkReport;
import dev.netc.compiler.analysis.Totals;
import dev.netc.compiler.diag.Diagnostic;
import dev.netc.compiler.diag.UserError;
import dev.netc.compiler.emit.java.CompiledNetwork;
import dev.netc.compiler.emit.java.EmitOptions;
import dev.netc.compiler.emit.java.JavaEmitter;
import dev.netc.compiler.ir.Fused;
import dev.netc.compiler.ir.Graph;
import dev.netc.compiler.ir.Input;
import dev.netc.compiler.ir.Node;
import dev.netc.compiler.opt.Pipeline;
import dev.netc.compiler.plan.Plan;
import dev.netc.compiler.plan.Planner;
import dev.netc.compiler.sema.Program;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * What {@link Compiler#compile} made of a source: the loaded program, its warnings, and one {@link Network} per
 * network asked for, whose later stages (report, optimized graph, plan, Java source, loaded class) are computed
 * when first asked for and then kept. Not safe for concurrent use.
 */
public final class Compilation {
  private final Compiler.Options options;
  private final Program program;
  private final List<Network> networks;
  private final List<Diagnostic> warnings;

  Compilation(Compiler.Options options, Program program, List<Graph> graphs, List<Diagnostic> warnings) {
    this.options = options;
    this.program = program;
    this.warnings = List.copyOf(warnings);
    List<Network> nets = new ArrayList<>();
    for (Graph g : graphs) nets.add(new Network(g));
    this.networks = List.copyOf(nets);
  }

  public Compiler.Options options() { return options; }

  /** The root file, its imports (transitively) and every declaration. */
  public Program program() { return program; }

  /** The root file's source text, as compiled. */
  public String source() { return program.root().source().text(); }

  /** Diagnostics that did not stop compilation (warnings). */
  public List<Diagnostic> warnings() { return warnings; }

  /** The networks asked for, in declaration order. */
  public List<Network> networks() { return networks; }

  /** Each network's elaborated, shape-checked graph. */
  public List<Graph> graphs() { return networks.stream().map(Network::graph).toList(); }

  /** One network through the stages after the front end. */
  public final class Network {
    private final Graph graph;
    private NetworkReport report;
    private List<Pipeline.Step> passes;
    private Plan plan;
    private JavaFile java;
    private CompiledNetwork compiled;

    private Network(Graph graph) { this.graph = graph; }

    public String name() { return graph.name(); }

    /** The elaborated graph, every node typed: the network as written. */
    public Graph graph() { return graph; }

    /** Counts, memory and receptive fields of the graph as written, at the options' batch size. */
    public NetworkReport report() {
      if (report == null) report = NetworkReport.of(graph, options.batch());
      return report;
    }

    /**
     * The optimization passes applied in order: the first step is the graph as written (no pass), each later one
     * a pass's result and time. With optimization off, only the first step.
     */
    public List<Pipeline.Step> passes() {
      if (passes == null) {
        passes = options.optimize() ? Pipeline.trace(graph) : List.of(new Pipeline.Step(null, graph, false, 0));
      }
      return passes;
    }

    /** The graph the plan is made from: after every pass, or as written with optimization off. */
    public Graph optimized() { return passes().getLast().graph(); }

    /** Kernel steps, layouts and arena offsets of the optimized graph. */
    public Plan plan() {
      if (plan == null) plan = Planner.plan(optimized());
      return plan;
    }

    /** Package, class name and provenance of this network's generated class. */
    public EmitOptions emitOptions() {
      return EmitOptions.of(name(), source(), options.compilerVersion()).withPackage(options.packageName());
    }

    /**
     * The generated Java class on the netc runtime. Throws {@link UnsupportedOperationException} for a valid
     * network the Java emitter cannot generate yet.
     */
    public JavaFile java() {
      if (java == null) java = JavaEmitter.emit(plan(), emitOptions());
      return java;
    }

    /** The generated class compiled in memory and loaded into this JVM, ready for sessions. */
    public CompiledNetwork compiled() {
      if (compiled == null) compiled = CompiledNetwork.compile(plan(), emitOptions());
      return compiled;
    }

    /**
     * What optimization and planning make of the network, beside the graph as written, at the options' batch
     * size: layers, fused kernels, plan steps, counts after optimization and the planned arena.
     */
    public CompiledStats compiledStats() {
      Graph optimized = optimized();
      int batch = options.batch();
      int fused = 0;
      for (Node n : optimized.nodes()) {
        if (n.op() instanceof Fused f && (f.norm() != null || f.residual() || f.act() != null)) fused++;
      }
      int[] kinds = new int[Plan.Step.Kind.values().length];
      for (Plan.Step s : plan().steps()) kinds[s.kind().ordinal()]++;
      Totals after = Totals.of(optimized, batch);
      long perFloat = Liveness.BYTES_PER_ELEMENT;
      return new CompiledStats(layers(graph), layers(optimized), fused, kinds[Plan.Step.Kind.COMPUTE.ordinal()],
          kinds[Plan.Step.Kind.RELAYOUT.ordinal()], kinds[Plan.Step.Kind.WRITE_OUTPUT.ordinal()], after.macs(),
          after.otherOps(), Math.multiplyExact(plan().arenaFloats(batch), perFloat),
          Math.multiplyExact(Math.multiplyExact(plan().batchedLowerBound(), batch), perFloat));
    }

    /**
     * This network elaborated again from the loaded program with some inputs at other sizes (input name to dims
     * without batch, over the options' own); the options' parameters apply. Throws {@link UserError} if the
     * network cannot take those sizes.
     */
    public Network resized(Map<String, List<Integer>> inputShapes) {
      Map<String, List<Integer>> all = new LinkedHashMap<>(options.inputShapes());
      all.putAll(inputShapes);
      return new Network(Compiler.elaborate(program, options, name(), all));
    }

    private static int layers(Graph g) {
      return (int) g.nodes().stream().filter(n -> !(n.op() instanceof Input)).count();
    }
  }
}

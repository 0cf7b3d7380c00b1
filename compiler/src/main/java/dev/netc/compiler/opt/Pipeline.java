package dev.netc.compiler.opt;

import dev.netc.compiler.ir.Graph;
import java.util.ArrayList;
import java.util.List;
import java.util.function.UnaryOperator;

/**
 * The optimization passes, in order, with why each is where it is. Each pass is a pure {@code Graph -> Graph}
 * that returns the same object when it changes nothing. {@link #run} can report the graph after each pass
 * ({@code netc plan --dump-after}).
 */
public final class Pipeline {
  /** A named pass. */
  public record Pass(String name, String why, UnaryOperator<Graph> run) {}

  public static final List<Pass> PASSES = List.of(
      new Pass("remove-identities", "dropout and no-op reshapes vanish first, so fusion sees producer and user adjacent",
          RemoveIdentities::run),
      new Pass("eliminate-dead-code", "layers no output needs (e.g. unused branches) cost nothing from here on",
          EliminateDeadCode::run),
      new Pass("fold-batchnorm", "a batchnorm after a conv/linear becomes a weight rescale at load time: no pass over memory",
          FoldBatchNorm::run),
      new Pass("fuse-epilogue", "residual adds and activations join the producing kernel's final store",
          FuseEpilogue::run),
      new Pass("fuse-elementwise", "what no kernel could take (a batchnorm and relu after a concat or pool) runs as "
          + "one pass over memory; after fuse-epilogue, so convolutions keep first claim on their epilogues",
          FuseElementwise::run));

  private Pipeline() {}

  /** One pass's result, for dumps and tests. */
  public record Step(Pass pass, Graph graph, boolean changed, long nanos) {}

  public static Graph run(Graph g) { return trace(g).getLast().graph(); }

  /** Runs every pass, keeping each intermediate graph (the first entry is the input, with a null pass). */
  public static List<Step> trace(Graph g) {
    List<Step> steps = new ArrayList<>();
    steps.add(new Step(null, g, false, 0));
    for (Pass p : PASSES) {
      long t0 = System.nanoTime();
      Graph next = p.run().apply(g);
      steps.add(new Step(p, next, next != g, System.nanoTime() - t0));
      g = next;
    }
    return steps;
  }

  public static Pass pass(String name) {
    return PASSES.stream().filter(p -> p.name().equals(name)).findFirst().orElse(null);
  }
}

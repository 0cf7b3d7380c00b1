package dev.netc.cli;

import dev.netc.compiler.analysis.CompiledStats;
import dev.netc.compiler.analysis.Liveness;
import dev.netc.compiler.analysis.Totals;
import dev.netc.compiler.ir.Fused;
import dev.netc.compiler.ir.Graph;
import dev.netc.compiler.ir.Input;
import dev.netc.compiler.ir.Node;
import dev.netc.compiler.opt.Pipeline;
import dev.netc.compiler.plan.Plan;
import dev.netc.compiler.plan.Planner;

/**
 * The figures of {@code netc report} that need the optimizer and the planner: the network as written against the
 * network as it will run (layers, fused kernels, plan steps, counts, arena). Computed here, where the command
 * joins the two branches of the pipeline, so that analysis stays independent of optimization.
 */
final class PlanFigures {
  private PlanFigures() {}

  static CompiledStats of(Graph g, int batch) {
    Graph optimized = Pipeline.run(g);
    Plan plan = Planner.plan(optimized);
    int fused = 0;
    for (Node n : optimized.nodes()) {
      if (n.op() instanceof Fused f && (f.norm() != null || f.residual() || f.act() != null)) fused++;
    }
    int[] kinds = new int[Plan.Step.Kind.values().length];
    for (Plan.Step s : plan.steps()) kinds[s.kind().ordinal()]++;
    Totals after = Totals.of(optimized, batch);
    long perFloat = Liveness.BYTES_PER_ELEMENT;
    return new CompiledStats(layers(g), layers(optimized), fused, kinds[Plan.Step.Kind.COMPUTE.ordinal()],
        kinds[Plan.Step.Kind.RELAYOUT.ordinal()], kinds[Plan.Step.Kind.WRITE_OUTPUT.ordinal()], after.macs(),
        after.otherOps(), Math.multiplyExact(plan.arenaFloats(batch), perFloat),
        Math.multiplyExact(Math.multiplyExact(plan.batchedLowerBound(), batch), perFloat));
  }

  private static int layers(Graph g) {
    return (int) g.nodes().stream().filter(n -> !(n.op() instanceof Input)).count();
  }
}

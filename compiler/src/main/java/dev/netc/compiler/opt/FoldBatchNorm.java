package dev.netc.compiler.opt;

import dev.netc.compiler.ir.BatchNorm;
import dev.netc.compiler.ir.Conv;
import dev.netc.compiler.ir.ConvTranspose;
import dev.netc.compiler.ir.Fused;
import dev.netc.compiler.ir.Graph;
import dev.netc.compiler.ir.Linear;
import dev.netc.compiler.ir.Node;
import dev.netc.compiler.ir.Param;
import java.util.ArrayList;
import java.util.List;

/**
 * Folds a batchnorm into the conv, transposed conv or linear layer that alone feeds it: the pair becomes one
 * {@link Fused} node whose weights and bias are scaled at load time by generated code (weights arrive at run
 * time, so the arithmetic cannot happen here). The fused node keeps both layers' tensor names.
 * Pre: the producer's output is read only by the batchnorm and is not a graph output.
 */
public final class FoldBatchNorm {
  private FoldBatchNorm() {}

  public static Graph run(Graph g) {
    Uses uses = new Uses(g);
    Rewrite r = new Rewrite(g);
    for (Node bn : g.nodes()) {
      if (!(bn.op() instanceof BatchNorm norm)) continue;
      Node producer = g.node(bn.inputs().getFirst());
      if (uses.soleUser(producer.id()) != bn.id()) continue;
      Fused fused = switch (producer.op()) {
        case Conv c -> new Fused(c, norm, null, false);
        case ConvTranspose t -> new Fused(t, norm, null, false);
        case Linear l -> producer.type().rank() == 1 || bnOverLastDim(producer) ? new Fused(l, norm, null, false) : null;
        case Fused f when f.norm() == null && !f.residual() && f.act() == null -> f.withNorm(norm);
        default -> null;
      };
      if (fused == null) continue;
      List<Param> params = new ArrayList<>(producer.params());
      params.addAll(bn.params());
      r.replace(producer.id(), fused, producer.inputs(), params);
      r.remove(bn.id(), producer.id());
    }
    return r.apply();
  }

  /** BatchNorm1d normalizes dim 1 (channels); after a linear on [N, F] that is the feature dim. */
  private static boolean bnOverLastDim(Node linear) { return linear.type().rank() == 1; }
}

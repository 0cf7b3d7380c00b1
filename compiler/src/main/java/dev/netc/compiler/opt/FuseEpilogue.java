package dev.netc.compiler.opt;

import dev.netc.compiler.ir.Activation;
import dev.netc.compiler.ir.Add;
import dev.netc.compiler.ir.Fused;
import dev.netc.compiler.ir.Graph;
import dev.netc.compiler.ir.Node;
import java.util.List;

/**
 * Fuses what follows a conv or linear into its final store, in the order the runtime's epilogue applies it:
 * a residual add (of an equal-shape tensor), then an activation. Rules, each on a producer read only by the
 * next node:
 * <ul>
 *   <li>{@code conv → add(·, r)} becomes {@code fused(conv, residual r)}, placed where the add was (r may be
 *       computed after the conv, e.g. a projection shortcut);
 *   <li>{@code conv|fused → act} becomes {@code fused(..., act)} when no activation is fused yet.
 * </ul>
 * Runs to a fixpoint, so {@code conv → bn → add → relu} (after {@link FoldBatchNorm}) ends as one node.
 */
public final class FuseEpilogue {
  private FuseEpilogue() {}

  public static Graph run(Graph g) {
    Graph prev;
    do {
      prev = g;
      g = once(g);
    } while (g != prev);
    return g;
  }

  private static Graph once(Graph g) {
    Uses uses = new Uses(g);
    Rewrite r = new Rewrite(g);
    boolean[] touched = new boolean[g.nodes().size()];
    for (Node p : g.nodes()) {
      Fused base = Fused.of(p.op());
      if (base == null || touched[p.id()]) continue;
      int u = uses.soleUser(p.id());
      if (u < 0 || touched[u]) continue;
      Node user = g.node(u);
      if (user.op() instanceof Add && user.inputs().size() == 2 && !base.residual() && base.act() == null) {
        int other = user.inputs().get(0) == p.id() ? user.inputs().get(1) : user.inputs().get(0);
        if (other == p.id() || !g.node(other).type().equals(p.type())) continue;
        List<Integer> ins = List.of(p.inputs().getFirst(), other);
        r.replace(p.id(), base.withResidual(), ins, p.params());
        r.remove(u, p.id());
        if (other > p.id()) r.moveAfter(p.id(), u);
        touched[p.id()] = touched[u] = true;
      } else if (user.op() instanceof Activation a && base.act() == null && a.kind() != Activation.Kind.IDENTITY) {
        r.replace(p.id(), base.withAct(a), p.inputs(), p.params());
        r.remove(u, p.id());
        touched[p.id()] = touched[u] = true;
      }
    }
    return r.apply();
  }



}

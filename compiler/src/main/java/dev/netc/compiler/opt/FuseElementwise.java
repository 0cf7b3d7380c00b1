package dev.netc.compiler.opt;

import dev.netc.compiler.ir.Activation;
import dev.netc.compiler.ir.ElementwiseChain;
import dev.netc.compiler.ir.Graph;
import dev.netc.compiler.ir.Node;
import dev.netc.compiler.ir.Op;
import dev.netc.compiler.ir.Param;
import java.util.ArrayList;
import java.util.List;

/**
 * Runs consecutive unary elementwise layers as one pass over memory: a run {@code a → b → ... } of batchnorms,
 * scales and activations, each read only by the next (and no graph output), becomes one {@link ElementwiseChain}
 * node placed where the last link was, reading the first link's input and carrying the batchnorms' tensors. Such
 * runs are what is left after {@link FuseEpilogue} has fused what it can into convolutions: a batchnorm and its
 * activation after a concat (DenseNet) or a pooling, activations after an add of two non-conv tensors, and the
 * like. An existing chain counts as a run of its links, so the pass is idempotent.
 * Pre: {@link RemoveIdentities} has run (identity activations and {@code scale(1)} are gone).
 */
public final class FuseElementwise {
  private FuseElementwise() {}

  public static Graph run(Graph g) {
    Uses uses = new Uses(g);
    Rewrite r = new Rewrite(g);
    boolean[] taken = new boolean[g.nodes().size()];
    for (Node first : g.nodes()) {
      if (taken[first.id()] || !isLink(first.op()) || startsInside(g, uses, first)) continue;
      List<Node> run = new ArrayList<>(List.of(first));
      for (int next = uses.soleUser(first.id()); next >= 0 && isLink(g.node(next).op());
          next = uses.soleUser(next)) {
        run.add(g.node(next));
      }
      if (run.size() < 2) continue;
      List<Op> ops = new ArrayList<>();
      List<Param> params = new ArrayList<>();
      for (Node n : run) {
        ops.addAll(n.op() instanceof ElementwiseChain c ? c.ops() : List.of(n.op()));
        params.addAll(n.params());
        taken[n.id()] = true;
      }
      Node last = run.getLast();
      r.replace(last.id(), new ElementwiseChain(ops), first.inputs(), params);
      for (Node n : run.subList(0, run.size() - 1)) r.remove(n.id(), last.id());
    }
    return r.apply();
  }

  /** A link of a chain: a batchnorm, a scale, an activation other than a softplus (which has its own kernel). */
  static boolean isLink(Op op) {
    return switch (op) {
      case ElementwiseChain c -> true;
      case Activation a -> a.kind() != Activation.Kind.SOFTPLUS && a.kind() != Activation.Kind.IDENTITY;
      default -> ElementwiseChain.isLink(op);
    };
  }

  /** Whether {@code n} continues a run that starts earlier (its input is a link read only by it). */
  private static boolean startsInside(Graph g, Uses uses, Node n) {
    int in = n.inputs().getFirst();
    return isLink(g.node(in).op()) && uses.soleUser(in) == n.id();
  }
}

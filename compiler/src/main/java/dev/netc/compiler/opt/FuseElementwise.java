package dev.netc.compiler.opt;

import dev.netc.compiler.ir.Activation;
import dev.netc.compiler.ir.Add;
import dev.netc.compiler.ir.ElementwiseChain;
import dev.netc.compiler.ir.Graph;
import dev.netc.compiler.ir.Mul;
import dev.netc.compiler.ir.Node;
import dev.netc.compiler.ir.Op;
import dev.netc.compiler.ir.Param;
import dev.netc.compiler.ir.TensorType;
import java.util.ArrayList;
import java.util.List;

/**
 * Runs consecutive elementwise layers as one pass over memory: a run {@code a → b → ... } of batchnorms, scales,
 * activations, and adds or muls with one more tensor (of the same shape, or one value per channel: a gate), each
 * link read only by the next (and no graph output), becomes one {@link ElementwiseChain} node placed where the last
 * link was, reading the first link's input, then the adds' and muls' other tensors, and carrying the batchnorms'
 * tensors. Such runs are what is left after {@link FuseEpilogue} has fused what it can into convolutions: a
 * batchnorm and its activation after a concat (DenseNet) or a pooling, a squeeze-and-excitation gate followed by
 * the residual add and activation, and the like. An existing chain counts as a run of its links, so the pass is
 * idempotent.
 * Pre: {@link RemoveIdentities} has run (identity activations and {@code scale(1)} are gone).
 */
public final class FuseElementwise {
  private FuseElementwise() {}

  public static Graph run(Graph g) {
    Uses uses = new Uses(g);
    Rewrite r = new Rewrite(g);
    boolean[] taken = new boolean[g.nodes().size()];
    for (Node first : g.nodes()) {
      if (taken[first.id()] || !isLink(g, first) || startsInside(g, uses, first)) continue;
      List<Node> run = new ArrayList<>(List.of(first));
      // A link already in an earlier run (the product of two gated branches) ends this one.
      for (int next = uses.soleUser(first.id()); next >= 0 && !taken[next] && follows(g, g.node(next),
          run.getLast().id()); next = uses.soleUser(next)) {
        run.add(g.node(next));
      }
      if (run.size() < 2) continue;
      List<Op> ops = new ArrayList<>();
      List<Param> params = new ArrayList<>();
      List<Integer> inputs = new ArrayList<>(List.of(main(g, first, -1)));
      int prev = -1;
      for (Node n : run) {
        ops.addAll(n.op() instanceof ElementwiseChain c ? c.ops() : List.of(n.op()));
        params.addAll(n.params());
        // The other operands, in link order: a chain's own, or the add's or mul's second tensor.
        for (int in : n.inputs()) if (in != main(g, n, prev)) inputs.add(in);
        taken[n.id()] = true;
        prev = n.id();
      }
      Node last = run.getLast();
      r.replace(last.id(), new ElementwiseChain(ops), inputs, params);
      for (Node n : run.subList(0, run.size() - 1)) r.remove(n.id(), last.id());
    }
    return r.apply();
  }

  /**
   * A link of a chain: a batchnorm, a scale, an activation other than a softplus (which has its own kernel), an
   * add or mul of two tensors where one has the result's shape and the other the same or one value per channel.
   */
  static boolean isLink(Graph g, Node n) {
    return switch (n.op()) {
      case ElementwiseChain c -> true;
      case Activation a -> a.kind() != Activation.Kind.SOFTPLUS && a.kind() != Activation.Kind.IDENTITY;
      case Add a -> binaryLink(g, n);
      case Mul m -> binaryLink(g, n);
      default -> ElementwiseChain.isLink(n.op());
    };
  }

  private static boolean binaryLink(Graph g, Node n) {
    if (n.inputs().size() != 2 || n.inputs().get(0).equals(n.inputs().get(1))) return false;
    TensorType a = g.node(n.inputs().get(0)).type();
    TensorType b = g.node(n.inputs().get(1)).type();
    TensorType y = n.type();
    return a.equals(y) && (b.equals(y) || ElementwiseChain.perChannelOf(b, y))
        || b.equals(y) && ElementwiseChain.perChannelOf(a, y);
  }

  /** Whether {@code n} is a link that continues a run ending in node {@code prev} (as its main input). */
  private static boolean follows(Graph g, Node n, int prev) {
    if (!isLink(g, n)) return false;
    if (n.op() instanceof ElementwiseChain) return n.inputs().getFirst() == prev;
    int main = main(g, n, prev);
    return main == prev && g.node(prev).type().equals(n.type());
  }

  /**
   * The input a link transforms: the previous link's node when given ({@code prev ≥ 0}), else the input of the
   * result's shape (the first one for a chain or when both qualify).
   */
  private static int main(Graph g, Node n, int prev) {
    if (prev >= 0 && n.inputs().contains(prev)) return prev;
    if (n.inputs().size() == 2 && ElementwiseChain.isBinary(n.op())) {
      return g.node(n.inputs().get(0)).type().equals(n.type()) ? n.inputs().get(0) : n.inputs().get(1);
    }
    return n.inputs().getFirst();
  }

  /** Whether {@code n} continues a run that starts earlier (its main input is a link read only by it). */
  private static boolean startsInside(Graph g, Uses uses, Node n) {
    for (int in : n.inputs()) {
      if (isLink(g, g.node(in)) && uses.soleUser(in) == n.id() && follows(g, n, in)) return true;
    }
    return false;
  }
}

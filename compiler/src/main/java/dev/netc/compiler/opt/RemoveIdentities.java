package dev.netc.compiler.opt;

import dev.netc.compiler.ir.Activation;
import dev.netc.compiler.ir.Dropout;
import dev.netc.compiler.ir.Flatten;
import dev.netc.compiler.ir.Graph;
import dev.netc.compiler.ir.Node;
import dev.netc.compiler.ir.Reshape;
import dev.netc.compiler.ir.Scale;

/**
 * Removes nodes that compute nothing at inference: dropout, the identity activation, {@code scale(1)}, and
 * reshapes or flattens that keep the shape. Their users read the node's input instead.
 * Post: no such node remains; every other node is unchanged.
 */
public final class RemoveIdentities {
  private RemoveIdentities() {}

  public static Graph run(Graph g) {
    Rewrite r = new Rewrite(g);
    for (Node n : g.nodes()) {
      if (isIdentity(g, n)) r.remove(n.id(), n.inputs().getFirst());
    }
    return r.apply();
  }

  static boolean isIdentity(Graph g, Node n) {
    return switch (n.op()) {
      case Dropout d -> true;
      case Activation a -> a.kind() == Activation.Kind.IDENTITY;
      case Scale s -> s.factor() == 1 && s.shift() == 0;
      case Reshape r -> g.node(n.inputs().getFirst()).type().equals(n.type());
      case Flatten f -> g.node(n.inputs().getFirst()).type().equals(n.type());
      default -> false;
    };
  }
}

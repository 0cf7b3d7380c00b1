package dev.netc.compiler.opt;

import dev.netc.compiler.ir.Graph;
import dev.netc.compiler.ir.Node;

/**
 * Removes nodes whose results no output needs (inputs always stay: they are the model's interface).
 * Post: every node reaches an output or is an input; the removed nodes' parameters are the graph's
 * {@link Graph#detached} ones (a weights file still holds them).
 */
public final class EliminateDeadCode {
  private EliminateDeadCode() {}

  public static Graph run(Graph g) {
    boolean[] live = new boolean[g.nodes().size()];
    for (Graph.Output o : g.outputs()) live[o.node()] = true;
    for (int i = g.nodes().size() - 1; i >= 0; i--) {
      if (!live[i]) continue;
      for (int in : g.node(i).inputs()) live[in] = true;
    }
    for (int i : g.inputs()) live[i] = true;
    Rewrite r = new Rewrite(g);
    for (Node n : g.nodes()) {
      // A dead node has no live readers, so nothing is redirected to the stand-in.
      if (!live[n.id()]) r.removeDead(n.id(), g.inputs().isEmpty() ? 0 : g.inputs().getFirst());
    }
    return r.apply();
  }
}

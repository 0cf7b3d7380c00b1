package dev.netc.compiler.opt;

import dev.netc.compiler.ir.Graph;
import dev.netc.compiler.ir.Node;
import java.util.ArrayList;
import java.util.List;

/** Who reads each node's output, and whether it is a graph output: the facts fusion rules need. */
final class Uses {
  private final List<List<Integer>> users = new ArrayList<>();
  private final boolean[] isOutput;

  Uses(Graph g) {
    for (int i = 0; i < g.nodes().size(); i++) users.add(new ArrayList<>());
    for (Node n : g.nodes()) for (int i : n.inputs()) users.get(i).add(n.id());
    isOutput = new boolean[g.nodes().size()];
    for (Graph.Output o : g.outputs()) isOutput[o.node()] = true;
  }

  /** The single node reading {@code node}, or -1 if none, several, or the output is also a graph output. */
  int soleUser(int node) {
    List<Integer> u = users.get(node);
    return u.size() == 1 && !isOutput[node] ? u.getFirst() : -1;
  }
}

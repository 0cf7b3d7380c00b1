package dev.netc.compiler.opt;

import dev.netc.compiler.ir.Graph;
import dev.netc.compiler.ir.Node;
import dev.netc.compiler.ir.Op;
import dev.netc.compiler.ir.Param;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;

/**
 * An edit of a graph, applied all at once: nodes removed (their users read another node instead), nodes replaced
 * (new op, inputs, parameters), nodes moved later in the order. {@link #apply} returns the same graph object when
 * the edit is empty, so a pass that changes nothing is visibly a no-op.
 */
final class Rewrite {
  private final Graph graph;
  /** Removed node to the node whose output replaces it. */
  private final Map<Integer, Integer> forward = new HashMap<>();
  private final Map<Integer, Replacement> replaced = new HashMap<>();

  /** What a replaced node becomes; input ids refer to the old graph until {@link #apply} renumbers them. */
  private record Replacement(Op op, List<Integer> inputs, List<Param> params) {}
  /** Node to the node after which it must now be placed. */
  private final Map<Integer, Integer> movedAfter = new HashMap<>();
  /** Parameters of removed layers that the network still declares (see {@link Graph#detached}). */
  private final List<Param> detached = new ArrayList<>();

  Rewrite(Graph graph) { this.graph = graph; }

  /** Removes {@code node}; everything that read it reads {@code replacement} instead. */
  void remove(int node, int replacement) { forward.put(node, replacement); }

  /** Removes a dead {@code node} as {@link #remove} does, keeping its parameters as {@link Graph#detached}. */
  void removeDead(int node, int replacement) {
    remove(node, replacement);
    detached.addAll(graph.node(node).params());
  }

  /** Replaces a node's op, inputs and parameters (ids refer to the old graph). */
  void replace(int node, Op op, List<Integer> inputs, List<Param> params) {
    replaced.put(node, new Replacement(op, List.copyOf(inputs), List.copyOf(params)));
  }

  /** Places {@code node} right after {@code after} (which must come later), e.g. to wait for a residual input. */
  void moveAfter(int node, int after) { movedAfter.put(node, after); }

  boolean isEmpty() { return forward.isEmpty() && replaced.isEmpty() && movedAfter.isEmpty(); }

  private int resolve(int id) {
    Integer f = forward.get(id);
    while (f != null) {
      id = f;
      f = forward.get(id);
    }
    return id;
  }

  Graph apply() {
    if (isEmpty()) return graph;
    Map<Integer, List<Integer>> pending = new HashMap<>();
    movedAfter.forEach((node, after) -> pending.computeIfAbsent(after, k -> new ArrayList<>()).add(node));
    List<Integer> order = new ArrayList<>();
    for (Node n : graph.nodes()) {
      if (!movedAfter.containsKey(n.id())) order.add(n.id());
      order.addAll(pending.getOrDefault(n.id(), List.of()));
    }
    Graph.Builder b = new Graph.Builder(graph.name()).detach(graph.detached()).detach(detached);
    Map<Integer, Integer> newId = new HashMap<>();
    for (int id : order) {
      if (forward.containsKey(id)) continue;
      Node n = graph.node(id);
      Replacement rep = replaced.get(id);
      Op op = rep != null ? rep.op() : n.op();
      List<Param> params = rep != null ? rep.params() : n.params();
      List<Integer> ins = new ArrayList<>();
      for (int i : rep != null ? rep.inputs() : n.inputs()) {
        Integer ni = newId.get(resolve(i));
        if (ni == null) {
          throw new IllegalStateException("rewrite of " + graph.name() + ": " + n.path() + " reads a node placed after it");
        }
        ins.add(ni);
      }
      newId.put(id, b.add(n.path(), op, ins, n.span(), params).id());
    }
    for (Graph.Output o : graph.outputs()) b.output(o.name(), newId.get(resolve(o.node())));
    return b.build();
  }
}

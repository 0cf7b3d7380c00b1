package dev.netc.compiler.analysis;

import dev.netc.compiler.ir.Graph;
import dev.netc.compiler.ir.Input;
import dev.netc.compiler.ir.Node;

/**
 * Peak activation memory of naive execution: nodes run one at a time in the graph's (topological) order and
 * every node writes its output to a fresh buffer (views included, which is what makes it naive). A tensor lives
 * from the step that produces it through the step of its last consumer; the network's outputs live to the end;
 * inputs are present from the first step. While a node runs, its inputs and its output are all live.
 */
public final class Liveness {
  private Liveness() {}

  /** The peak: {@code bytes} live while node {@code node} runs (the first step reaching the peak). */
  public record Peak(long bytes, int node) {}

  /** Bytes per element: reports count float32 activations. */
  public static final int BYTES_PER_ELEMENT = 4;

  public static Peak peak(Graph g, int batch) {
    long[] live = live(g, batch);
    long best = -1;
    int at = 0;
    for (int step = 0; step < live.length; step++) {
      if (live[step] > best) {
        best = live[step];
        at = step;
      }
    }
    return new Peak(Math.max(best, 0), at);
  }

  /** Bytes live while each node runs (index: node id, the step), for a timeline of naive execution. */
  public static long[] live(Graph g, int batch) {
    int n = g.nodes().size();
    int[] last = lastUse(g);
    // A difference array over steps: +bytes where a tensor is born, -bytes the step after it dies.
    long[] delta = new long[n + 1];
    for (Node node : g.nodes()) {
      long bytes = bytes(node, batch);
      int born = node.op() instanceof Input ? 0 : node.id();
      delta[born] += bytes;
      delta[last[node.id()] + 1] -= bytes;
    }
    long[] live = new long[n];
    long sum = 0;
    for (int step = 0; step < n; step++) {
      sum += delta[step];
      live[step] = sum;
    }
    return live;
  }

  /** The step of each tensor's last use: its last consumer, the final step for outputs, else its own step. */
  static int[] lastUse(Graph g) {
    int n = g.nodes().size();
    int[] last = new int[n];
    for (Node node : g.nodes()) {
      last[node.id()] = Math.max(last[node.id()], node.id());
      for (int i : node.inputs()) last[i] = Math.max(last[i], node.id());
    }
    for (Graph.Output o : g.outputs()) last[o.node()] = n - 1;
    return last;
  }

  /** Activation bytes of one node's output for a batch size (float32). */
  public static long bytes(Node node, int batch) {
    return Math.multiplyExact(node.type().elements(batch), (long) BYTES_PER_ELEMENT);
  }
}

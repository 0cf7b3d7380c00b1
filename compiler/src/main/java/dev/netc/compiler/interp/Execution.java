package dev.netc.compiler.interp;

import dev.netc.compiler.ir.Node;
import dev.netc.runtime.Shape;
import dev.netc.runtime.Tensor;
import java.util.List;
import java.util.Map;

/**
 * What one instrumented run did: the outputs by name (in the graph's order), the batch size, and for every node the full shape it
 * produced and the multiply-accumulates its kernels executed (counted from their work sizes, apart from
 * {@code Op.cost}).
 */
public record Execution(Map<String, Tensor> outputs, int batch, List<NodeRun> nodes) {
  public Execution {
    outputs = java.util.Collections.unmodifiableMap(new java.util.LinkedHashMap<>(outputs));
    nodes = List.copyOf(nodes);
  }

  /** One node's run: its full output shape (batch first when batched) and the MACs it executed. */
  public record NodeRun(Node node, Shape shape, long macs) {}

  /** MACs executed by the whole graph. */
  public long macs() { return nodes.stream().mapToLong(NodeRun::macs).sum(); }
}

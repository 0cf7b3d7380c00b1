package dev.netc.compiler.ir;

import dev.netc.compiler.diag.Span;
import java.util.List;

/**
 * One node of the graph: an op applied to earlier nodes' outputs. {@code id} is the node's index in its graph
 * (nodes are in topological order); {@code path} is the dotted layer path ({@code layer3.2.conv2}); {@code type}
 * is the inferred output type; {@code params} are the tensors the node owns, with full names.
 */
public record Node(int id, String path, Op op, List<Integer> inputs, TensorType type, List<Param> params, Span span) {
  public Node {
    inputs = List.copyOf(inputs);
    params = List.copyOf(params);
    for (int i : inputs) {
      if (i < 0 || i >= id) throw new IllegalArgumentException("node " + path + " uses input " + i + " not before it");
    }
  }
}

package dev.netc.compiler.analysis;

import dev.netc.compiler.ir.Graph;
import dev.netc.compiler.ir.TensorType;
import java.util.List;

/** The same network reported at several sizes of one input ({@code --sweep}): one report per size, in order. */
public record Sweep(String input, List<NetworkReport> points) {
  public Sweep {
    points = List.copyOf(points);
  }

  /** The swept input's type in one point's graph. */
  public TensorType inputType(NetworkReport point) {
    Graph g = point.graph();
    for (int i : g.inputs()) if (g.node(i).path().equals(input)) return g.node(i).type();
    throw new IllegalStateException("sweep point " + g.name() + " lacks input " + input);
  }
}

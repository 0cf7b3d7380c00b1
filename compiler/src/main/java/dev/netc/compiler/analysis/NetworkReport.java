package dev.netc.compiler.analysis;

import dev.netc.compiler.ir.Cost;
import dev.netc.compiler.ir.Graph;
import dev.netc.compiler.ir.Node;
import dev.netc.compiler.ir.Param;
import dev.netc.compiler.ir.ParamSpec;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.Set;

/**
 * Everything a report says about one network at one batch size: a row per layer in graph order, the totals,
 * the peak activation memory of naive execution, and the sum of all layers' activation bytes. The layer rows sum
 * to the totals (parameters are attributed to the first layer owning each tensor name).
 */
public record NetworkReport(Graph graph, int batch, List<LayerStats> layers, Totals totals, Liveness.Peak peak) {
  public NetworkReport {
    layers = List.copyOf(layers);
  }

  /** The report at one batch size; a {@link ReportError} when its counts do not fit in 64 bits (FLOPs included). */
  public static NetworkReport of(Graph g, int batch) {
    if (batch < 1) throw new IllegalArgumentException("batch must be positive, got " + batch);
    try {
      NetworkReport r = count(g, batch);
      r.totals().flops();
      return r;
    } catch (ArithmeticException e) {
      throw new ReportError(g.name() + ": the counts at batch " + batch + " exceed 2^63 (9.2e18)"
          + (batch > 1 ? "; use a smaller batch" : ": the network is too large to count"));
    }
  }

  private static NetworkReport count(Graph g, int batch) {
    ReceptiveField[] rf = ReceptiveFields.of(g);
    Set<String> seen = new HashSet<>();
    List<LayerStats> rows = new ArrayList<>(g.nodes().size());
    for (Node n : g.nodes()) {
      long params = 0, buffers = 0;
      for (Param p : n.params()) {
        if (!seen.add(p.name())) continue;
        if (p.kind() == ParamSpec.Kind.LEARNED) params = Math.addExact(params, p.shape().elements());
        else if (p.spec().isBuffer()) buffers = Math.addExact(buffers, p.shape().elements());
      }
      Cost c = Totals.cost(g, n, batch);
      rows.add(new LayerStats(n.id(), n.path(), n.op().name(), n.op().describe(), n.type(), params, buffers,
          c.macs(), c.otherOps(), Liveness.bytes(n, batch), rf[n.id()]));
    }
    for (LayerStats row : rows) row.flops();
    return new NetworkReport(g, batch, rows, Totals.of(g, batch), Liveness.peak(g, batch));
  }

  public String name() { return graph.name(); }

  /** The path of the layer running when activation memory peaks. */
  public String peakAt() { return graph.node(peak.node()).path(); }

  /** Bytes written by all layers together (every layer's output once). */
  public long activationBytes() {
    long sum = 0;
    for (LayerStats l : layers) sum = Math.addExact(sum, l.activationBytes());
    return sum;
  }
}

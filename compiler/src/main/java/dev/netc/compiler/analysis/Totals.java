package dev.netc.compiler.analysis;

import dev.netc.compiler.ir.Cost;
import dev.netc.compiler.ir.Graph;
import dev.netc.compiler.ir.Node;
import dev.netc.compiler.ir.Param;
import dev.netc.compiler.ir.ParamSpec;
import dev.netc.compiler.ir.TensorType;
import java.util.EnumMap;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;

/**
 * Whole-network counts under the conventions of spec/counting.md: learned parameters and buffers (each tensor
 * name once, so shared weights count once), MACs, FLOPs = 2 × MACs, other ops, and a per-category breakdown.
 */
public record Totals(long params, long buffers, long macs, long otherOps, Map<Cost.Category, Long> macsBy,
    Map<Cost.Category, Long> otherBy) {

  public long flops() { return Math.multiplyExact(2, macs); }

  /** Bytes of all weights as float32: learned parameters and buffers, 4 bytes each. */
  public long weightBytes() { return Math.multiplyExact(params + buffers, (long) Liveness.BYTES_PER_ELEMENT); }

  public static Totals of(Graph g, int batch) {
    long params = 0, buffers = 0, macs = 0, other = 0;
    Set<String> seen = new HashSet<>();
    Map<Cost.Category, Long> macsBy = new EnumMap<>(Cost.Category.class);
    Map<Cost.Category, Long> otherBy = new EnumMap<>(Cost.Category.class);
    for (Node n : g.nodes()) {
      for (Param p : n.params()) {
        if (!seen.add(p.name())) continue;
        if (p.kind() == ParamSpec.Kind.LEARNED) params += p.shape().elements();
        else if (p.spec().isBuffer()) buffers += p.shape().elements();
      }
      Cost c = cost(g, n, batch);
      macs = Math.addExact(macs, c.macs());
      other = Math.addExact(other, c.otherOps());
      macsBy.merge(c.category(), c.macs(), Math::addExact);
      otherBy.merge(c.category(), c.otherOps(), Math::addExact);
    }
    return new Totals(params, buffers, macs, other, macsBy, otherBy);
  }

  /** The cost of one node for a batch size. */
  public static Cost cost(Graph g, Node n, int batch) {
    List<TensorType> in = n.inputs().stream().map(i -> g.node(i).type()).toList();
    return n.op().cost(in, n.type(), batch);
  }
}

package dev.netc.compiler.analysis;

import dev.netc.compiler.ir.*;
import java.util.ArrayList;
import java.util.List;

/**
 * Computes every tensor's {@link ReceptiveField} through the DAG, in input pixels, with the usual recurrences
 * per spatial dim (rf = receptive field, j = effective stride or "jump", k' = dilation·(k−1)+1):
 * <ul>
 *   <li>a window op (conv, pooling): {@code rf' = rf + (k'−1)·j}, {@code j' = j·stride};
 *   <li>a transposed conv: one output element is reached from at most {@code ceil(k'/stride)} input elements, so
 *       {@code rf' = rf + (ceil(k'/stride)−1)·j}, {@code j' = j/stride};
 *   <li>adaptive and global pooling: the widest bin is the window, {@code j' = j·in/out};
 *   <li>upsampling: a window of 1 (nearest) or 2 (bilinear) source elements, {@code j' = j·in/out};
 *   <li>a strided slice multiplies the stride; a mean over spatial axes with kept dims sees the whole map;
 *   <li>joins (add, mul, concat): the largest receptive field of the inputs, and the largest stride among the
 *       inputs that have the output's size along that dim (a broadcast [C,1,1] gate does not set the stride);
 *       when an input is not spatial, neither is the join;
 *   <li>ops that keep positions ({@link OpTraits.Trait#KEEPS_FIELD}: pointwise ops, padding, channel shuffle) keep
 *       their input's values. Normalizations and softmax count as pointwise: their statistics are not counted as
 *       spatial context (as receptive-field calculators usually do).
 * </ul>
 * A tensor has a receptive field ("is spatial") when it descends from a batched input of rank ≥ 2 ({@code [C, L]},
 * {@code [C, H, W]}, {@code [C, D, H, W]}) through such ops. Every other op mixes or reorders dims (linear, matmul,
 * attention, recurrent, flatten, reshape, permute, RoI ops, embedding) and ends it: its result is null.
 */
public final class ReceptiveFields {
  private ReceptiveFields() {}

  /** One entry per node (indexed by node id); null where the tensor is not spatial. */
  public static ReceptiveField[] of(Graph g) {
    ReceptiveField[] rf = new ReceptiveField[g.nodes().size()];
    for (Node n : g.nodes()) {
      List<ReceptiveField> in = new ArrayList<>(n.inputs().size());
      for (int i : n.inputs()) in.add(rf[i]);
      ReceptiveField r = in.isEmpty() || in.getFirst() != null ? of(g, n, in) : null;
      rf[n.id()] = r != null && r.dims() == n.type().rank() - 1 ? r : null;
    }
    return rf;
  }

  private static ReceptiveField of(Graph g, Node n, List<ReceptiveField> in) {
    ReceptiveField x = in.isEmpty() ? null : in.getFirst();
    TensorType inType = n.inputs().isEmpty() ? null : g.node(n.inputs().getFirst()).type();
    return switch (n.op()) {
      case Input i -> i.type().batched() && i.type().rank() >= 2 ? ReceptiveField.unit(i.type().rank() - 1) : null;
      case Conv c -> window(x, c.kernel(), c.stride(), c.dilation());
      case Pool p -> window(x, p.kernel(), p.stride(), p.dilation());
      case PoolIndices p -> window(x, p.pool().kernel(), p.pool().stride(), p.pool().dilation());
      case MaxUnpool u -> unpool(x, u);
      case ConvTranspose t -> transposed(x, t);
      case Fused f -> fused(f, x, in.size() > 1 ? in.get(1) : null);
      case AdaptivePool _ -> adaptive(x, inType, n.type());
      case Upsample u -> upsample(x, u, inType, n.type());
      case Slice s -> slice(x, s, inType);
      case Mean m -> mean(x, m, inType);
      case Add _, Mul _, Concat _ -> join(g, n, in);
      default -> OpTraits.keepsField(n.op()) ? x : null;
    };
  }

  /** Conv and pooling: {@code rf + (dilation·(k−1))·j}, stride multiplies. */
  static ReceptiveField window(ReceptiveField x, List<Integer> kernel, List<Integer> stride, List<Integer> dilation) {
    List<Double> size = new ArrayList<>(), jump = new ArrayList<>();
    for (int d = 0; d < x.dims(); d++) {
      double j = x.stride().get(d);
      size.add(x.size().get(d) + (double) dilation.get(d) * (kernel.get(d) - 1) * j);
      jump.add(j * stride.get(d));
    }
    return new ReceptiveField(size, jump);
  }

  /** A conv or linear with its epilogue: the main op's field, widened by a fused residual's (same shape). */
  private static ReceptiveField fused(Fused f, ReceptiveField x, ReceptiveField residual) {
    ReceptiveField main = f.main() instanceof Conv c ? window(x, c.kernel(), c.stride(), c.dilation())
        : f.main() instanceof ConvTranspose t ? transposed(x, t) : null;
    if (!f.residual() || main == null || residual == null || residual.dims() != main.dims()) return main;
    List<Double> size = new ArrayList<>(), jump = new ArrayList<>();
    for (int d = 0; d < main.dims(); d++) {
      size.add(Math.max(main.size().get(d), residual.size().get(d)));
      jump.add(Math.max(main.stride().get(d), residual.stride().get(d)));
    }
    return new ReceptiveField(size, jump);
  }

  private static ReceptiveField transposed(ReceptiveField x, ConvTranspose t) {
    List<Double> size = new ArrayList<>(), jump = new ArrayList<>();
    for (int d = 0; d < x.dims(); d++) {
      double j = x.stride().get(d);
      long span = (long) t.dilation().get(d) * (t.kernel().get(d) - 1) + 1;
      long reach = Math.ceilDiv(span, (long) t.stride().get(d));
      size.add(x.size().get(d) + (reach - 1) * j);
      jump.add(j / t.stride().get(d));
    }
    return new ReceptiveField(size, jump);
  }

  /** Max unpooling: one output element comes from at most ⌈k / stride⌉ inputs per dim, as a transposed conv. */
  private static ReceptiveField unpool(ReceptiveField x, MaxUnpool u) {
    List<Double> size = new ArrayList<>(), jump = new ArrayList<>();
    for (int d = 0; d < x.dims(); d++) {
      double j = x.stride().get(d);
      long reach = Math.ceilDiv((long) u.kernel().get(d), (long) u.stride().get(d));
      size.add(x.size().get(d) + (reach - 1) * j);
      jump.add(j / u.stride().get(d));
    }
    return new ReceptiveField(size, jump);
  }

  private static ReceptiveField adaptive(ReceptiveField x, TensorType in, TensorType out) {
    List<Double> size = new ArrayList<>(), jump = new ArrayList<>();
    for (int d = 0; d < x.dims(); d++) {
      int n = in.dim(d + 1), o = out.dim(d + 1);
      double j = x.stride().get(d);
      size.add(x.size().get(d) + (widestBin(n, o) - 1) * j);
      jump.add(j * n / o);
    }
    return new ReceptiveField(size, jump);
  }

  /** PyTorch's adaptive bins: bin i covers {@code [floor(i·n/o), ceil((i+1)·n/o))}; the widest one. */
  static long widestBin(int n, int o) {
    long widest = 0;
    for (long i = 0; i < o; i++) {
      long start = Math.floorDiv(i * n, (long) o), end = Math.ceilDiv((i + 1) * n, (long) o);
      widest = Math.max(widest, end - start);
    }
    return widest;
  }

  private static ReceptiveField upsample(ReceptiveField x, Upsample u, TensorType in, TensorType out) {
    List<Double> size = new ArrayList<>(), jump = new ArrayList<>();
    for (int d = 0; d < x.dims(); d++) {
      int n = in.dim(d + 1), o = out.dim(d + 1);
      double j = x.stride().get(d);
      int taps = u.mode() == Upsample.Mode.BILINEAR && n > 1 ? 2 : 1;
      size.add(x.size().get(d) + (taps - 1) * j);
      jump.add(j * n / o);
    }
    return new ReceptiveField(size, jump);
  }

  private static ReceptiveField slice(ReceptiveField x, Slice s, TensorType in) {
    int axis = Rules.shapeAxis("slice", in, s.axis());
    if (axis == 0) return x;
    List<Double> jump = new ArrayList<>(x.stride());
    jump.set(axis - 1, jump.get(axis - 1) * s.step());
    return new ReceptiveField(x.size(), jump);
  }

  private static ReceptiveField mean(ReceptiveField x, Mean m, TensorType in) {
    if (!m.keepDims()) return m.axes().isEmpty() ? x : null;
    List<Double> size = new ArrayList<>(x.size()), jump = new ArrayList<>(x.stride());
    for (int a : m.axes()) {
      int axis = Rules.shapeAxis("mean", in, a);
      if (axis == 0) continue;
      int n = in.dim(axis);
      size.set(axis - 1, size.get(axis - 1) + (n - 1) * jump.get(axis - 1));
      jump.set(axis - 1, jump.get(axis - 1) * n);
    }
    return new ReceptiveField(size, jump);
  }

  private static ReceptiveField join(Graph g, Node n, List<ReceptiveField> in) {
    int dims = n.type().rank() - 1;
    // An input that mixed everything (attention, linear, ...) leaves no receptive field to speak of.
    for (ReceptiveField r : in) if (r == null || r.dims() != dims) return null;
    List<Double> size = new ArrayList<>(), jump = new ArrayList<>();
    for (int d = 0; d < dims; d++) {
      double rf = 0, j = 0, anyJ = 0;
      for (int k = 0; k < in.size(); k++) {
        ReceptiveField r = in.get(k);
        rf = Math.max(rf, r.size().get(d));
        anyJ = Math.max(anyJ, r.stride().get(d));
        if (g.node(n.inputs().get(k)).type().dim(d + 1) == n.type().dim(d + 1)) j = Math.max(j, r.stride().get(d));
      }
      size.add(rf);
      jump.add(j > 0 ? j : anyJ);
    }
    return new ReceptiveField(size, jump);
  }
}

package dev.netc.compiler.ir;

import java.util.List;

/**
 * The partial inverse of a max pooling (PyTorch MaxUnpool1d/2d/3d): inputs are the values and the indices of a
 * {@link PoolIndices} of the same shape; each value is written at its index in its (item, channel) plane of the
 * output, whose spatial size is {@code size}, and every other element is 0. Where two values share an index the later
 * one in row-major order is written, as PyTorch's CPU kernel does. {@code kernel}, {@code stride} and {@code pad}
 * are the geometry the default size came from, kept for reports and receptive fields. Other ops = 0 by rule: a
 * scatter, data movement like {@code pad}.
 */
public record MaxUnpool(int dims, List<Integer> kernel, List<Integer> stride, List<Integer> pad, List<Integer> size)
    implements Op {
  public MaxUnpool {
    kernel = List.copyOf(kernel);
    stride = List.copyOf(stride);
    pad = List.copyOf(pad);
    size = List.copyOf(size);
  }

  /** PyTorch's default output size along one dim: {@code (in - 1) * stride - 2 * pad + kernel}. */
  public static long defaultSize(int in, int kernel, int stride, int pad) {
    return (long) (in - 1) * stride - 2L * pad + kernel;
  }

  public String name() { return "max_unpool"; }

  public int arity() { return 2; }

  public TensorType infer(List<TensorType> in) {
    TensorType x = in.get(0);
    TensorType idx = in.get(1);
    Rules.requireRank("max_unpool" + dims + "d", x, dims + 1);
    if (!x.shape().equals(idx.shape()) || x.batched() != idx.batched()) {
      throw new ShapeException("max_unpool: the input " + x + " and the indices " + idx + " must have the same shape");
    }
    int[] o = new int[dims + 1];
    o[0] = x.dim(0);
    for (int d = 0; d < dims; d++) o[d + 1] = size.get(d);
    return new TensorType(x.batched(), Shape.of(o));
  }

  public Cost cost(List<TensorType> in, TensorType o, int batch) { return Cost.other(0, Cost.Category.DATA); }

  public String describe() {
    return "k=" + Rules.tuple(kernel) + ", s=" + Rules.tuple(stride)
        + (pad.stream().anyMatch(p -> p != 0) ? ", p=" + Rules.tuple(pad) : "") + " to " + Rules.tuple(size);
  }
}

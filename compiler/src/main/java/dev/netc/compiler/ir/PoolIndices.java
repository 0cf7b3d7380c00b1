package dev.netc.compiler.ir;

import java.util.List;

/**
 * The indices of a max pooling's maxima (PyTorch's {@code return_indices=True}): for every output element of
 * {@code pool}, the flat position of its maximum within its (item, channel) plane of the input, e.g.
 * {@code h * W + w} in 2-D, as a float holding an integer (as {@code argmax}). The first maximum in row-major window
 * order wins a tie; a NaN is taken as a maximum (the last NaN of the window wins), as PyTorch's CPU kernel does.
 * Read by {@link MaxUnpool}. Other ops = 0: the pooling's own comparisons find them (PyTorch's max pooling with
 * indices is one pass), counted once, at the pooling.
 */
public record PoolIndices(Pool pool) implements Op {
  public PoolIndices {
    if (pool.kind() != Pool.Kind.MAX) throw new IllegalArgumentException("indices of an average pooling");
  }

  public String name() { return "maxpool_indices"; }

  public int arity() { return 1; }

  /** Indices are floats: exact integers up to 2^24, so a plane of the input may have at most that many positions. */
  public static final long MAX_PLANE = 1L << 24;

  public TensorType infer(List<TensorType> in) {
    TensorType out = pool.infer(in);
    long plane = in.getFirst().elements() / in.getFirst().dim(0);
    if (plane > MAX_PLANE) {
      throw new ShapeException(dev.netc.compiler.diag.Code.NET023, "maxpool: indices into planes of " + plane
          + " positions (" + in.getFirst() + ") would not be exact as floats; the limit is 2^24 = " + MAX_PLANE);
    }
    return out;
  }

  public Cost cost(List<TensorType> in, TensorType o, int batch) { return Cost.other(0, Cost.Category.POOL); }

  public String describe() { return pool.describe(); }
}

package dev.netc.compiler.ir;

import java.util.List;

/**
 * Shape rule of elementwise add, sub, mul and div: PyTorch's broadcasting. The shapes are aligned at their last
 * dims (with the batch as the first dim of a batched tensor); each pair of dims must be equal or one of them 1,
 * and the result has the larger. Two batched tensors must have the same rank (their batch dims line up). An
 * unbatched tensor (a learned {@code param}) may have fewer dims ({@code [C, 1, 1]} against {@code [N, C, H, W]}),
 * or as many as the batched one with 1 at the batch position ({@code [1, T, D]} against {@code [N, T, D]}): it is
 * the same for every item. The result is batched when any operand is.
 */
public final class Broadcast {
  private Broadcast() {}

  static TensorType infer(String op, List<TensorType> in) {
    TensorType out = in.getFirst();
    for (TensorType t : in.subList(1, in.size())) out = pair(op, out, t);
    return out;
  }

  private static TensorType pair(String op, TensorType a, TensorType b) {
    if (a.batched() && b.batched() && a.rank() != b.rank()) {
      throw new ShapeException("cannot " + op + " " + a + " and " + b + ": batched tensors broadcast at equal rank");
    }
    boolean batched = a.batched() || b.batched();
    int rank = batched ? Math.max(perItemRank(op, a, b), perItemRank(op, b, a)) : Math.max(a.rank(), b.rank());
    int[] o = new int[rank];
    int[] x = aligned(a, rank), y = aligned(b, rank);
    for (int d = 0; d < rank; d++) {
      if (x[d] != y[d] && x[d] != 1 && y[d] != 1) throw new ShapeException("cannot " + op + " " + a + " and " + b);
      o[d] = Math.max(x[d], y[d]);
    }
    return new TensorType(batched, Shape.of(o));
  }

  /** The rank per item {@code t} takes in a batched result (its rank, less a leading batch-position 1). */
  private static int perItemRank(String op, TensorType t, TensorType other) {
    if (t.batched()) return t.rank();
    int itemRank = other.batched() ? other.rank() : t.rank();
    if (t.rank() <= itemRank) return t.rank();
    if (t.rank() == itemRank + 1 && t.dim(0) == 1) return itemRank;
    throw new ShapeException("cannot broadcast " + t + " against " + other + ": a tensor without a batch"
        + " dimension lines up with the batch only through a leading 1");
  }

  /**
   * The per-item dims of {@code t} aligned to a result of per-item rank {@code rank}: leading 1s added, or an
   * unbatched tensor's leading batch-position 1 dropped.
   */
  public static int[] aligned(TensorType t, int rank) {
    int[] d = t.shape().toArray();
    if (d.length == rank + 1) d = java.util.Arrays.copyOfRange(d, 1, d.length);
    int[] o = new int[rank];
    java.util.Arrays.fill(o, 1);
    System.arraycopy(d, 0, o, rank - d.length, d.length);
    return o;
  }

  /** Whether an operand of type {@code t} needs the general rule against result {@code out} (not same-rank-batched). */
  public static boolean general(TensorType t, TensorType out) {
    return t.batched() != out.batched() || t.rank() != out.rank();
  }
}

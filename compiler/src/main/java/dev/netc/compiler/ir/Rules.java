package dev.netc.compiler.ir;

import java.util.List;

/** Shape arithmetic shared by the op rules, with PyTorch's rounding. */
public final class Rules {
  private Rules() {}

  /** Output size of a convolution or pooling window along one dimension (floor, or ceil as PyTorch does it). */
  public static int windowOut(int in, int k, int stride, int padBegin, int padEnd, int dilation, boolean ceil) {
    long span = (long) dilation * (k - 1) + 1;
    long numer = (long) in + padBegin + padEnd - span;
    if (numer < 0) return 0;
    long out = (ceil ? Math.ceilDiv(numer, stride) : Math.floorDiv(numer, stride)) + 1;
    // PyTorch: with ceil_mode the last window must start inside the input or the left padding.
    if (ceil && (out - 1) * stride >= (long) in + padBegin) out--;
    return (int) out;
  }

  public static void requireRank(String op, TensorType t, int... ranks) {
    for (int r : ranks) if (t.rank() == r) return;
    throw ShapeException.rank(op + " expects an input of rank " + ranksText(ranks) + " (without batch), got "
        + t);
  }

  private static String ranksText(int[] ranks) {
    if (ranks.length == 1) return String.valueOf(ranks[0]);
    StringBuilder b = new StringBuilder();
    for (int i = 0; i < ranks.length; i++) b.append(i == 0 ? "" : i == ranks.length - 1 ? " or " : ", ").append(ranks[i]);
    return b.toString();
  }

  public static long product(List<Integer> xs) {
    long p = 1;
    for (int x : xs) p = Math.multiplyExact(p, x);
    return p;
  }

  public static String tuple(List<Integer> xs) {
    if (xs.stream().distinct().count() == 1) return String.valueOf(xs.getFirst());
    StringBuilder b = new StringBuilder("(");
    for (int i = 0; i < xs.size(); i++) b.append(i == 0 ? "" : ",").append(xs.get(i));
    return b.append(')').toString();
  }

  /** Resolves a PyTorch-numbered axis (batch = 0, negative from the end) to an index into the shape. */
  public static int shapeAxis(String op, TensorType t, int axis) {
    int full = t.fullRank();
    int a = axis < 0 ? full + axis : axis;
    if (a < 0 || a >= full) {
      throw ShapeException.rank(op + ": axis " + axis + " is out of range for " + t);
    }
    if (t.batched()) {
      if (a == 0) throw ShapeException.rank(op + ": cannot work along the batch axis (axis 0) of " + t);
      return a - 1;
    }
    return a;
  }
}

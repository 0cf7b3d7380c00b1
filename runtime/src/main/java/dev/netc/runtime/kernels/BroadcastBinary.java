package dev.netc.runtime.kernels;

import java.util.Arrays;

/**
 * {@code y = a op b} for op one of add, subtract, multiply, divide, with PyTorch's broadcasting: the operands'
 * shapes are given aligned to the output's rank (leading size-1 dims added by the caller), a size-1 dim repeats
 * along the output's. Either operand may be the same for every item ({@code perItem} false: a learned tensor
 * against a batch), else its items are its own size apart. The geometry is fixed at construction (generated code
 * keeps it as a constant); a call allocates nothing. Each element is one float operation, as PyTorch rounds it;
 * {@code y} may be {@code a} (in place), since each element is read before it is written.
 */
public final class BroadcastBinary {
  /** The operation. */
  public enum Kind {
    ADD, SUB, MUL, DIV
  }

  private final Kind kind;
  private final int[] extents;
  private final int[] aStrides;
  private final int[] bStrides;
  private final int aItem;
  private final int bItem;
  private final int yItem;

  private BroadcastBinary(Kind kind, int[] extents, int[] aStrides, int[] bStrides, int aItem, int bItem, int yItem) {
    this.kind = kind;
    this.extents = extents;
    this.aStrides = aStrides;
    this.bStrides = bStrides;
    this.aItem = aItem;
    this.bItem = bItem;
    this.yItem = yItem;
  }

  /**
   * The operation over {@code yShape} (one item's), each operand's shape of the same rank with each dim equal to
   * the output's or 1.
   */
  public static BroadcastBinary of(Kind kind, int[] aShape, boolean aPerItem, int[] bShape, boolean bPerItem,
      int[] yShape) {
    int[] as = strides(aShape, yShape);
    int[] bs = strides(bShape, yShape);
    return new BroadcastBinary(kind, yShape.clone(), as, bs, aPerItem ? size(aShape) : 0, bPerItem ? size(bShape) : 0,
        size(yShape));
  }

  private static int[] strides(int[] shape, int[] out) {
    if (shape.length != out.length) {
      throw new IllegalArgumentException(Arrays.toString(shape) + " does not broadcast to " + Arrays.toString(out));
    }
    int[] s = StridedBox.strides(shape);
    for (int d = 0; d < s.length; d++) {
      if (shape[d] == 1 && out[d] != 1) {
        s[d] = 0;
      } else if (shape[d] != out[d]) {
        throw new IllegalArgumentException(Arrays.toString(shape) + " does not broadcast to " + Arrays.toString(out));
      }
    }
    return s;
  }

  private static int size(int[] shape) {
    int n = 1;
    for (int d : shape) {
      n = Math.multiplyExact(n, d);
    }
    return n;
  }

  /** Runs {@code items} items. */
  public void run(int items, float[] a, int aOff, float[] b, int bOff, float[] y, int yOff) {
    for (int n = 0; n < items; n++) {
      from(0, a, aOff + n * aItem, b, bOff + n * bItem, y, yOff + n * yItem);
    }
  }

  private void from(int d, float[] a, int ai, float[] b, int bi, float[] y, int yi) {
    int rank = extents.length;
    if (rank == 0) {
      y[yi] = apply(a[ai], b[bi]);
      return;
    }
    if (d == rank - 1) {
      int n = extents[d];
      int sa = aStrides[d];
      int sb = bStrides[d];
      for (int i = 0; i < n; i++) {
        y[yi + i] = apply(a[ai + i * sa], b[bi + i * sb]);
      }
      return;
    }
    int ys = 1;
    for (int k = d + 1; k < rank; k++) {
      ys *= extents[k];
    }
    for (int i = 0; i < extents[d]; i++) {
      from(d + 1, a, ai + i * aStrides[d], b, bi + i * bStrides[d], y, yi + i * ys);
    }
  }

  private float apply(float x, float z) {
    return switch (kind) {
      case ADD -> x + z;
      case SUB -> x - z;
      case MUL -> x * z;
      case DIV -> x / z;
    };
  }
}

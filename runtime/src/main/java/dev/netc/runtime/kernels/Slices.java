package dev.netc.runtime.kernels;

/**
 * Copies of slices along one axis: concat, split and narrow, for a tensor viewed as
 * {@code [outer, axis, inner]} (for NCHW channels: {@code outer = N}, {@code inner = H*W}).
 *
 * <p>These are the copy forms; a planner that places each branch's output directly at its
 * offset in the concatenated buffer needs no copy at all (the offsets are those computed here).
 */
public final class Slices {
  private Slices() {}

  /**
   * Copies {@code count} positions along the axis, from {@code [srcStart, srcStart + count)} of a
   * source with {@code srcAxis} positions to {@code [dstStart, ..)} of a destination with
   * {@code dstAxis} positions, for every outer index.
   */
  public static void copy(float[] src, int srcOff, int srcAxis, int srcStart,
      float[] dst, int dstOff, int dstAxis, int dstStart, int count, int outer, int inner) {
    if (srcStart < 0 || srcStart + count > srcAxis || dstStart < 0 || dstStart + count > dstAxis) {
      throw new IllegalArgumentException("slice [" + srcStart + ", " + (srcStart + count) + ") of " + srcAxis
          + " into [" + dstStart + ", " + (dstStart + count) + ") of " + dstAxis + " is out of range");
    }
    int len = count * inner;
    for (int o = 0; o < outer; o++) {
      System.arraycopy(src, srcOff + (o * srcAxis + srcStart) * inner,
          dst, dstOff + (o * dstAxis + dstStart) * inner, len);
    }
  }

  /**
   * Concatenates sources along the axis: source {@code i} has {@code axisSizes[i]} positions and
   * lives at {@code srcs[i][offsets[i] ..]}; the output has their sum.
   */
  public static void concat(float[][] srcs, int[] offsets, int[] axisSizes, float[] y, int yOff, int outer, int inner) {
    int total = 0;
    for (int a : axisSizes) {
      total += a;
    }
    int start = 0;
    for (int i = 0; i < srcs.length; i++) {
      copy(srcs[i], offsets[i], axisSizes[i], 0, y, yOff, total, start, axisSizes[i], outer, inner);
      start += axisSizes[i];
    }
  }

  /**
   * Splits along the axis into parts of {@code axisSizes[i]} positions written to
   * {@code dsts[i][offsets[i] ..]} (PyTorch's {@code split} with explicit sizes).
   */
  public static void split(float[] x, int xOff, float[][] dsts, int[] offsets, int[] axisSizes, int outer, int inner) {
    int total = 0;
    for (int a : axisSizes) {
      total += a;
    }
    int start = 0;
    for (int i = 0; i < dsts.length; i++) {
      copy(x, xOff, total, start, dsts[i], offsets[i], axisSizes[i], 0, axisSizes[i], outer, inner);
      start += axisSizes[i];
    }
  }
}

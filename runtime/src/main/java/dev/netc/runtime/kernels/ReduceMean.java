package dev.netc.runtime.kernels;

import java.util.Arrays;

/**
 * The mean over a set of axes of a C-order tensor ({@code x.mean(dim=axes)}); the output holds the
 * remaining dimensions in order (with or without kept size-1 dimensions the layout is the same).
 * Sums accumulate in double.
 */
public final class ReduceMean {
  private ReduceMean() {}

  /** The output shape with the reduced axes removed. */
  public static int[] outputShape(int[] shape, int[] axes) {
    boolean[] reduced = reducedMask(shape.length, axes);
    return java.util.stream.IntStream.range(0, shape.length).filter(d -> !reduced[d]).map(d -> shape[d]).toArray();
  }

  /** Writes the mean of {@code x} (of {@code shape}) over {@code axes} into {@code y}, by {@link StridedBox#mean}. */
  public static void mean(float[] x, int xOff, int[] shape, int[] axes, float[] y, int yOff) {
    boolean[] reduced = reducedMask(shape.length, axes);
    int[] dims = java.util.stream.IntStream.range(0, shape.length).filter(d -> reduced[d]).toArray();
    StridedBox.mean(shape, dims).mean(1, x, xOff, y, yOff);
  }

  private static boolean[] reducedMask(int rank, int[] axes) {
    boolean[] reduced = new boolean[rank];
    for (int a : axes) {
      int d = a < 0 ? a + rank : a;
      if (d < 0 || d >= rank || reduced[d]) {
        throw new IllegalArgumentException("bad axes " + Arrays.toString(axes) + " for rank " + rank);
      }
      reduced[d] = true;
    }
    return reduced;
  }
}

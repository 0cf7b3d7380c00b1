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

  /** Writes the mean of {@code x} (of {@code shape}) over {@code axes} into {@code y}. */
  public static void mean(float[] x, int xOff, int[] shape, int[] axes, float[] y, int yOff) {
    int rank = shape.length;
    boolean[] reduced = reducedMask(rank, axes);
    int[] outStride = new int[rank]; // output stride of each input dimension, 0 when reduced
    int outSize = 1;
    long count = 1;
    for (int d = rank - 1; d >= 0; d--) {
      if (reduced[d]) {
        count *= shape[d];
      } else {
        outStride[d] = outSize;
        outSize *= shape[d];
      }
    }
    double[] acc = new double[outSize];
    int total = 1;
    for (int s : shape) {
      total *= s;
    }
    int[] idx = new int[rank];
    int o = 0;
    for (int i = 0; i < total; i++) {
      acc[o] += x[xOff + i];
      for (int d = rank - 1; d >= 0; d--) {
        o += outStride[d];
        if (++idx[d] < shape[d]) {
          break;
        }
        o -= outStride[d] * shape[d];
        idx[d] = 0;
      }
    }
    for (int i = 0; i < outSize; i++) {
      y[yOff + i] = (float) (acc[i] / count);
    }
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

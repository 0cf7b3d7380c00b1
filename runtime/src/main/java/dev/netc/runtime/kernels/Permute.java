package dev.netc.runtime.kernels;

import java.util.Arrays;

/**
 * Copies a C-order tensor into its permuted layout: output dimension {@code i} is input dimension
 * {@code perm[i]} (PyTorch's {@code x.permute(perm).contiguous()}); transpose is a permutation
 * that swaps two dimensions.
 */
public final class Permute {
  private Permute() {}

  /** The permuted shape. */
  public static int[] outputShape(int[] shape, int[] perm) {
    int[] out = new int[perm.length];
    for (int i = 0; i < perm.length; i++) {
      out[i] = shape[perm[i]];
    }
    return out;
  }

  /** {@code y = x.permute(perm)} for {@code x} of {@code shape}. Not in place. */
  public static void permute(float[] x, int xOff, int[] shape, int[] perm, float[] y, int yOff) {
    checkPermutation(perm, shape.length);
    int rank = shape.length;
    int[] out = outputShape(shape, perm);
    int[] inStride = new int[rank];
    for (int d = rank - 1, s = 1; d >= 0; s *= shape[d], d--) {
      inStride[d] = s;
    }
    int[] stride = new int[rank]; // input stride of each output dimension
    for (int i = 0; i < rank; i++) {
      stride[i] = inStride[perm[i]];
    }
    int total = 1;
    for (int d : out) {
      total *= d;
    }
    if (rank == 0 || total == 0) {
      System.arraycopy(x, xOff, y, yOff, total);
      return;
    }
    int inner = out[rank - 1];
    int innerStride = stride[rank - 1];
    int[] idx = new int[rank - 1];
    int src = xOff;
    for (int yo = yOff; yo < yOff + total; yo += inner) {
      for (int i = 0; i < inner; i++) {
        y[yo + i] = x[src + i * innerStride];
      }
      src = next(idx, out, stride, src);
    }
  }

  /** Advances the odometer over the leading output dimensions; returns the new input offset. */
  private static int next(int[] idx, int[] out, int[] stride, int src) {
    for (int d = idx.length - 1; d >= 0; d--) {
      if (++idx[d] < out[d]) {
        return src + stride[d];
      }
      src -= (out[d] - 1) * stride[d];
      idx[d] = 0;
    }
    return src;
  }

  /** {@code y = x.transpose(a, b)}. */
  public static void transpose(float[] x, int xOff, int[] shape, int a, int b, float[] y, int yOff) {
    int[] perm = new int[shape.length];
    for (int i = 0; i < perm.length; i++) {
      perm[i] = i;
    }
    perm[a] = b;
    perm[b] = a;
    permute(x, xOff, shape, perm, y, yOff);
  }

  private static void checkPermutation(int[] perm, int rank) {
    boolean[] seen = new boolean[rank];
    if (perm.length != rank) {
      throw new IllegalArgumentException(Arrays.toString(perm) + " is not a permutation of " + rank + " dimensions");
    }
    for (int p : perm) {
      if (p < 0 || p >= rank || seen[p]) {
        throw new IllegalArgumentException(Arrays.toString(perm) + " is not a permutation of " + rank + " dimensions");
      }
      seen[p] = true;
    }
  }
}

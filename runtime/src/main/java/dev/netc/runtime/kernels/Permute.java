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

  /** {@code y = x.permute(perm)} for {@code x} of {@code shape}, by {@link StridedBox#permute}. Not in place. */
  public static void permute(float[] x, int xOff, int[] shape, int[] perm, float[] y, int yOff) {
    checkPermutation(perm, shape.length);
    StridedBox.permute(shape, perm).copy(1, x, xOff, y, yOff);
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

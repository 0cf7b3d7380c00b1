package dev.netc.runtime.kernels;

import java.util.Arrays;

/**
 * The scalar twin of {@link GemmVector}: the same 4 x 16 tile over the same packed panels, with
 * plain loops, in the same summation order. Runs when the vector path is off, and checks it in
 * tests.
 */
final class GemmScalar {
  /** Floats of the tile array: 4 rows x 16 columns. */
  static final int TILE = PackGemm.MR * PackGemm.NR;

  private GemmScalar() {}

  /** Same contract as {@link GemmVector#kernel}. */
  static void kernel(int kc, float[] ap, int ai, float[] bp, int bi, float[] tile, int to) {
    Arrays.fill(tile, to, to + TILE, 0f);
    for (int k = 0; k < kc; k++) {
      int a = ai + k * PackGemm.MR;
      int b = bi + k * PackGemm.NR;
      for (int r = 0; r < PackGemm.MR; r++) {
        float av = ap[a + r];
        for (int j = 0; j < PackGemm.NR; j++) {
          tile[to + r * PackGemm.NR + j] = Math.fma(av, bp[b + j], tile[to + r * PackGemm.NR + j]);
        }
      }
    }
  }

  /** Same contract as {@link GemmVector#finish}, with the scalar epilogue. */
  static void finish(float[] tile, int to, int rows, int cols, boolean first, boolean last, EpilogueParams e,
      int col0, float[] c, int ci, int ldc, float[] res, int ri) {
    for (int r = 0; r < rows; r++) {
      int o = ci + r * ldc;
      for (int j = 0; j < cols; j++) {
        float v = tile[to + r * PackGemm.NR + j] + (first ? 0f : c[o + j]);
        c[o + j] = last ? e.apply(v, col0 + j, e.residual ? res[ri + r * ldc + j] : 0f) : v;
      }
    }
  }
}

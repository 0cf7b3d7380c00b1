package dev.netc.runtime.kernels;

/**
 * The scalar twin of {@link GemmVector}: the same 6 x 16 tile over the same packed panels, with
 * plain loops. Runs when the vector path is off, and checks it in tests.
 */
final class GemmScalar {
  /** Floats of scratch the kernel needs for its tile accumulators. */
  static final int TILE = PackGemm.MR * PackGemm.NR;

  private GemmScalar() {}

  /** Same contract as {@link GemmVector#kernel}; {@code acc[accOff .. accOff+96)} is scratch. */
  static void kernel(int kc, float[] ap, int ai, float[] bp, int bi, float[] c, int ci, int ldc,
      int rows, int cols, boolean first, boolean last, EpilogueParams e, int col0, float[] res,
      int ri, float[] acc, int accOff) {
    java.util.Arrays.fill(acc, accOff, accOff + TILE, 0f);
    for (int k = 0; k < kc; k++) {
      int a = ai + k * PackGemm.MR;
      int b = bi + k * PackGemm.NR;
      for (int r = 0; r < PackGemm.MR; r++) {
        float av = ap[a + r];
        int t = accOff + r * PackGemm.NR;
        for (int j = 0; j < PackGemm.NR; j++) {
          acc[t + j] = Math.fma(av, bp[b + j], acc[t + j]);
        }
      }
    }
    for (int r = 0; r < rows; r++) {
      int o = ci + r * ldc;
      int t = accOff + r * PackGemm.NR;
      for (int j = 0; j < cols; j++) {
        float v = acc[t + j] + (first ? 0f : c[o + j]);
        c[o + j] = last ? e.apply(v, col0 + j, e.residual ? res[ri + r * ldc + j] : 0f) : v;
      }
    }
  }
}

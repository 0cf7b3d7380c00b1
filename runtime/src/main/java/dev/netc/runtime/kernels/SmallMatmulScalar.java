package dev.netc.runtime.kernels;

/** The scalar twin of {@link SmallMatmul}; dot products accumulate in double. */
public final class SmallMatmulScalar {
  private SmallMatmulScalar() {}

  /** See {@link SmallMatmul#matmulNT}. */
  public static void matmulNT(int m, int n, int k, float alpha,
      float[] a, int aOff, int lda, float[] b, int bOff, int ldb,
      float[] bias, int biasOff, float[] y, int yOff, int ldy) {
    for (int i = 0; i < m; i++) {
      for (int j = 0; j < n; j++) {
        double s = 0;
        int ai = aOff + i * lda;
        int bj = bOff + j * ldb;
        for (int p = 0; p < k; p++) {
          s += a[ai + p] * b[bj + p];
        }
        y[yOff + i * ldy + j] = (float) (alpha * s) + (bias == null ? 0f : bias[biasOff + j]);
      }
    }
  }

  /** See {@link SmallMatmul#matmulNN}. */
  public static void matmulNN(int m, int n, int k, float[] a, int aOff, int lda, float[] b, int bOff, int ldb,
      float[] y, int yOff, int ldy) {
    for (int i = 0; i < m; i++) {
      for (int j = 0; j < n; j++) {
        double s = 0;
        for (int p = 0; p < k; p++) {
          s += a[aOff + i * lda + p] * b[bOff + p * ldb + j];
        }
        y[yOff + i * ldy + j] = (float) s;
      }
    }
  }
}

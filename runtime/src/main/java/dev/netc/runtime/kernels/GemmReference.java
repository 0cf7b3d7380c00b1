package dev.netc.runtime.kernels;

/**
 * The reference matrix product: plain triple loops in double precision over a {@link GemmSpec},
 * then the literal {@link Epilogue#apply} formula. The oracle for {@link GemmPlan}'s paths and
 * the reference interpreter's GEMM.
 */
public final class GemmReference {
  private GemmReference() {}

  /** {@code batch} products of {@code m} rows, laid out as {@code spec} says. */
  public static void run(GemmSpec spec, Epilogue e, int batch, int m, float[] a, int aOff,
      float[] b, int bOff, float[] c, int cOff, float[] res, int resOff) {
    for (int item = 0; item < batch; item++) {
      int ao = aOff + item * spec.strideA();
      int bo = bOff + item * spec.strideB();
      int co = cOff + item * spec.strideC();
      int ro = resOff + item * spec.strideC();
      for (int i = 0; i < m; i++) {
        for (int j = 0; j < spec.n(); j++) {
          double s = 0;
          for (int k = 0; k < spec.k(); k++) {
            float av = spec.transA() ? a[ao + k * spec.lda() + i] : a[ao + i * spec.lda() + k];
            float bv = spec.transB() ? b[bo + j * spec.ldb() + k] : b[bo + k * spec.ldb() + j];
            s += (double) av * bv;
          }
          float r = e.residual() ? res[ro + i * spec.ldc() + j] : 0f;
          c[co + i * spec.ldc() + j] = e.apply((float) s, j, r);
        }
      }
    }
  }
}

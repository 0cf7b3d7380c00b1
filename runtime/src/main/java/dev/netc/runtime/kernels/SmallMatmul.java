package dev.netc.runtime.kernels;

import dev.netc.runtime.VectorSupport;

/**
 * Small strided matrix products for attention and recurrent layers, where matrices are a few
 * dozen to a few hundred wide and often strided views (one head of a packed projection).
 * The large, packed GEMM of linear and convolution layers lives in the {@code Gemm*} kernels.
 *
 * <p>Matrices are row-major with a leading dimension (row stride) each:
 * {@link #matmulNT} computes {@code Y[m, n] = alpha * sum_k A[m, k] * B[n, k] (+ bias[n])}, i.e.
 * {@code A · Bᵀ} — the shape of a PyTorch linear layer whose weight is {@code [out, in]};
 * {@link #matmulNN} computes {@code Y[m, n] = sum_k A[m, k] * B[k, n]}.
 */
public final class SmallMatmul {
  private static final boolean VECTOR = VectorSupport.ENABLED;

  private SmallMatmul() {}

  /** {@code Y = alpha * A · Bᵀ + bias} ({@code bias} of {@code n} elements at {@code biasOff}, or null). */
  public static void matmulNT(int m, int n, int k, float alpha,
      float[] a, int aOff, int lda, float[] b, int bOff, int ldb,
      float[] bias, int biasOff, float[] y, int yOff, int ldy) {
    if (VECTOR) {
      SmallMatmulVector.matmulNT(m, n, k, alpha, a, aOff, lda, b, bOff, ldb, bias, biasOff, y, yOff, ldy);
    } else {
      SmallMatmulScalar.matmulNT(m, n, k, alpha, a, aOff, lda, b, bOff, ldb, bias, biasOff, y, yOff, ldy);
    }
  }

  /** {@code Y = A · B}. */
  public static void matmulNN(int m, int n, int k, float[] a, int aOff, int lda, float[] b, int bOff, int ldb,
      float[] y, int yOff, int ldy) {
    if (VECTOR) {
      SmallMatmulVector.matmulNN(m, n, k, a, aOff, lda, b, bOff, ldb, y, yOff, ldy);
    } else {
      SmallMatmulScalar.matmulNN(m, n, k, a, aOff, lda, b, bOff, ldb, y, yOff, ldy);
    }
  }

  /**
   * A linear layer on contiguous rows: {@code y[r, o] = sum_i x[r, i] * w[o, i] + bias[o]},
   * {@code x [rows, in]}, {@code w [out, in]} (PyTorch's layout), {@code y [rows, out]}.
   */
  public static void linear(float[] x, int xOff, int rows, int in, float[] w, float[] bias, int out,
      float[] y, int yOff) {
    matmulNT(rows, out, in, 1f, x, xOff, in, w, 0, in, bias, 0, y, yOff, out);
  }
}

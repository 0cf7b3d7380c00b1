package dev.netc.runtime.kernels;

/**
 * The fixed part of a matrix product {@code C[M,N] = op(A)[M,K] · op(B)[K,N]}, batched over
 * {@code batch} independent products: everything but {@code M} and the batch size, which are
 * given per call.
 *
 * <p>Row-major storage with explicit leading dimensions: element {@code (m, k)} of {@code op(A)}
 * is {@code A[m*lda + k]}, or {@code A[k*lda + m]} when {@code transA}; element {@code (k, n)} of
 * {@code op(B)} is {@code B[k*ldb + n]}, or {@code B[n*ldb + k]} when {@code transB}; {@code C}
 * and the residual are {@code C[m*ldc + n]}. Batch item {@code i} starts {@code i*strideA},
 * {@code i*strideB}, {@code i*strideC} after the offsets given to {@code run}.
 *
 * @param transA  A is stored {@code [K, M]}
 * @param transB  B is stored {@code [N, K]} (PyTorch's linear weight {@code [out, in]})
 * @param k       the reduction length
 * @param n       the number of columns of C
 * @param lda     A's leading dimension
 * @param ldb     B's leading dimension
 * @param ldc     C's (and the residual's) leading dimension
 * @param strideA distance between batch items of A
 * @param strideB distance between batch items of B
 * @param strideC distance between batch items of C
 */
public record GemmSpec(boolean transA, boolean transB, int k, int n, int lda, int ldb, int ldc,
    int strideA, int strideB, int strideC) {
  /** Checks the sizes. */
  public GemmSpec {
    if (k < 0 || n < 1 || lda < 1 || ldb < 1 || ldc < n) {
      throw new IllegalArgumentException("bad GEMM sizes: k=" + k + " n=" + n + " lda=" + lda
          + " ldb=" + ldb + " ldc=" + ldc);
    }
    if (!transA && lda < k || !transB && ldb < n || transB && ldb < k) {
      throw new IllegalArgumentException("leading dimension too small: k=" + k + " n=" + n
          + " lda=" + lda + " ldb=" + ldb);
    }
  }

  /** Dense row-major {@code A[M,K] · B[K,N]}, not batched. */
  public static GemmSpec dense(int k, int n) {
    return new GemmSpec(false, false, k, n, Math.max(1, k), n, n, 0, 0, 0);
  }

  /** Dense {@code op(A) · op(B)}; {@code m} is needed for A's leading dimension when transposed. */
  public static GemmSpec dense(boolean transA, boolean transB, int m, int k, int n) {
    return new GemmSpec(transA, transB, k, n, Math.max(1, transA ? m : k), Math.max(1, transB ? k : n), n,
        m * k, k * n, m * n);
  }

  /** A linear layer {@code y[M,out] = x[M,in] · W^T} with W stored {@code [out, in]}. */
  public static GemmSpec linear(int in, int out) {
    return new GemmSpec(false, true, in, out, Math.max(1, in), Math.max(1, in), out, 0, 0, 0);
  }
}

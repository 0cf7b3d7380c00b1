package dev.netc.runtime.kernels;


import jdk.incubator.vector.FloatVector;
import jdk.incubator.vector.VectorMask;
import jdk.incubator.vector.VectorSpecies;

/**
 * The vector path of {@link SmallMatmul}: {@code A · Bᵀ} as vector dot products along k (both
 * operands contiguous there); {@code A · B} as row updates {@code Y[i, :] += A[i, p] * B[p, :]}
 * along n. Float accumulation: within about {@code k * 1e-7} relative of the scalar twin.
 */
public final class SmallMatmulVector {
  private static final VectorSpecies<Float> S = FloatVector.SPECIES_PREFERRED;

  private SmallMatmulVector() {}

  /** See {@link SmallMatmul#matmulNT}. */
  public static void matmulNT(int m, int n, int k, float alpha,
      float[] a, int aOff, int lda, float[] b, int bOff, int ldb,
      float[] bias, int biasOff, float[] y, int yOff, int ldy) {
    for (int i = 0; i < m; i++) {
      int ai = aOff + i * lda;
      for (int j = 0; j < n; j++) {
        float s = dot(a, ai, b, bOff + j * ldb, k);
        y[yOff + i * ldy + j] = alpha * s + (bias == null ? 0f : bias[biasOff + j]);
      }
    }
  }

  static float dot(float[] a, int ao, float[] b, int bo, int k) {
    FloatVector acc = FloatVector.zero(S);
    int p = 0;
    int bound = S.loopBound(k);
    for (; p < bound; p += S.length()) {
      acc = FloatVector.fromArray(S, a, ao + p).fma(FloatVector.fromArray(S, b, bo + p), acc);
    }
    float s = Lanes.sum(acc);
    for (; p < k; p++) {
      s += a[ao + p] * b[bo + p];
    }
    return s;
  }

  /** See {@link SmallMatmul#matmulNN}. */
  public static void matmulNN(int m, int n, int k, float[] a, int aOff, int lda, float[] b, int bOff, int ldb,
      float[] y, int yOff, int ldy) {
    for (int i = 0; i < m; i++) {
      int yi = yOff + i * ldy;
      for (int j = 0; j < n; j += S.length()) {
        VectorMask<Float> mask = S.indexInRange(j, n);
        FloatVector acc = FloatVector.zero(S);
        for (int p = 0; p < k; p++) {
          acc = FloatVector.fromArray(S, b, bOff + p * ldb + j, mask).fma(FloatVector.broadcast(S, a[aOff + i * lda + p]), acc);
        }
        acc.intoArray(y, yi + j, mask);
      }
    }
  }
}

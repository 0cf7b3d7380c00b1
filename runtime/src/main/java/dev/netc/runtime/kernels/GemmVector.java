package dev.netc.runtime.kernels;

import static dev.netc.runtime.kernels.EpilogueVector.L;
import static dev.netc.runtime.kernels.EpilogueVector.S;

import jdk.incubator.vector.FloatVector;

/**
 * The GEMM micro-kernel, vector form: a 6 x 16 tile of C held in 12 vector registers (an outer
 * product per k step: 2 vector loads of B, 6 broadcasts of A, 12 FMAs), so that loads stay
 * below the FMA rate and 12 independent chains hide the FMA latency. Sized for 16 vector
 * registers (AVX2): 12 accumulators + 2 B vectors + 1 broadcast.
 *
 * <p>Loaded only when {@link PackedKernels#VECTOR}; {@link GemmScalar} is its twin.
 */
final class GemmVector {
  private GemmVector() {}

  /**
   * C tile += packed A panel · packed B panel over {@code kc} steps.
   *
   * @param ap    packed A, panel starting at {@code ai} ({@code kc*6} floats)
   * @param bp    packed B, panel starting at {@code bi} ({@code kc*16} floats)
   * @param c     C, tile origin {@code ci}, leading dimension {@code ldc}
   * @param rows  valid rows of the tile (1..6)
   * @param cols  valid columns (1..16)
   * @param first true on the first K block: C is overwritten, not accumulated
   * @param last  true on the last K block: the epilogue is applied
   * @param col0  the tile's first column (its first epilogue channel)
   * @param res   the residual (when the epilogue has one), tile origin {@code ri}, stride ldc
   */
  static void kernel(int kc, float[] ap, int ai, float[] bp, int bi, float[] c, int ci, int ldc,
      int rows, int cols, boolean first, boolean last, EpilogueParams e, int col0, float[] res,
      int ri) {
    FloatVector c00 = FloatVector.zero(S), c01 = c00, c10 = c00, c11 = c00, c20 = c00, c21 = c00;
    FloatVector c30 = c00, c31 = c00, c40 = c00, c41 = c00, c50 = c00, c51 = c00;
    for (int k = 0; k < kc; k++) {
      FloatVector b0 = FloatVector.fromArray(S, bp, bi);
      FloatVector b1 = FloatVector.fromArray(S, bp, bi + L);
      FloatVector a = FloatVector.broadcast(S, ap[ai]);
      c00 = a.fma(b0, c00);
      c01 = a.fma(b1, c01);
      a = FloatVector.broadcast(S, ap[ai + 1]);
      c10 = a.fma(b0, c10);
      c11 = a.fma(b1, c11);
      a = FloatVector.broadcast(S, ap[ai + 2]);
      c20 = a.fma(b0, c20);
      c21 = a.fma(b1, c21);
      a = FloatVector.broadcast(S, ap[ai + 3]);
      c30 = a.fma(b0, c30);
      c31 = a.fma(b1, c31);
      a = FloatVector.broadcast(S, ap[ai + 4]);
      c40 = a.fma(b0, c40);
      c41 = a.fma(b1, c41);
      a = FloatVector.broadcast(S, ap[ai + 5]);
      c50 = a.fma(b0, c50);
      c51 = a.fma(b1, c51);
      ai += PackGemm.MR;
      bi += PackGemm.NR;
    }
    row(c00, c01, c, ci, cols, first, last, e, col0, res, ri);
    if (rows > 1) {
      row(c10, c11, c, ci + ldc, cols, first, last, e, col0, res, ri + ldc);
    }
    if (rows > 2) {
      row(c20, c21, c, ci + 2 * ldc, cols, first, last, e, col0, res, ri + 2 * ldc);
    }
    if (rows > 3) {
      row(c30, c31, c, ci + 3 * ldc, cols, first, last, e, col0, res, ri + 3 * ldc);
    }
    if (rows > 4) {
      row(c40, c41, c, ci + 4 * ldc, cols, first, last, e, col0, res, ri + 4 * ldc);
    }
    if (rows > 5) {
      row(c50, c51, c, ci + 5 * ldc, cols, first, last, e, col0, res, ri + 5 * ldc);
    }
  }

  private static void row(FloatVector v0, FloatVector v1, float[] c, int o, int cols,
      boolean first, boolean last, EpilogueParams e, int col0, float[] res, int r) {
    if (!first) {
      v0 = v0.add(EpilogueVector.loadPartial(c, o, cols, 0));
      v1 = v1.add(EpilogueVector.loadPartial(c, o, cols, 1));
    }
    if (last) {
      EpilogueVector.storeRow(e, col0, v0, v1, c, o, res, r, cols);
    } else {
      EpilogueVector.storeRaw(v0, v1, c, o, cols);
    }
  }
}

package dev.netc.runtime.kernels;

import static dev.netc.runtime.kernels.EpilogueVector.L;
import static dev.netc.runtime.kernels.EpilogueVector.S;

import jdk.incubator.vector.FloatVector;

/**
 * The GEMM micro-kernel, vector form: a 4 x 16 tile of C held in 8 vector registers (an outer
 * product per k step: 2 vector loads of B, 4 broadcasts of A, 8 FMAs). Eight independent chains
 * cover the FMA latency; the tile is sized for what C2 keeps in AVX2's 16 registers: a 6 x 16
 * tile spilled an accumulator and ran at 40 % of the peak, this one at 95 % (bench/README.md).
 * The accumulators go to a 64-float tile array; {@link EpilogueVector256#row16} finishes them.
 *
 * <p>Loaded only when {@link PackedKernels#VECTOR}; {@link GemmScalar} is its twin. Where the kernels run at
 * 512 bits, {@link GemmVector512}'s 8 x 32 and 8 x 16 tiles take every tile of more than 4 rows; the 4-row
 * and one-row kernels here take the rest.
 */
final class GemmVector {
  private GemmVector() {}

  /**
   * {@code tile[to .. to+64) = } packed A panel ({@code kc*4} floats from {@code ai}) times packed B
   * panel ({@code kc*16} floats from {@code bi}), row-major 4 x 16.
   */
  static void kernel(int kc, float[] ap, int ai, float[] bp, int bi, float[] tile, int to) {
    // addressed from k, not stepped: the JIT then bounds-checks the loads once per loop (KernelGenerator's pairStep)
    FloatVector c00 = FloatVector.zero(S);
    FloatVector c01 = c00, c10 = c00, c11 = c00, c20 = c00, c21 = c00, c30 = c00, c31 = c00;
    for (int k = 0; k < kc; k++) {
      int ak = ai + k * PackGemm.MR;
      int bk = bi + k * PackGemm.NR;
      FloatVector b0 = FloatVector.fromArray(S, bp, bk);
      FloatVector b1 = FloatVector.fromArray(S, bp, bk + L);
      FloatVector a = FloatVector.broadcast(S, ap[ak]);
      c00 = a.fma(b0, c00);
      c01 = a.fma(b1, c01);
      a = FloatVector.broadcast(S, ap[ak + 1]);
      c10 = a.fma(b0, c10);
      c11 = a.fma(b1, c11);
      a = FloatVector.broadcast(S, ap[ak + 2]);
      c20 = a.fma(b0, c20);
      c21 = a.fma(b1, c21);
      a = FloatVector.broadcast(S, ap[ak + 3]);
      c30 = a.fma(b0, c30);
      c31 = a.fma(b1, c31);
    }
    c00.intoArray(tile, to);
    c01.intoArray(tile, to + L);
    c10.intoArray(tile, to + 16);
    c11.intoArray(tile, to + 16 + L);
    c20.intoArray(tile, to + 32);
    c21.intoArray(tile, to + 32 + L);
    c30.intoArray(tile, to + 48);
    c31.intoArray(tile, to + 48 + L);
  }

  /**
   * Row 0 of {@link #kernel}'s tile alone ({@code tile[to .. to+16)}; rows 1-3 are left as they
   * were), the same sums in the same order: a product with one row of A (a linear layer at batch
   * 1) streams B once, without the three rows of padding's FMAs and broadcasts, so more of B's
   * loads are in flight at once.
   */
  static void kernel1(int kc, float[] ap, int ai, float[] bp, int bi, float[] tile, int to) {
    FloatVector c00 = FloatVector.zero(S);
    FloatVector c01 = c00;
    for (int k = 0; k < kc; k++) {
      int ak = ai + k * PackGemm.MR;
      int bk = bi + k * PackGemm.NR;
      FloatVector a = FloatVector.broadcast(S, ap[ak]);
      c00 = a.fma(FloatVector.fromArray(S, bp, bk), c00);
      c01 = a.fma(FloatVector.fromArray(S, bp, bk + L), c01);
    }
    c00.intoArray(tile, to);
    c01.intoArray(tile, to + L);
  }

  /**
   * {@link #kernel1} for four neighbouring B panels at once ({@code ps} floats apart), panel q's row
   * into row q of the tile: four streams through memory instead of one. A product with one row of A
   * reads every weight once from DRAM, and one core's bandwidth grows with the streams in flight (a
   * scratch measurement on this Zen 3 host: 17, 22 and 27 GB/s for 1, 2 and 4 streams). The sums are
   * {@link #kernel}'s, in the same order.
   */
  static void kernel1x4(int kc, float[] ap, int ai, float[] bp, int bi, int ps, float[] tile, int to) {
    FloatVector c00 = FloatVector.zero(S);
    FloatVector c01 = c00, c10 = c00, c11 = c00, c20 = c00, c21 = c00, c30 = c00, c31 = c00;
    for (int k = 0; k < kc; k++) {
      int ak = ai + k * PackGemm.MR;
      int bk = bi + k * PackGemm.NR;
      FloatVector a = FloatVector.broadcast(S, ap[ak]);
      c00 = a.fma(FloatVector.fromArray(S, bp, bk), c00);
      c01 = a.fma(FloatVector.fromArray(S, bp, bk + L), c01);
      c10 = a.fma(FloatVector.fromArray(S, bp, bk + ps), c10);
      c11 = a.fma(FloatVector.fromArray(S, bp, bk + ps + L), c11);
      c20 = a.fma(FloatVector.fromArray(S, bp, bk + 2 * ps), c20);
      c21 = a.fma(FloatVector.fromArray(S, bp, bk + 2 * ps + L), c21);
      c30 = a.fma(FloatVector.fromArray(S, bp, bk + 3 * ps), c30);
      c31 = a.fma(FloatVector.fromArray(S, bp, bk + 3 * ps + L), c31);
    }
    c00.intoArray(tile, to);
    c01.intoArray(tile, to + L);
    c10.intoArray(tile, to + 16);
    c11.intoArray(tile, to + 16 + L);
    c20.intoArray(tile, to + 32);
    c21.intoArray(tile, to + 32 + L);
    c30.intoArray(tile, to + 48);
    c31.intoArray(tile, to + 48 + L);
  }

  /** Finishes the first {@code rows} rows of the tile into C (see {@link EpilogueVector256#row16}). */
  static void finish(float[] tile, int to, int rows, int cols, boolean first, boolean last, EpilogueParams e,
      int col0, float[] c, int ci, int ldc, float[] res, int ri) {
    for (int r = 0; r < rows; r++) {
      EpilogueVector256.row16(e, col0, tile, to + 16 * r, c, ci + r * ldc, res, ri + r * ldc, cols, first, last);
    }
  }
}

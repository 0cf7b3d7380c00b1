package dev.netc.runtime.kernels;

import jdk.incubator.vector.FloatVector;
import jdk.incubator.vector.VectorSpecies;

/**
 * The GEMM micro-kernels at 512 bits ({@link PackedKernels#BITS} 512): a 16-column B panel row is one
 * vector, so a tile spans two panels and two A panels, 8 x 32 floats of C in 16 accumulators (per k
 * step: 2 vector loads of B, 8 broadcasts of A, 16 FMAs, the shape of the conv's two-block tiles).
 * {@link GemmVector}'s 4 x 16 tile is written with 256-bit vectors (8 accumulators), so it can reach at
 * most half of a 512-bit host's peak: SGEMM 1024³ ran at 83 GFLOP/s on one Zen 5 thread, 39-40 % of it
 * (bench/README.md, "Third round on a Zen 5 host").
 *
 * <p>Operands are {@link PackGemm}'s panels: A panel {@code p} at {@code ai + p*as}, B panel {@code q}
 * at {@code bi + q*bs}. The tile array holds one 8 x 16 tile per B panel, panel q's row r at
 * {@code to + 128q + 16r}, finished by {@link GemmVector#finish}. Every element is the k-ordered
 * chain of FMAs of {@link GemmVector#kernel} and {@link GemmScalar#kernel}: the same sums.
 */
final class GemmVector512 {
  private static final VectorSpecies<Float> S = FloatVector.SPECIES_512;
  /** Floats of the tile array: two 8 x 16 tiles. */
  static final int TILE = 2 * 8 * PackGemm.NR;

  private GemmVector512() {}

  /** Rows 0-7 (two A panels) times two B panels. */
  static void kernel8x32(int kc, float[] ap, int ai, int as, float[] bp, int bi, int bs, float[] tile, int to) {
    FloatVector c00 = FloatVector.zero(S);
    FloatVector c01 = c00, c10 = c00, c11 = c00, c20 = c00, c21 = c00, c30 = c00, c31 = c00;
    FloatVector c40 = c00, c41 = c00, c50 = c00, c51 = c00, c60 = c00, c61 = c00, c70 = c00, c71 = c00;
    int a2 = ai + as;
    int b2 = bi + bs;
    for (int k = 0; k < kc; k++) {
      FloatVector b0 = FloatVector.fromArray(S, bp, bi);
      FloatVector b1 = FloatVector.fromArray(S, bp, b2);
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
      a = FloatVector.broadcast(S, ap[a2]);
      c40 = a.fma(b0, c40);
      c41 = a.fma(b1, c41);
      a = FloatVector.broadcast(S, ap[a2 + 1]);
      c50 = a.fma(b0, c50);
      c51 = a.fma(b1, c51);
      a = FloatVector.broadcast(S, ap[a2 + 2]);
      c60 = a.fma(b0, c60);
      c61 = a.fma(b1, c61);
      a = FloatVector.broadcast(S, ap[a2 + 3]);
      c70 = a.fma(b0, c70);
      c71 = a.fma(b1, c71);
      ai += PackGemm.MR;
      a2 += PackGemm.MR;
      bi += PackGemm.NR;
      b2 += PackGemm.NR;
    }
    c00.intoArray(tile, to);
    c10.intoArray(tile, to + 16);
    c20.intoArray(tile, to + 32);
    c30.intoArray(tile, to + 48);
    c40.intoArray(tile, to + 64);
    c50.intoArray(tile, to + 80);
    c60.intoArray(tile, to + 96);
    c70.intoArray(tile, to + 112);
    c01.intoArray(tile, to + 128);
    c11.intoArray(tile, to + 144);
    c21.intoArray(tile, to + 160);
    c31.intoArray(tile, to + 176);
    c41.intoArray(tile, to + 192);
    c51.intoArray(tile, to + 208);
    c61.intoArray(tile, to + 224);
    c71.intoArray(tile, to + 240);
  }

  /** Rows 0-3 (one A panel) times two B panels: the row block's last rows. */
  static void kernel4x32(int kc, float[] ap, int ai, float[] bp, int bi, int bs, float[] tile, int to) {
    FloatVector c00 = FloatVector.zero(S);
    FloatVector c01 = c00, c10 = c00, c11 = c00, c20 = c00, c21 = c00, c30 = c00, c31 = c00;
    int b2 = bi + bs;
    for (int k = 0; k < kc; k++) {
      FloatVector b0 = FloatVector.fromArray(S, bp, bi);
      FloatVector b1 = FloatVector.fromArray(S, bp, b2);
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
      ai += PackGemm.MR;
      bi += PackGemm.NR;
      b2 += PackGemm.NR;
    }
    c00.intoArray(tile, to);
    c10.intoArray(tile, to + 16);
    c20.intoArray(tile, to + 32);
    c30.intoArray(tile, to + 48);
    c01.intoArray(tile, to + 128);
    c11.intoArray(tile, to + 144);
    c21.intoArray(tile, to + 160);
    c31.intoArray(tile, to + 176);
  }

  /** Rows 0-7 (two A panels) times one B panel: the last panel of an odd count. */
  static void kernel8x16(int kc, float[] ap, int ai, int as, float[] bp, int bi, float[] tile, int to) {
    FloatVector c0 = FloatVector.zero(S);
    FloatVector c1 = c0, c2 = c0, c3 = c0, c4 = c0, c5 = c0, c6 = c0, c7 = c0;
    int a2 = ai + as;
    for (int k = 0; k < kc; k++) {
      FloatVector b = FloatVector.fromArray(S, bp, bi);
      c0 = FloatVector.broadcast(S, ap[ai]).fma(b, c0);
      c1 = FloatVector.broadcast(S, ap[ai + 1]).fma(b, c1);
      c2 = FloatVector.broadcast(S, ap[ai + 2]).fma(b, c2);
      c3 = FloatVector.broadcast(S, ap[ai + 3]).fma(b, c3);
      c4 = FloatVector.broadcast(S, ap[a2]).fma(b, c4);
      c5 = FloatVector.broadcast(S, ap[a2 + 1]).fma(b, c5);
      c6 = FloatVector.broadcast(S, ap[a2 + 2]).fma(b, c6);
      c7 = FloatVector.broadcast(S, ap[a2 + 3]).fma(b, c7);
      ai += PackGemm.MR;
      a2 += PackGemm.MR;
      bi += PackGemm.NR;
    }
    c0.intoArray(tile, to);
    c1.intoArray(tile, to + 16);
    c2.intoArray(tile, to + 32);
    c3.intoArray(tile, to + 48);
    c4.intoArray(tile, to + 64);
    c5.intoArray(tile, to + 80);
    c6.intoArray(tile, to + 96);
    c7.intoArray(tile, to + 112);
  }
}

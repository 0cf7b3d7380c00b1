package dev.netc.runtime.kernels;

import java.util.Arrays;

/**
 * The scalar twin of {@link ConvTileVector}: the same tiles over the same packed weights and
 * offset tables, in plain loops, with the tile's accumulators in a scratch array. Runs when the
 * vector path is off (the runtime then still uses the blocked layout and the same plans).
 */
final class ConvTileScalar {
  /** Scratch floats needed: 6 pixels x 16 channels. */
  static final int SCRATCH = 6 * 16;

  private ConvTileScalar() {}

  /** {@code n <= 6} pixels over one range; arguments as in {@link ConvTileVector}. */
  static void tile(int n, float[] in, int ib, int is, int[] off, int r0, int r1, float[] w, int wb,
      float[] out, int ob, int os, EpilogueParams e, int ch, float[] res, int rb, float[] acc) {
    Arrays.fill(acc, 0, n * 16, 0f);
    for (int r = r0; r < r1; r++) {
      int wi = wb + r * 16;
      int o = ib + off[r];
      for (int p = 0; p < n; p++) {
        float x = in[o + p * is];
        for (int c = 0; c < 16; c++) {
          acc[p * 16 + c] = Math.fma(x, w[wi + c], acc[p * 16 + c]);
        }
      }
    }
    for (int p = 0; p < n; p++) {
      store(e, ch, acc, p * 16, out, ob + p * os, res, rb + p * os);
    }
  }

  /** One pixel over several tap ranges; arguments as in {@link ConvTileVector#pixel}. */
  static void pixel(float[] in, int ib, int[] off, int[] ranges, int q0, int nq, int nic,
      float[] w, int wb, float[] out, int ob, EpilogueParams e, int ch, float[] res, int rb,
      float[] acc) {
    Arrays.fill(acc, 0, 16, 0f);
    for (int q = q0; q < q0 + nq; q++) {
      for (int r = ranges[2 * q] * nic; r < ranges[2 * q + 1] * nic; r++) {
        float x = in[ib + off[r]];
        int wi = wb + r * 16;
        for (int c = 0; c < 16; c++) {
          acc[c] = Math.fma(x, w[wi + c], acc[c]);
        }
      }
    }
    store(e, ch, acc, 0, out, ob, res, rb);
  }

  /** The epilogue of one pixel's 16 channels; padding channels get zeros. */
  static void store(EpilogueParams e, int ch, float[] acc, int a, float[] out, int o, float[] res,
      int r) {
    for (int c = 0; c < 16; c++) {
      out[o + c] = ch + c < e.channels ? e.apply(acc[a + c], ch + c, e.residual ? res[r + c] : 0f) : 0f;
    }
  }
}

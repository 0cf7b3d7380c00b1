package dev.netc.runtime.kernels;

import java.util.Arrays;

/**
 * The scalar twin of {@link ConvTileVector}: the same tiles over the same packed weights and
 * offset tables, in plain loops and the same summation order, into the same tile array; plus the
 * scalar epilogue of one pixel. Runs when the vector path is off (the runtime then still uses the
 * blocked layout and the same plans).
 */
final class ConvTileScalar {
  /** Floats of the tile array: 4 pixels x 16 channels. */
  static final int TILE = 4 * 16;

  private ConvTileScalar() {}

  /** {@code n <= 4} pixels over one range; arguments as in {@link ConvTileVector}. */
  static void tile(int n, float[] in, int ib, int is, int[] off, int r0, int r1, float[] w, int wb,
      float[] tile, int to) {
    Arrays.fill(tile, to, to + n * 16, 0f);
    for (int r = r0; r < r1; r++) {
      int wi = wb + r * 16;
      int o = ib + off[r];
      for (int p = 0; p < n; p++) {
        float x = in[o + p * is];
        int t = to + p * 16;
        for (int c = 0; c < 16; c++) {
          tile[t + c] = Math.fma(x, w[wi + c], tile[t + c]);
        }
      }
    }
  }

  /** One pixel over several tap ranges; arguments as in {@link ConvTileVector#pixel}. */
  static void pixel(float[] in, int ib, int[] off, int[] ranges, int q0, int nq, int nic,
      float[] w, int wb, float[] tile, int to) {
    Arrays.fill(tile, to, to + 16, 0f);
    for (int q = q0; q < q0 + nq; q++) {
      for (int r = ranges[2 * q] * nic; r < ranges[2 * q + 1] * nic; r++) {
        float x = in[ib + off[r]];
        int wi = wb + r * 16;
        for (int c = 0; c < 16; c++) {
          tile[to + c] = Math.fma(x, w[wi + c], tile[to + c]);
        }
      }
    }
  }

  /** The epilogue of one pixel's 16 channels ({@code tile[t..]}); padding channels get zeros. */
  static void block16(EpilogueParams e, int ch, float[] tile, int t, float[] out, int o,
      float[] res, int r) {
    for (int c = 0; c < 16; c++) {
      out[o + c] = ch + c < e.channels ? e.apply(tile[t + c], ch + c, e.residual ? res[r + c] : 0f) : 0f;
    }
  }
}

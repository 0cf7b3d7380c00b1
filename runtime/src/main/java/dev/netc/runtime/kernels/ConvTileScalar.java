package dev.netc.runtime.kernels;

import java.util.Arrays;

/**
 * The scalar twin of the generated {@code ConvTileVector256} and {@code ConvTileVector512}: the
 * same tiles over the same packed weights and offset tables, in plain loops and the same summation
 * order per pixel, then the same epilogue operations in the same order (the vector tiles apply them
 * in registers; here the sums pass through a tile array). Runs when the vector path is off (the
 * runtime then still uses the blocked layout and the same plans).
 */
final class ConvTileScalar {
  /** Floats of the tile array: 4 pixels x 16 channels. */
  static final int TILE = 4 * 16;

  private ConvTileScalar() {}

  /**
   * A run of {@code count} pixels of a direct convolution over one range, in tiles of 4; arguments
   * as the vector twins'.
   */
  static void line(float[] in, int ib, int is, int[] off, int r0, int r1,
      float[] w, int wb, float[] out, int ob, int os, int count, EpilogueParams e, int ch,
      float[] res, int rd, float[] tile) {
    for (int p = 0; p < count; p += 4) {
      int n = Math.min(4, count - p);
      tile(n, in, ib + p * is, is, off, r0, r1, w, wb, tile, 0);
      finish(n, e, ch, tile, out, ob + p * os, os, res, rd);
    }
  }

  /** {@code n <= 4} pixels over one range, into {@code tile[to ..]}. */
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

  /** One pixel over several tap ranges, finished into {@code out[o ..]}; arguments as the vector twins'. */
  static void pixel(float[] in, int ib, int[] off, int[] ranges, int q0, int nq, int nic,
      float[] w, int wb, float[] out, int o, EpilogueParams e, int ch, float[] res, int rd,
      float[] tile) {
    Arrays.fill(tile, 0, 16, 0f);
    for (int q = q0; q < q0 + nq; q++) {
      for (int r = ranges[2 * q] * nic; r < ranges[2 * q + 1] * nic; r++) {
        float x = in[ib + off[r]];
        int wi = wb + r * 16;
        for (int c = 0; c < 16; c++) {
          tile[c] = Math.fma(x, w[wi + c], tile[c]);
        }
      }
    }
    block16(e, ch, tile, 0, out, o, res, o + rd);
  }

  /** The epilogue of {@code n} pixels of a tile, stored {@code os} apart from {@code ob}. */
  static void finish(int n, EpilogueParams e, int ch, float[] tile, float[] out, int ob, int os,
      float[] res, int rd) {
    for (int p = 0; p < n; p++) {
      int o = ob + p * os;
      block16(e, ch, tile, 16 * p, out, o, res, o + rd);
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

package dev.netc.runtime.kernels;

import java.util.Arrays;

/**
 * The scalar twin of the generated {@code DepthwiseVector256} and {@code DepthwiseVector512}: same
 * taps in the same order per pixel, plain loops, the epilogue through a tile array (runs go
 * through {@link ConvTileScalar#line}).
 */
final class DepthwiseScalar {
  private DepthwiseScalar() {}

  /** {@code n <= 4} pixels of one block over one tap range. */
  static void tile(int n, float[] in, int ib, int is, int[] off, int r0, int r1, float[] w, int wb,
      float[] tile, int to) {
    Arrays.fill(tile, to, to + n * 16, 0f);
    for (int r = r0; r < r1; r++) {
      int wi = wb + r * 16;
      for (int p = 0; p < n; p++) {
        int o = ib + off[r] + p * is;
        int t = to + p * 16;
        for (int c = 0; c < 16; c++) {
          tile[t + c] = Math.fma(in[o + c], w[wi + c], tile[t + c]);
        }
      }
    }
  }

  /** One pixel over several tap ranges, finished into {@code out[o ..]}. */
  static void pixel(float[] in, int ib, int[] off, int[] ranges, int q0, int nq, float[] w, int wb,
      float[] out, int o, EpilogueParams e, int ch, float[] res, int rd, float[] tile) {
    Arrays.fill(tile, 0, 16, 0f);
    for (int q = q0; q < q0 + nq; q++) {
      for (int r = ranges[2 * q]; r < ranges[2 * q + 1]; r++) {
        int i = ib + off[r];
        int wi = wb + r * 16;
        for (int c = 0; c < 16; c++) {
          tile[c] = Math.fma(in[i + c], w[wi + c], tile[c]);
        }
      }
    }
    ConvTileScalar.block16(e, ch, tile, 0, out, o, res, o + rd);
  }
}

package dev.netc.runtime.kernels;

import java.util.Arrays;

/** The scalar twin of {@link DepthwiseVector}: same tiles, plain loops, accumulators in scratch. */
final class DepthwiseScalar {
  private DepthwiseScalar() {}

  /** {@code n} pixels of one block over one tap range. */
  static void tile(int n, float[] in, int ib, int is, int[] off, int r0, int r1, float[] w, int wb,
      float[] out, int ob, int os, EpilogueParams e, int ch, float[] res, int rb, float[] acc) {
    Arrays.fill(acc, 0, n * 16, 0f);
    for (int r = r0; r < r1; r++) {
      int wi = wb + r * 16;
      for (int p = 0; p < n; p++) {
        int o = ib + off[r] + p * is;
        for (int c = 0; c < 16; c++) {
          acc[p * 16 + c] = Math.fma(in[o + c], w[wi + c], acc[p * 16 + c]);
        }
      }
    }
    for (int p = 0; p < n; p++) {
      ConvTileScalar.store(e, ch, acc, p * 16, out, ob + p * os, res, rb + p * os);
    }
  }

  /** One pixel over several tap ranges. */
  static void pixel(float[] in, int ib, int[] off, int[] ranges, int q0, int nq, float[] w, int wb,
      float[] out, int ob, EpilogueParams e, int ch, float[] res, int rb, float[] acc) {
    Arrays.fill(acc, 0, 16, 0f);
    for (int q = q0; q < q0 + nq; q++) {
      for (int r = ranges[2 * q]; r < ranges[2 * q + 1]; r++) {
        int o = ib + off[r];
        int wi = wb + r * 16;
        for (int c = 0; c < 16; c++) {
          acc[c] = Math.fma(in[o + c], w[wi + c], acc[c]);
        }
      }
    }
    ConvTileScalar.store(e, ch, acc, 0, out, ob, res, rb);
  }
}

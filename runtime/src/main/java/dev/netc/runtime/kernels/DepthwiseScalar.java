package dev.netc.runtime.kernels;

/**
 * The scalar twin of the generated {@code DepthwiseVector256} and {@code DepthwiseVector512}: same
 * taps in the same order per pixel, each pixel starting at its channels' addends (the stage folds
 * the epilogue's multiplier into the weights), plain loops, then the rest of the epilogue through a
 * tile array.
 */
final class DepthwiseScalar {
  private DepthwiseScalar() {}

  /** A run of {@code count} pixels over one tap range (arguments as the vector {@code line}). */
  static void line(float[] in, int ib, int is, int[] off, int r0, int r1, float[] w, int wb,
      float[] out, int ob, int os, int count, EpilogueParams e, int ch, float[] res, int rd,
      float[] tile) {
    for (int p = 0; p < count; p += 4) {
      int n = Math.min(4, count - p);
      System.arraycopy(e.add, ch, tile, 0, 16);
      for (int q = 1; q < n; q++) {
        System.arraycopy(tile, 0, tile, 16 * q, 16);
      }
      accumulate(n, in, ib + p * is, is, off, r0, r1, w, wb, tile, 0);
      for (int q = 0; q < n; q++) {
        int o = ob + (p + q) * os;
        finish(e, ch, tile, 16 * q, out, o, res, o + rd);
      }
    }
  }

  /** Adds {@code n <= 4} pixels' taps {@code r0 .. r1} to {@code tile[to ..]} (16 floats a pixel). */
  private static void accumulate(int n, float[] in, int ib, int is, int[] off, int r0, int r1, float[] w,
      int wb, float[] tile, int to) {
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
    System.arraycopy(e.add, ch, tile, 0, 16);
    for (int q = q0; q < q0 + nq; q++) {
      for (int r = ranges[2 * q]; r < ranges[2 * q + 1]; r++) {
        int i = ib + off[r];
        int wi = wb + r * 16;
        for (int c = 0; c < 16; c++) {
          tile[c] = Math.fma(in[i + c], w[wi + c], tile[c]);
        }
      }
    }
    finish(e, ch, tile, 0, out, o, res, o + rd);
  }

  /**
   * The epilogue after the addends: {@code act(tile[t + c] + residual)} into {@code out[o ..]};
   * padding channels (at or past {@code e.channels}) are stored as 0.
   */
  static void finish(EpilogueParams e, int ch, float[] tile, int t, float[] out, int o,
      float[] res, int r) {
    for (int c = 0; c < 16; c++) {
      if (ch + c < e.channels) {
        float y = tile[t + c];
        if (e.residual) {
          y += res[r + c];
        }
        out[o + c] = e.activation.apply(y, e.alpha);
      } else {
        out[o + c] = 0f;
      }
    }
  }
}

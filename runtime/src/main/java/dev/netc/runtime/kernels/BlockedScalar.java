package dev.netc.runtime.kernels;

/** The scalar twin of {@link Blocked}. */
public final class BlockedScalar {
  private static final int B = Blocked.B;

  private BlockedScalar() {}

  /** See {@link Blocked#channelAffine}; the parameters of channel {@code c} are at {@code scale[scaleOff + c]}, {@code shift[shiftOff + c]}. */
  public static void channelAffine(float[] x, int xOff, float[] y, int yOff, int n, int c, int spatial,
      float[] scale, int scaleOff, float[] shift, int shiftOff, Activation act, float alpha) {
    int nb = Blocked.blocks(c);
    for (int b = 0; b < n * nb; b++) {
      int c0 = (b % nb) * B;
      int base = b * spatial * B;
      for (int p = 0; p < spatial; p++) {
        for (int l = 0; l < B; l++) {
          int ch = c0 + l;
          int i = base + p * B + l;
          y[yOff + i] = ch < c
              ? act.apply(x[xOff + i] * (scale == null ? 1f : scale[scaleOff + ch]) + (shift == null ? 0f : shift[shiftOff + ch]), alpha)
              : 0f;
        }
      }
    }
  }
}

package dev.netc.runtime.kernels;

import dev.netc.runtime.VectorSupport;

/**
 * Per-channel kernels on the blocked layout {@link Layout#NCHWC16}
 * ({@code [N][ceil(C/16)][spatial][16]}, padding channels zero), where NCHW's per-plane loops do
 * not apply: per-channel affine with activation (an unfolded BatchNorm), and per-channel
 * broadcast multiply/add (squeeze-and-excite gates, biases). Every kernel writes zeros into the
 * padding channels, whatever the activation makes of 0, so the layout's invariant holds.
 * Vector path in {@link BlockedVector}, scalar twin {@link BlockedScalar}.
 */
public final class Blocked {
  private static final boolean VECTOR = VectorSupport.ENABLED;

  /** Channels per block. */
  static final int B = Layout.BLOCK;

  private Blocked() {}

  /** {@code y = act(x * scale[c] + shift[c])}; {@code scale} or {@code shift} may be null. May be in place. */
  public static void channelAffine(float[] x, int xOff, float[] y, int yOff, int n, int c, int spatial,
      float[] scale, float[] shift, Activation act, float alpha) {
    channelAffine(x, xOff, y, yOff, n, c, spatial, scale, 0, shift, 0, act, alpha);
  }

  private static void channelAffine(float[] x, int xOff, float[] y, int yOff, int n, int c, int spatial,
      float[] scale, int scaleOff, float[] shift, int shiftOff, Activation act, float alpha) {
    if (VECTOR && BlockedVector.fits()) {
      BlockedVector.channelAffine(x, xOff, y, yOff, n, c, spatial, scale, scaleOff, shift, shiftOff, act, alpha);
    } else {
      BlockedScalar.channelAffine(x, xOff, y, yOff, n, c, spatial, scale, scaleOff, shift, shiftOff, act, alpha);
    }
  }

  /**
   * {@code y[n, c, p] = x[n, c, p] * s[sOff + n * sStrideN + c]} ({@code sStrideN = C} for per-sample
   * gates {@code [N, C]}, 0 for one {@code [C]} vector). May be in place.
   */
  public static void mulChannel(float[] x, int xOff, float[] s, int sOff, int sStrideN, float[] y, int yOff,
      int n, int c, int spatial) {
    for (int b = 0; b < n; b++) {
      channelAffine(x, xOff + b * blocks(c) * spatial * B, y, yOff + b * blocks(c) * spatial * B, 1, c, spatial,
          s, sOff + b * sStrideN, null, 0, Activation.IDENTITY, 0f);
    }
  }

  /** {@code y[n, c, p] = x[n, c, p] + s[sOff + n * sStrideN + c]}. May be in place. */
  public static void addChannel(float[] x, int xOff, float[] s, int sOff, int sStrideN, float[] y, int yOff,
      int n, int c, int spatial) {
    for (int b = 0; b < n; b++) {
      channelAffine(x, xOff + b * blocks(c) * spatial * B, y, yOff + b * blocks(c) * spatial * B, 1, c, spatial,
          null, 0, s, sOff + b * sStrideN, Activation.IDENTITY, 0f);
    }
  }

  /** The number of 16-channel blocks. */
  static int blocks(int c) {
    return (c + B - 1) / B;
  }
}

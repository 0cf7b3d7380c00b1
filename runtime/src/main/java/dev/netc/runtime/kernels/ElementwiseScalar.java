package dev.netc.runtime.kernels;

/** The scalar twin of {@link Elementwise}. */
public final class ElementwiseScalar {
  private ElementwiseScalar() {}

  /** {@code y[i] = act(a[i] + b[i])}. */
  public static void add(float[] a, int aOff, float[] b, int bOff, float[] y, int yOff, int len,
      Activation act, float alpha) {
    for (int i = 0; i < len; i++) {
      y[yOff + i] = act.apply(a[aOff + i] + b[bOff + i], alpha);
    }
  }

  /** {@code y[i] = a[i] * b[i]}. */
  public static void mul(float[] a, int aOff, float[] b, int bOff, float[] y, int yOff, int len) {
    for (int i = 0; i < len; i++) {
      y[yOff + i] = a[aOff + i] * b[bOff + i];
    }
  }

  /** See {@link Elementwise#softplus}. */
  public static void softplus(float[] x, int xOff, float[] y, int yOff, int len, float beta, float threshold) {
    for (int i = 0; i < len; i++) {
      float v = x[xOff + i];
      float bx = v * beta;
      y[yOff + i] = bx > threshold ? v : (float) (Math.log1p(Math.exp(bx)) / beta);
    }
  }

  /** {@code y[i] = x[i] * s + t}, rounded after the product and after the sum (the vector path fuses them). */
  public static void scaleShift(float[] x, int xOff, float[] y, int yOff, int len, float s, float t) {
    NormsScalar.affine(x, xOff, y, yOff, len, s, t, Activation.IDENTITY, 0f);
  }
}

package dev.netc.runtime.kernels;

import dev.netc.runtime.VectorSupport;

/**
 * Element-wise add and multiply: same-shape, with a per-channel broadcast operand
 * ({@code [N, C, H, W] op [N, C, 1, 1]} or {@code op [1, C, 1, 1]}), and with a scalar.
 *
 * <p>Arrays are flat with offsets; the output may alias either input at the same offset.
 * The same-shape add takes a fused activation, {@code y = act(a + b)} (a residual join
 * followed by ReLU). Broadcast operands are indexed {@code s[sOff + n * sStrideN + c]}:
 * {@code sStrideN = C} for a per-sample {@code [N, C]} (squeeze-and-excite gates),
 * {@code 0} for one {@code [C]} vector shared by the batch.
 */
public final class Elementwise {
  private static final boolean VECTOR = VectorSupport.ENABLED;

  private Elementwise() {}

  /** {@code y[i] = a[i] + b[i]} for {@code i < len}. */
  public static void add(float[] a, int aOff, float[] b, int bOff, float[] y, int yOff, int len) {
    add(a, aOff, b, bOff, y, yOff, len, Activation.IDENTITY, 0f);
  }

  /** {@code y[i] = act(a[i] + b[i])}. */
  public static void add(float[] a, int aOff, float[] b, int bOff, float[] y, int yOff, int len,
      Activation act, float alpha) {
    if (VECTOR) {
      ElementwiseVector.add(a, aOff, b, bOff, y, yOff, len, act, alpha);
    } else {
      ElementwiseScalar.add(a, aOff, b, bOff, y, yOff, len, act, alpha);
    }
  }

  /** {@code y[i] = a[i] * b[i]}. */
  public static void mul(float[] a, int aOff, float[] b, int bOff, float[] y, int yOff, int len) {
    if (VECTOR) {
      ElementwiseVector.mul(a, aOff, b, bOff, y, yOff, len);
    } else {
      ElementwiseScalar.mul(a, aOff, b, bOff, y, yOff, len);
    }
  }

  /** {@code y[i] = x[i] * s + t} (scalar multiply and add; {@code t = 0} or {@code s = 1} for one of them). */
  public static void scaleShift(float[] x, int xOff, float[] y, int yOff, int len, float s, float t) {
    if (VECTOR) {
      NormsVector.affine(x, xOff, y, yOff, len, s, t, Activation.IDENTITY, 0f);
    } else {
      ElementwiseScalar.scaleShift(x, xOff, y, yOff, len, s, t);
    }
  }

  /** {@code y[n, c, i] = x[n, c, i] + s[sOff + n * sStrideN + c]} over {@code [n, c, spatial]}. */
  public static void addChannel(float[] x, int xOff, float[] s, int sOff, int sStrideN, float[] y, int yOff,
      int n, int c, int spatial) {
    for (int b = 0; b < n; b++) {
      for (int ch = 0; ch < c; ch++) {
        int o = (b * c + ch) * spatial;
        scaleShift(x, xOff + o, y, yOff + o, spatial, 1f, s[sOff + b * sStrideN + ch]);
      }
    }
  }

  /** {@code y[n, c, i] = x[n, c, i] * s[sOff + n * sStrideN + c]} over {@code [n, c, spatial]}. */
  public static void mulChannel(float[] x, int xOff, float[] s, int sOff, int sStrideN, float[] y, int yOff,
      int n, int c, int spatial) {
    for (int b = 0; b < n; b++) {
      for (int ch = 0; ch < c; ch++) {
        int o = (b * c + ch) * spatial;
        scaleShift(x, xOff + o, y, yOff + o, spatial, s[sOff + b * sStrideN + ch], 0f);
      }
    }
  }

  /**
   * PyTorch's softplus with its own {@code beta} and {@code threshold}: {@code y = x} where
   * {@code beta·x > threshold}, else {@code log1p(exp(beta·x)) / beta} (in double, rounded once).
   * {@link Activation#SOFTPLUS} is the default, beta 1 and threshold 20. Scalar; may be in place.
   */
  public static void softplus(float[] x, int xOff, float[] y, int yOff, int len, float beta, float threshold) {
    ElementwiseScalar.softplus(x, xOff, y, yOff, len, beta, threshold);
  }
}

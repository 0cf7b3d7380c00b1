package dev.netc.runtime.kernels;

/** The scalar twin of {@link Reductions}. */
public final class ReductionsScalar {
  private ReductionsScalar() {}

  /** The sum, accumulated in double. */
  public static float sum(float[] x, int off, int len) {
    double s = 0;
    for (int i = 0; i < len; i++) {
      s += x[off + i];
    }
    return (float) s;
  }

  /** The maximum; NaN if any element is NaN. */
  public static float max(float[] x, int off, int len) {
    float m = Float.NEGATIVE_INFINITY;
    for (int i = 0; i < len; i++) {
      m = Math.max(m, x[off + i]);
    }
    return m;
  }
}

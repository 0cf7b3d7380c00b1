package dev.netc.runtime.kernels;

/** The scalar twin of {@link Softmax}: sums in double, one element at a time. */
public final class SoftmaxScalar {
  private SoftmaxScalar() {}

  /** Softmax ({@code log = false}) or log-softmax along the middle axis of {@code [outer, dim, inner]}. */
  public static void softmax(float[] x, int xOff, float[] y, int yOff, int outer, int dim, int inner, boolean log) {
    for (int o = 0; o < outer; o++) {
      int base = o * dim * inner;
      for (int i = 0; i < inner; i++) {
        line(x, xOff + base + i, y, yOff + base + i, dim, inner, log);
      }
    }
  }

  /** One line of {@code dim} elements spaced {@code stride} apart. */
  private static void line(float[] x, int xo, float[] y, int yo, int dim, int stride, boolean log) {
    float max = Float.NEGATIVE_INFINITY;
    for (int c = 0; c < dim; c++) {
      max = Math.max(max, x[xo + c * stride]);
    }
    double sum = 0;
    for (int c = 0; c < dim; c++) {
      sum += Math.exp(x[xo + c * stride] - max);
    }
    if (log) {
      float shift = (float) (max + Math.log(sum));
      for (int c = 0; c < dim; c++) {
        y[yo + c * stride] = x[xo + c * stride] - shift;
      }
    } else {
      double inv = 1.0 / sum;
      for (int c = 0; c < dim; c++) {
        y[yo + c * stride] = (float) (Math.exp(x[xo + c * stride] - max) * inv);
      }
    }
  }
}

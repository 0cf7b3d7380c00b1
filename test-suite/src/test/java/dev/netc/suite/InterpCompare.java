package dev.netc.suite;

import dev.netc.runtime.Tensor;
import java.util.Arrays;
import java.util.Locale;

/**
 * Element-wise comparison with the reference cases' tolerance, {@code |got - expected| <= 1e-4 + 1e-3·|expected|}
 * ({@code numpy.allclose} with rtol 1e-3, atol 1e-4): the largest absolute error, and the worst element measured
 * against its own allowance.
 */
record InterpCompare(double maxError, long violations, int worst, float got, float expected) {
  static final double ATOL = 1e-4;
  static final double RTOL = 1e-3;

  static InterpCompare of(Tensor got, Tensor expected) {
    if (!Arrays.equals(got.shape().dims(), expected.shape().dims())) {
      throw new AssertionError("shape " + got.shape() + ", expected " + expected.shape());
    }
    float[] g = got.data();
    float[] e = expected.data();
    double max = 0;
    double worstRatio = -1;
    int worst = 0;
    long bad = 0;
    for (int i = 0; i < g.length; i++) {
      double err = Math.abs((double) g[i] - e[i]);
      double ratio = err / (ATOL + RTOL * Math.abs(e[i]));
      if (Double.isNaN(err)) ratio = Double.POSITIVE_INFINITY;
      max = Math.max(max, Double.isNaN(err) ? Double.POSITIVE_INFINITY : err);
      if (ratio > 1) bad++;
      if (ratio > worstRatio) {
        worstRatio = ratio;
        worst = i;
      }
    }
    return new InterpCompare(max, bad, worst, g.length == 0 ? 0 : g[worst], e.length == 0 ? 0 : e[worst]);
  }

  boolean ok() { return violations == 0; }

  String describe() {
    return String.format(Locale.ROOT, "max |error| %.3g; %d elements out of tolerance; worst at %d: got %.7g, "
        + "expected %.7g", maxError, violations, worst, got, expected);
  }
}

package dev.netc.onnx;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;

import dev.netc.runtime.Tensor;
import java.util.Locale;

/**
 * The reference cases' tolerance, {@code |got - expected| <= 1e-4 + 1e-3·|expected|} element-wise: the largest
 * error, how many elements are out of tolerance, and the worst one.
 */
record Tolerance(double maxError, long violations, int worst, float got, float expected) {
  static Tolerance of(String what, Tensor got, Tensor expected) {
    assertArrayEquals(expected.shape().dims(), got.shape().dims(), what + ": shape");
    float[] g = got.data();
    float[] e = expected.data();
    double max = 0;
    double worstRatio = -1;
    int worst = 0;
    long bad = 0;
    for (int i = 0; i < g.length; i++) {
      double err = Math.abs((double) g[i] - e[i]);
      double ratio = Double.isNaN(err) ? Double.POSITIVE_INFINITY : err / (1e-4 + 1e-3 * Math.abs(e[i]));
      max = Math.max(max, Double.isNaN(err) ? Double.POSITIVE_INFINITY : err);
      if (ratio > 1) bad++;
      if (ratio > worstRatio) {
        worstRatio = ratio;
        worst = i;
      }
    }
    return new Tolerance(max, bad, worst, g.length == 0 ? 0 : g[worst], e.length == 0 ? 0 : e[worst]);
  }

  boolean ok() { return violations == 0; }

  @Override
  public String toString() {
    return String.format(Locale.ROOT, "max |error| %.3g; %d elements out of tolerance; worst at %d: got %.7g, "
        + "expected %.7g", maxError, violations, worst, got, expected);
  }
}

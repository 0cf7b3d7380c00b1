package dev.netc.runtime.kernels;

/**
 * Scalar special functions the JDK lacks, computed in double precision so that the float
 * kernels built on them are accurate to the last float bit in practice.
 */
public final class SpecialFunctions {
  private static final double TWO_OVER_SQRT_PI = 1.1283791670955126;

  private SpecialFunctions() {}

  /**
   * The error function. For {@code |x| < 6} the series
   * {@code erf(x) = 2/sqrt(pi) * exp(-x^2) * sum_n 2^n x^(2n+1) / (1*3*...*(2n+1))} is summed;
   * its terms are all positive, so nothing cancels and the result keeps double precision.
   * Beyond 6, {@code 1 - |erf(x)| < 3e-17}, below double resolution around 1.
   */
  public static double erf(double x) {
    if (Double.isNaN(x)) {
      return x;
    }
    double ax = Math.abs(x);
    if (ax >= 6) {
      return Math.copySign(1.0, x);
    }
    double x2 = ax * ax;
    double term = ax;
    double sum = ax;
    for (int n = 0; n < 500; n++) {
      term *= 2 * x2 / (2 * n + 3);
      sum += term;
      if (term < sum * 1e-17) {
        break;
      }
    }
    return Math.copySign(Math.min(1.0, TWO_OVER_SQRT_PI * Math.exp(-x2) * sum), x);
  }
}

package dev.netc.runtime.kernels;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.function.DoubleUnaryOperator;
import java.util.function.UnaryOperator;
import jdk.incubator.vector.FloatVector;
import jdk.incubator.vector.VectorSpecies;
import org.junit.jupiter.api.Test;

/** The deterministic vector exp and log against {@link Math} in double precision, rounded to float. */
class VectorMathTest {
  private static final VectorSpecies<Float> S = FloatVector.SPECIES_PREFERRED;

  @Test
  void expIsWithinTwoUlpsFromUnderflowToOverflow() {
    assertWithin(VectorMath::exp, Math::exp, -103.9f, 88.72f, 2);
  }

  @Test
  void logIsWithinTwoUlpsFromSubnormalsToTheLargestFloat() {
    assertWithin(VectorMath::log, Math::log, 1e-44f, 1e-30f, 2);
    assertWithin(VectorMath::log, Math::log, 1e-30f, 3e38f, 2);
    assertWithin(VectorMath::log, Math::log, 0.5f, 2f, 2);
  }

  @Test
  void specialValuesFollowMath() {
    float[] xs = {0f, -0f, 1f, -1f, Float.POSITIVE_INFINITY, Float.NEGATIVE_INFINITY, Float.NaN, 88.8f, -104.5f, -200f,
        Float.MIN_VALUE, Float.MAX_VALUE, -Float.MAX_VALUE, 1e-20f, -1e-20f};
    check("exp", VectorMath::exp, Math::exp, xs);
    check("log", VectorMath::log, Math::log, xs);
  }

  private static void check(String name, UnaryOperator<FloatVector> f, DoubleUnaryOperator ref, float[] xs) {
    for (float x : xs) {
      float want = (float) ref.applyAsDouble(x);
      float got = f.apply(FloatVector.broadcast(S, x)).lane(0);
      if (Float.isNaN(want) || Float.isInfinite(want) || want == 0f) {
        assertEquals(want, got, name + "(" + x + ")"); // NaN equals NaN here; zeros by value
      } else {
        assertTrue(ulps(want, got) <= 4, name + "(" + x + ") = " + got + ", want " + want);
      }
    }
  }

  /** Every float in a geometric-and-linear sweep of [lo, hi], a vector at a time. */
  private static void assertWithin(UnaryOperator<FloatVector> f, DoubleUnaryOperator ref, float lo, float hi, int maxUlps) {
    int n = 200_003;
    float[] xs = new float[n + S.length()];
    for (int i = 0; i < n; i++) {
      double t = i / (double) (n - 1);
      xs[i] = (float) (lo + (hi - lo) * t);
      if (lo > 0 && i % 2 == 1) xs[i] = (float) (lo * Math.pow(hi / (double) lo, t));
    }
    long worst = 0;
    float worstX = 0;
    float[] out = new float[S.length()];
    for (int i = 0; i < n; i += S.length()) {
      f.apply(FloatVector.fromArray(S, xs, i)).intoArray(out, 0);
      for (int j = 0; j < S.length() && i + j < n; j++) {
        long u = ulps((float) ref.applyAsDouble(xs[i + j]), out[j]);
        if (u > worst) {
          worst = u;
          worstX = xs[i + j];
        }
      }
    }
    assertTrue(worst <= maxUlps, "worst " + worst + " ulps at " + worstX);
  }

  private static long ulps(float want, float got) {
    if (Float.isNaN(want) || Float.isNaN(got)) return Float.isNaN(want) && Float.isNaN(got) ? 0 : Long.MAX_VALUE;
    return Math.abs(ordered(want) - ordered(got));
  }

  /** Float bits mapped to a monotonic integer line (-0 and +0 coincide). */
  private static long ordered(float f) {
    int b = Float.floatToRawIntBits(f);
    return b >= 0 ? b : (long) Integer.MIN_VALUE - b;
  }
}

package dev.netc.runtime.kernels;

import static jdk.incubator.vector.VectorOperators.ABS;
import static jdk.incubator.vector.VectorOperators.EXP;
import static jdk.incubator.vector.VectorOperators.EXPM1;
import static jdk.incubator.vector.VectorOperators.GT;
import static jdk.incubator.vector.VectorOperators.LOG1P;
import static jdk.incubator.vector.VectorOperators.LT;

import jdk.incubator.vector.FloatVector;
import jdk.incubator.vector.VectorMask;
import jdk.incubator.vector.VectorSpecies;

/**
 * The vector forms of {@link Activation}: a per-vector {@link #apply(Activation, FloatVector, float)}
 * for fused epilogues, and array loops. Load only when {@code VectorSupport.ENABLED}.
 *
 * <p>Matches the scalar definition within about 2 float ulps, except GELU, whose erf uses the
 * Abramowitz–Stegun 7.1.26 approximation (absolute error below 1.5e-7 in erf).
 */
public final class ActivationVector {
  /** The species every runtime vector kernel uses (512-bit on AVX-512 machines). */
  public static final VectorSpecies<Float> SPECIES = FloatVector.SPECIES_PREFERRED;

  private static final FloatVector ONE = FloatVector.broadcast(SPECIES, 1f);
  private static final float INV_SQRT2 = 0.70710678f;
  private static final float ERF_P = 0.3275911f;
  private static final float A1 = 0.254829592f;
  private static final float A2 = -0.284496736f;
  private static final float A3 = 1.421413741f;
  private static final float A4 = -1.453152027f;
  private static final float A5 = 1.061405429f;

  private ActivationVector() {}

  /** The activation {@code a} applied lane-wise to {@code v}; {@code alpha} as in {@link Activation}. */
  public static FloatVector apply(Activation a, FloatVector v, float alpha) {
    return switch (a) {
      case IDENTITY -> v;
      case RELU -> v.max(0f);
      case RELU6 -> v.max(0f).min(6f);
      case LEAKY_RELU -> v.blend(v.mul(alpha), v.compare(LT, 0f));
      case ELU -> v.lanewise(EXPM1).mul(alpha).blend(v, v.compare(GT, 0f));
      case SIGMOID -> sigmoid(v);
      case TANH -> v.lanewise(jdk.incubator.vector.VectorOperators.TANH);
      case GELU -> v.mul(0.5f).mul(erf(v.mul(INV_SQRT2)).add(1f));
      case SILU -> v.mul(sigmoid(v));
      case HARDSWISH -> v.mul(v.add(3f).max(0f).min(6f)).div(6f);
      case HARDSIGMOID -> v.add(3f).max(0f).min(6f).div(6f);
      case SOFTPLUS -> v.lanewise(EXP).lanewise(LOG1P).blend(v, v.compare(GT, 20f));
    };
  }

  /** {@code 1 / (1 + exp(-v))}; saturates to 0 and 1 without NaN. */
  public static FloatVector sigmoid(FloatVector v) {
    return ONE.div(v.neg().lanewise(EXP).add(1f));
  }

  /** erf by Abramowitz–Stegun 7.1.26 (|error| &lt; 1.5e-7), odd-symmetric. */
  public static FloatVector erf(FloatVector v) {
    FloatVector ax = v.lanewise(ABS);
    FloatVector t = ONE.div(ax.mul(ERF_P).add(1f));
    FloatVector poly = t.mul(A5).add(A4).mul(t).add(A3).mul(t).add(A2).mul(t).add(A1).mul(t);
    FloatVector y = poly.mul(ax.mul(ax).neg().lanewise(EXP)).neg().add(1f);
    return y.blend(y.neg(), v.compare(LT, 0f));
  }

  /** Applies {@code a} to {@code x[off .. off+len)} in place; the tail uses a masked vector. */
  public static void applyInPlace(Activation a, float[] x, int off, int len, float alpha) {
    apply(a, x, off, x, off, len, alpha);
  }

  /** Writes {@code a(src[srcOff+i])} to {@code dst[dstOff+i]} for {@code i < len}. */
  public static void apply(Activation a, float[] src, int srcOff, float[] dst, int dstOff, int len, float alpha) {
    int step = SPECIES.length();
    int bound = SPECIES.loopBound(len);
    int i = 0;
    for (; i < bound; i += step) {
      apply(a, FloatVector.fromArray(SPECIES, src, srcOff + i), alpha).intoArray(dst, dstOff + i);
    }
    if (i < len) {
      VectorMask<Float> m = SPECIES.indexInRange(i, len);
      apply(a, FloatVector.fromArray(SPECIES, src, srcOff + i, m), alpha).intoArray(dst, dstOff + i, m);
    }
  }
}

package dev.netc.runtime.kernels;

import static jdk.incubator.vector.VectorOperators.ABS;
import static jdk.incubator.vector.VectorOperators.EXP;
import static jdk.incubator.vector.VectorOperators.EXPM1;
import static jdk.incubator.vector.VectorOperators.GT;
import static jdk.incubator.vector.VectorOperators.LOG1P;
import static jdk.incubator.vector.VectorOperators.LT;
import static jdk.incubator.vector.VectorOperators.TANH;

import jdk.incubator.vector.FloatVector;
import jdk.incubator.vector.VectorSpecies;

/**
 * The vector forms of {@link Activation} over arrays: one loop method per activation, picked once
 * by {@link #apply(Activation, float[], int, float[], int, int, float)}; the elements past the last
 * whole vector go through the scalar definition. Load only when {@code VectorSupport.ENABLED}.
 *
 * <p>Why each loop writes its formula out: a vector passed to a method C2 does not inline is boxed
 * on the heap. These loops are inlined into large kernels (a depthwise convolution's fused epilogue), where C2 can run out of its node budget part
 * way; when the formula sat in a small method taking a vector ({@code silu(v)}), the cut fell there
 * and every vector was boxed (2.8 MB of garbage per 200 calls in {@code PackedKernelsAllocationTest}
 * run on its own). With nothing but the vector API inside a loop, a cut can only fall at a call that
 * passes arrays, which costs a call and allocates nothing.
 *
 * <p>Matches the scalar definition within about 2 float ulps, except GELU, whose erf uses the
 * Abramowitz–Stegun 7.1.26 approximation (absolute error below 1.5e-7 in erf). Exp and its kin come
 * from {@code lanewise}, which switches from {@code Math.exp} to SVML when C2 compiles the loop, so
 * these may differ in the last bit between the first calls and compiled code (see {@link VectorMath}).
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
  private static final int L = SPECIES.length();

  private ActivationVector() {}

  /** Applies {@code a} to {@code x[off .. off+len)} in place. */
  public static void applyInPlace(Activation a, float[] x, int off, int len, float alpha) {
    apply(a, x, off, x, off, len, alpha);
  }

  /** Writes {@code a(src[srcOff+i])} to {@code dst[dstOff+i]} for {@code i < len}; {@code alpha} as in {@link Activation}. */
  public static void apply(Activation a, float[] src, int srcOff, float[] dst, int dstOff, int len, float alpha) {
    int bound = SPECIES.loopBound(len);
    // one loop method per activation, each its own compilation unit: one method holding all the
    // loops exceeds C2's inlining budget, and the loops compiled last then box every vector
    switch (a) {
      case IDENTITY -> System.arraycopy(src, srcOff, dst, dstOff, bound);
      case RELU -> relu(src, srcOff, dst, dstOff, bound);
      case RELU6 -> relu6(src, srcOff, dst, dstOff, bound);
      case LEAKY_RELU -> leakyRelu(src, srcOff, dst, dstOff, bound, alpha);
      case ELU -> elu(src, srcOff, dst, dstOff, bound, alpha);
      case SIGMOID -> sigmoid(src, srcOff, dst, dstOff, bound);
      case TANH -> tanh(src, srcOff, dst, dstOff, bound);
      case GELU -> gelu(src, srcOff, dst, dstOff, bound);
      case SILU -> silu(src, srcOff, dst, dstOff, bound);
      case HARDSWISH -> hardswish(src, srcOff, dst, dstOff, bound);
      case HARDSIGMOID -> hardsigmoid(src, srcOff, dst, dstOff, bound);
      case SOFTPLUS -> softplus(src, srcOff, dst, dstOff, bound);
    }
    if (bound < len) {
      a.applyScalar(src, srcOff + bound, dst, dstOff + bound, len - bound, alpha);
    }
  }

  /** {@code max(v, 0)}. */
  private static void relu(float[] src, int so, float[] dst, int dO, int bound) {
    for (int i = 0; i < bound; i += L) {
      FloatVector.fromArray(SPECIES, src, so + i).max(0f).intoArray(dst, dO + i);
    }
  }

  /** {@code min(max(v, 0), 6)}. */
  private static void relu6(float[] src, int so, float[] dst, int dO, int bound) {
    for (int i = 0; i < bound; i += L) {
      FloatVector.fromArray(SPECIES, src, so + i).max(0f).min(6f).intoArray(dst, dO + i);
    }
  }

  /** {@code v > 0 ? v : alpha * v}. */
  private static void leakyRelu(float[] src, int so, float[] dst, int dO, int bound, float alpha) {
    for (int i = 0; i < bound; i += L) {
      FloatVector v = FloatVector.fromArray(SPECIES, src, so + i);
      v.blend(v.mul(alpha), v.compare(LT, 0f)).intoArray(dst, dO + i);
    }
  }

  /** {@code v > 0 ? v : alpha * (exp(v) - 1)}. */
  private static void elu(float[] src, int so, float[] dst, int dO, int bound, float alpha) {
    for (int i = 0; i < bound; i += L) {
      FloatVector v = FloatVector.fromArray(SPECIES, src, so + i);
      v.lanewise(EXPM1).mul(alpha).blend(v, v.compare(GT, 0f)).intoArray(dst, dO + i);
    }
  }

  /** {@code 1 / (1 + exp(-v))}; saturates to 0 and 1 without NaN. */
  private static void sigmoid(float[] src, int so, float[] dst, int dO, int bound) {
    for (int i = 0; i < bound; i += L) {
      FloatVector v = FloatVector.fromArray(SPECIES, src, so + i);
      ONE.div(v.mul(-1f).lanewise(EXP).add(1f)).intoArray(dst, dO + i);
    }
  }

  /** {@code tanh(v)}. */
  private static void tanh(float[] src, int so, float[] dst, int dO, int bound) {
    for (int i = 0; i < bound; i += L) {
      FloatVector.fromArray(SPECIES, src, so + i).lanewise(TANH).intoArray(dst, dO + i);
    }
  }

  /** {@code v/2 * (1 + erf(v / sqrt 2))}, erf by Abramowitz–Stegun 7.1.26 (|error| &lt; 1.5e-7), odd-symmetric. */
  private static void gelu(float[] src, int so, float[] dst, int dO, int bound) {
    for (int i = 0; i < bound; i += L) {
      FloatVector v = FloatVector.fromArray(SPECIES, src, so + i);
      FloatVector x = v.mul(INV_SQRT2);
      FloatVector ax = x.lanewise(ABS);
      FloatVector t = ONE.div(ax.mul(ERF_P).add(1f));
      FloatVector poly = t.mul(A5).add(A4).mul(t).add(A3).mul(t).add(A2).mul(t).add(A1).mul(t);
      FloatVector erf = poly.mul(ax.mul(ax).neg().lanewise(EXP)).neg().add(1f);
      erf = erf.blend(erf.neg(), x.compare(LT, 0f));
      v.mul(0.5f).mul(erf.add(1f)).intoArray(dst, dO + i);
    }
  }

  /** {@code v * sigmoid(v)}. */
  private static void silu(float[] src, int so, float[] dst, int dO, int bound) {
    for (int i = 0; i < bound; i += L) {
      FloatVector v = FloatVector.fromArray(SPECIES, src, so + i);
      v.mul(ONE.div(v.mul(-1f).lanewise(EXP).add(1f))).intoArray(dst, dO + i);
    }
  }

  /** {@code v * min(max(v + 3, 0), 6) / 6}. */
  private static void hardswish(float[] src, int so, float[] dst, int dO, int bound) {
    for (int i = 0; i < bound; i += L) {
      FloatVector v = FloatVector.fromArray(SPECIES, src, so + i);
      v.mul(v.add(3f).max(0f).min(6f).div(6f)).intoArray(dst, dO + i);
    }
  }

  /** {@code min(max(v + 3, 0), 6) / 6}. */
  private static void hardsigmoid(float[] src, int so, float[] dst, int dO, int bound) {
    for (int i = 0; i < bound; i += L) {
      FloatVector.fromArray(SPECIES, src, so + i).add(3f).max(0f).min(6f).div(6f).intoArray(dst, dO + i);
    }
  }

  /** {@code v > 20 ? v : log(1 + exp(v))}. */
  private static void softplus(float[] src, int so, float[] dst, int dO, int bound) {
    for (int i = 0; i < bound; i += L) {
      FloatVector v = FloatVector.fromArray(SPECIES, src, so + i);
      v.lanewise(EXP).lanewise(LOG1P).blend(v, v.compare(GT, 20f)).intoArray(dst, dO + i);
    }
  }
}

package dev.netc.runtime.kernels;

import static jdk.incubator.vector.VectorOperators.ABS;
import static jdk.incubator.vector.VectorOperators.EXP;
import static jdk.incubator.vector.VectorOperators.EXPM1;
import static jdk.incubator.vector.VectorOperators.GT;
import static jdk.incubator.vector.VectorOperators.LOG1P;
import static jdk.incubator.vector.VectorOperators.LT;

import jdk.incubator.vector.FloatVector;
import jdk.incubator.vector.VectorMask;
import jdk.incubator.vector.VectorOperators;
import jdk.incubator.vector.VectorSpecies;

/**
 * The vector forms of {@link Activation}: one small public method per activation, a dispatcher
 * {@link #apply(Activation, FloatVector, float)}, and array loops. Load only when
 * {@code VectorSupport.ENABLED}.
 *
 * <p>Why the array loops switch outside the loop: a vector passed to a call that the JIT does not
 * inline is boxed on the heap, and C2 refuses to inline a method it has already compiled into
 * more than a few kilobytes of code — which the dispatcher, holding every activation, becomes.
 * Hot loops (fused epilogues included) should therefore pick the activation once, outside the
 * loop, and call the small per-activation method, or apply {@link #applyInPlace} to the tile
 * they just stored.
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

  /**
   * The activation {@code a} applied lane-wise to {@code v}; {@code alpha} as in {@link Activation}.
   * Convenient outside hot loops; see the class comment for why hot loops should not call it.
   */
  public static FloatVector apply(Activation a, FloatVector v, float alpha) {
    return switch (a) {
      case IDENTITY -> v;
      case RELU -> relu(v);
      case RELU6 -> relu6(v);
      case LEAKY_RELU -> leakyRelu(v, alpha);
      case ELU -> elu(v, alpha);
      case SIGMOID -> sigmoid(v);
      case TANH -> tanh(v);
      case GELU -> gelu(v);
      case SILU -> silu(v);
      case HARDSWISH -> hardswish(v);
      case HARDSIGMOID -> hardsigmoid(v);
      case SOFTPLUS -> softplus(v);
    };
  }

  /** {@code max(v, 0)}. */
  public static FloatVector relu(FloatVector v) {
    return v.max(0f);
  }

  /** {@code min(max(v, 0), 6)}. */
  public static FloatVector relu6(FloatVector v) {
    return v.max(0f).min(6f);
  }

  /** {@code v > 0 ? v : alpha * v}. */
  public static FloatVector leakyRelu(FloatVector v, float alpha) {
    return v.blend(v.mul(alpha), v.compare(LT, 0f));
  }

  /** {@code v > 0 ? v : alpha * (exp(v) - 1)}. */
  public static FloatVector elu(FloatVector v, float alpha) {
    return v.lanewise(EXPM1).mul(alpha).blend(v, v.compare(GT, 0f));
  }

  /** {@code 1 / (1 + exp(-v))}; saturates to 0 and 1 without NaN. */
  public static FloatVector sigmoid(FloatVector v) {
    return ONE.div(v.mul(-1f).lanewise(EXP).add(1f));
  }

  /** {@code tanh(v)}. */
  public static FloatVector tanh(FloatVector v) {
    return v.lanewise(VectorOperators.TANH);
  }

  /** {@code v/2 * (1 + erf(v / sqrt 2))}. */
  public static FloatVector gelu(FloatVector v) {
    return v.mul(0.5f).mul(erf(v.mul(INV_SQRT2)).add(1f));
  }

  /** {@code v * sigmoid(v)}. */
  public static FloatVector silu(FloatVector v) {
    return v.mul(sigmoid(v));
  }

  /** {@code v * min(max(v + 3, 0), 6) / 6}. */
  public static FloatVector hardswish(FloatVector v) {
    return v.mul(hardsigmoid(v));
  }

  /** {@code min(max(v + 3, 0), 6) / 6}. */
  public static FloatVector hardsigmoid(FloatVector v) {
    return v.add(3f).max(0f).min(6f).div(6f);
  }

  /** {@code v > 20 ? v : log(1 + exp(v))}. */
  public static FloatVector softplus(FloatVector v) {
    return v.lanewise(EXP).lanewise(LOG1P).blend(v, v.compare(GT, 20f));
  }

  /** erf by Abramowitz–Stegun 7.1.26 (|error| &lt; 1.5e-7), odd-symmetric. */
  public static FloatVector erf(FloatVector v) {
    FloatVector ax = v.lanewise(ABS);
    FloatVector t = ONE.div(ax.mul(ERF_P).add(1f));
    FloatVector poly = t.mul(A5).add(A4).mul(t).add(A3).mul(t).add(A2).mul(t).add(A1).mul(t);
    FloatVector y = poly.mul(ax.mul(ax).neg().lanewise(EXP)).neg().add(1f);
    return y.blend(y.neg(), v.compare(LT, 0f));
  }

  /** Applies {@code a} to {@code x[off .. off+len)} in place. */
  public static void applyInPlace(Activation a, float[] x, int off, int len, float alpha) {
    apply(a, x, off, x, off, len, alpha);
  }

  /** Writes {@code a(src[srcOff+i])} to {@code dst[dstOff+i]} for {@code i < len}; the tail uses a masked vector. */
  public static void apply(Activation a, float[] src, int srcOff, float[] dst, int dstOff, int len, float alpha) {
    int bound = SPECIES.loopBound(len);
    // one loop method per activation, each its own compilation unit: one method holding all the
    // loops exceeds C2's inlining budget, and the loops compiled last then box every vector
    switch (a) {
      case IDENTITY -> System.arraycopy(src, srcOff, dst, dstOff, bound);
      case RELU -> reluLoop(src, srcOff, dst, dstOff, bound, alpha);
      case RELU6 -> relu6Loop(src, srcOff, dst, dstOff, bound, alpha);
      case LEAKY_RELU -> leakyReluLoop(src, srcOff, dst, dstOff, bound, alpha);
      case ELU -> eluLoop(src, srcOff, dst, dstOff, bound, alpha);
      case SIGMOID -> sigmoidLoop(src, srcOff, dst, dstOff, bound, alpha);
      case TANH -> tanhLoop(src, srcOff, dst, dstOff, bound, alpha);
      case GELU -> geluLoop(src, srcOff, dst, dstOff, bound, alpha);
      case SILU -> siluLoop(src, srcOff, dst, dstOff, bound, alpha);
      case HARDSWISH -> hardswishLoop(src, srcOff, dst, dstOff, bound, alpha);
      case HARDSIGMOID -> hardsigmoidLoop(src, srcOff, dst, dstOff, bound, alpha);
      case SOFTPLUS -> softplusLoop(src, srcOff, dst, dstOff, bound, alpha);
    }
    if (bound < len) {
      VectorMask<Float> m = SPECIES.indexInRange(bound, len);
      apply(a, FloatVector.fromArray(SPECIES, src, srcOff + bound, m), alpha).intoArray(dst, dstOff + bound, m);
    }
  }

  private static void reluLoop(float[] src, int so, float[] dst, int dO, int bound, float alpha) {
    for (int i = 0; i < bound; i += SPECIES.length()) {
      FloatVector v = FloatVector.fromArray(SPECIES, src, so + i);
      relu(v).intoArray(dst, dO + i);
    }
  }

  private static void relu6Loop(float[] src, int so, float[] dst, int dO, int bound, float alpha) {
    for (int i = 0; i < bound; i += SPECIES.length()) {
      FloatVector v = FloatVector.fromArray(SPECIES, src, so + i);
      relu6(v).intoArray(dst, dO + i);
    }
  }

  private static void leakyReluLoop(float[] src, int so, float[] dst, int dO, int bound, float alpha) {
    for (int i = 0; i < bound; i += SPECIES.length()) {
      FloatVector v = FloatVector.fromArray(SPECIES, src, so + i);
      leakyRelu(v, alpha).intoArray(dst, dO + i);
    }
  }

  private static void eluLoop(float[] src, int so, float[] dst, int dO, int bound, float alpha) {
    for (int i = 0; i < bound; i += SPECIES.length()) {
      FloatVector v = FloatVector.fromArray(SPECIES, src, so + i);
      elu(v, alpha).intoArray(dst, dO + i);
    }
  }

  private static void sigmoidLoop(float[] src, int so, float[] dst, int dO, int bound, float alpha) {
    for (int i = 0; i < bound; i += SPECIES.length()) {
      FloatVector v = FloatVector.fromArray(SPECIES, src, so + i);
      sigmoid(v).intoArray(dst, dO + i);
    }
  }

  private static void tanhLoop(float[] src, int so, float[] dst, int dO, int bound, float alpha) {
    for (int i = 0; i < bound; i += SPECIES.length()) {
      FloatVector v = FloatVector.fromArray(SPECIES, src, so + i);
      tanh(v).intoArray(dst, dO + i);
    }
  }

  private static void geluLoop(float[] src, int so, float[] dst, int dO, int bound, float alpha) {
    for (int i = 0; i < bound; i += SPECIES.length()) {
      FloatVector v = FloatVector.fromArray(SPECIES, src, so + i);
      gelu(v).intoArray(dst, dO + i);
    }
  }

  private static void siluLoop(float[] src, int so, float[] dst, int dO, int bound, float alpha) {
    for (int i = 0; i < bound; i += SPECIES.length()) {
      FloatVector v = FloatVector.fromArray(SPECIES, src, so + i);
      silu(v).intoArray(dst, dO + i);
    }
  }

  private static void hardswishLoop(float[] src, int so, float[] dst, int dO, int bound, float alpha) {
    for (int i = 0; i < bound; i += SPECIES.length()) {
      FloatVector v = FloatVector.fromArray(SPECIES, src, so + i);
      hardswish(v).intoArray(dst, dO + i);
    }
  }

  private static void hardsigmoidLoop(float[] src, int so, float[] dst, int dO, int bound, float alpha) {
    for (int i = 0; i < bound; i += SPECIES.length()) {
      FloatVector v = FloatVector.fromArray(SPECIES, src, so + i);
      hardsigmoid(v).intoArray(dst, dO + i);
    }
  }

  private static void softplusLoop(float[] src, int so, float[] dst, int dO, int bound, float alpha) {
    for (int i = 0; i < bound; i += SPECIES.length()) {
      FloatVector v = FloatVector.fromArray(SPECIES, src, so + i);
      softplus(v).intoArray(dst, dO + i);
    }
  }
}

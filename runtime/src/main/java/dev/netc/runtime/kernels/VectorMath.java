package dev.netc.runtime.kernels;

import static jdk.incubator.vector.VectorOperators.ASHR;
import static jdk.incubator.vector.VectorOperators.EQ;
import static jdk.incubator.vector.VectorOperators.I2F;
import static jdk.incubator.vector.VectorOperators.IS_NAN;
import static jdk.incubator.vector.VectorOperators.LSHL;
import static jdk.incubator.vector.VectorOperators.LT;

import jdk.incubator.vector.FloatVector;
import jdk.incubator.vector.IntVector;
import jdk.incubator.vector.VectorMask;
import jdk.incubator.vector.VectorSpecies;

/**
 * {@code e^x} and {@code ln x} on float vectors (species {@link FloatVector#SPECIES_PREFERRED}) that give
 * the same bits in every execution mode, for {@link SoftmaxVector}.
 *
 * <p>{@code lanewise(EXP)} is computed by {@code Math.exp} lane by lane until C2 compiles the caller,
 * and by the SVML library afterwards; the two differ in the last bit, so a softmax gave different
 * probabilities once the model had warmed up (one lane in 37 after 200,000 calls). These functions use
 * only element-wise adds, multiplies, fused multiply-adds, blends and integer bit operations, which
 * every mode performs identically. The polynomials are Cephes' single-precision expf and logf;
 * {@code VectorMathTest} bounds their error against {@code Math}.
 *
 * <p>Why the activations do not use them: where C2 inlines an activation loop into a convolution's
 * epilogue, a 25-operation exp pushed the compilation past C2's node budget, inlining stopped part
 * way and every vector was boxed (100+ KB of garbage per call, measured with SiLU); SVML's exp is one
 * node. So sigmoid, tanh, GELU and the like keep {@code lanewise} and may differ in the last bit
 * between the first calls and compiled code (as does local response norm with a beta other than 0.75);
 * sums, layer and group norms and softmax do not.
 */
public final class VectorMath {
  private static final VectorSpecies<Float> S = FloatVector.SPECIES_PREFERRED;
  private static final float LOG2E = 1.44269504088896341f;
  /** ln 2 in two parts: {@code n * LN2_HI} is exact for the exponents used here. */
  private static final float LN2_HI = 0.693359375f;
  private static final float LN2_LO = -2.12194440e-4f;
  /** Adding 1.5 * 2^23 rounds a float of magnitude below 2^22 to an integer, held in the low mantissa bits. */
  private static final float ROUNDER = 12582912f;
  private static final int ROUNDER_BITS = Float.floatToRawIntBits(ROUNDER);
  private static final float SQRT_HALF = 0.707106781186547524f;

  private VectorMath() {}

  /**
   * {@code e^x} within 2 ulps: {@code x = n ln 2 + r} (x clamped to [-104, 89], NaN stays NaN), Cephes'
   * degree-5 polynomial for {@code e^r}, then scaling by {@code 2^n} in two halves, so that subnormal
   * results and overflow to infinity come out right without a blend.
   */
  public static FloatVector exp(FloatVector x) {
    FloatVector c = x.min(89f).max(-104f);
    FloatVector rounded = c.fma(LOG2E, ROUNDER);
    FloatVector n = rounded.sub(ROUNDER);
    FloatVector r = madd(n, -LN2_LO, madd(n, -LN2_HI, c));
    FloatVector p = r.fma(1.9875691500e-4f, 1.3981999507e-3f);
    p = madd(p, r, 8.3334519073e-3f);
    p = madd(p, r, 4.1665795894e-2f);
    p = madd(p, r, 1.6666665459e-1f);
    p = madd(p, r, 5.0000001201e-1f);
    FloatVector y = p.fma(r.mul(r), r).add(1f);
    IntVector ni = rounded.reinterpretAsInts().sub(ROUNDER_BITS);
    IntVector half = ni.lanewise(ASHR, 1);
    return y.mul(twoTo(half)).mul(twoTo(ni.sub(half)));
  }

  /** {@code ln x} within 2 ulps, subnormals included; 0 gives -inf, negatives and NaN give NaN. */
  public static FloatVector log(FloatVector x) {
    VectorMask<Float> tiny = x.compare(LT, Float.MIN_NORMAL);
    IntVector bits = x.blend(x.mul(8388608f), tiny).reinterpretAsInts(); // subnormals scaled by 2^23
    FloatVector e = ((FloatVector) bits.lanewise(ASHR, 23).and(0xff).convert(I2F, 0)).sub(126f);
    e = e.blend(e.sub(23f), tiny);
    FloatVector m = bits.and(0x807fffff).or(0x3f000000).reinterpretAsFloats(); // x = m 2^e, m in [0.5, 1)
    VectorMask<Float> low = m.compare(LT, SQRT_HALF);
    e = e.blend(e.sub(1f), low);
    FloatVector f = m.blend(m.add(m), low).sub(1f);
    FloatVector p = f.fma(7.0376836292e-2f, -1.1514610310e-1f); // Cephes: ln(1 + f) = f - f^2/2 + f^3 P(f)
    p = madd(p, f, 1.1676998740e-1f);
    p = madd(p, f, -1.2420140846e-1f);
    p = madd(p, f, 1.4249322787e-1f);
    p = madd(p, f, -1.6668057665e-1f);
    p = madd(p, f, 2.0000714765e-1f);
    p = madd(p, f, -2.4999993993e-1f);
    p = madd(p, f, 3.3333331174e-1f);
    FloatVector z = f.mul(f);
    FloatVector y = madd(e, LN2_HI, f.add(madd(z, -0.5f, madd(e, LN2_LO, p.mul(f).mul(z)))));
    y = y.blend(Float.NEGATIVE_INFINITY, x.compare(EQ, 0f));
    y = y.blend(Float.POSITIVE_INFINITY, x.compare(EQ, Float.POSITIVE_INFINITY));
    return y.blend(Float.NaN, x.compare(LT, 0f).or(x.test(IS_NAN)));
  }

  /** {@code 2^k} for integer lanes with {@code -126 <= k <= 127}. */
  private static FloatVector twoTo(IntVector k) {
    return k.add(127).lanewise(LSHL, 23).reinterpretAsFloats();
  }

  /** {@code a * b + c} in one rounding. */
  private static FloatVector madd(FloatVector a, FloatVector b, float c) {
    return a.fma(b, FloatVector.broadcast(S, c));
  }

  /** {@code a * b + c} in one rounding. */
  private static FloatVector madd(FloatVector a, float b, FloatVector c) {
    return a.fma(FloatVector.broadcast(S, b), c);
  }
}

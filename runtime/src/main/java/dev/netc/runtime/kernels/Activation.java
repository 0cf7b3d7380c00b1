package dev.netc.runtime.kernels;

import dev.netc.runtime.VectorSupport;

/**
 * The element-wise activations, with PyTorch 1.13 semantics (float32).
 *
 * <p>{@code alpha} is the one optional parameter: the negative slope of {@link #LEAKY_RELU}
 * (PyTorch default 0.01) and the alpha of {@link #ELU} (default 1.0); the others ignore it.
 * {@link #apply(float, float)} is the scalar definition; the array methods run the vector path
 * ({@link ActivationVector}) when {@link VectorSupport#ENABLED}, else a scalar loop.
 */
public enum Activation {
  /** {@code x}. */
  IDENTITY,
  /** {@code max(x, 0)}. */
  RELU,
  /** {@code min(max(x, 0), 6)}. */
  RELU6,
  /** {@code x > 0 ? x : alpha * x} (alpha = negative slope). */
  LEAKY_RELU,
  /** {@code x > 0 ? x : alpha * (exp(x) - 1)}. */
  ELU,
  /** {@code 1 / (1 + exp(-x))}. */
  SIGMOID,
  /** {@code tanh(x)}. */
  TANH,
  /** {@code x/2 * (1 + erf(x / sqrt 2))}: the exact (erf) form, PyTorch's default. */
  GELU,
  /** {@code x * sigmoid(x)}. */
  SILU,
  /** {@code x * min(max(x + 3, 0), 6) / 6}. */
  HARDSWISH,
  /** {@code min(max(x + 3, 0), 6) / 6}. */
  HARDSIGMOID,
  /** {@code x > 20 ? x : log(1 + exp(x))} (PyTorch's beta = 1, threshold = 20). */
  SOFTPLUS;

  private static final boolean VECTOR = VectorSupport.ENABLED;
  private static final double INV_SQRT2 = 0.7071067811865476;

  /** The default {@code alpha} PyTorch uses for this activation (0.01 leaky, 1.0 ELU, else 0). */
  public float defaultAlpha() {
    return switch (this) {
      case LEAKY_RELU -> 0.01f;
      case ELU -> 1.0f;
      default -> 0f;
    };
  }

  /** The scalar definition of this activation at {@code x}. */
  public float apply(float x, float alpha) {
    return switch (this) {
      case IDENTITY -> x;
      case RELU -> x <= 0f ? 0f : x; // NaN stays NaN, as in PyTorch
      case RELU6 -> Math.min(Math.max(x, 0f), 6f);
      case LEAKY_RELU -> x > 0 ? x : x * alpha;
      case ELU -> x > 0 ? x : (float) (alpha * Math.expm1(x));
      case SIGMOID -> (float) (1.0 / (1.0 + Math.exp(-x)));
      case TANH -> (float) Math.tanh(x);
      case GELU -> (float) (0.5 * x * (1.0 + SpecialFunctions.erf(x * INV_SQRT2)));
      case SILU -> (float) (x / (1.0 + Math.exp(-x)));
      case HARDSWISH -> x * Math.min(Math.max(x + 3f, 0f), 6f) / 6f;
      case HARDSIGMOID -> Math.min(Math.max(x + 3f, 0f), 6f) / 6f;
      case SOFTPLUS -> x > 20f ? x : (float) Math.log1p(Math.exp(x));
    };
  }

  /** Applies this activation to {@code x[off .. off+len)} in place. */
  public void applyInPlace(float[] x, int off, int len, float alpha) {
    if (VECTOR) {
      ActivationVector.applyInPlace(this, x, off, len, alpha);
    } else {
      applyScalar(x, off, x, off, len, alpha);
    }
  }

  /** Writes this activation of {@code src[srcOff ..]} to {@code dst[dstOff ..]}, {@code len} elements. */
  public void apply(float[] src, int srcOff, float[] dst, int dstOff, int len, float alpha) {
    if (VECTOR) {
      ActivationVector.apply(this, src, srcOff, dst, dstOff, len, alpha);
    } else {
      applyScalar(src, srcOff, dst, dstOff, len, alpha);
    }
  }

  /** The scalar twin of the array methods: one {@link #apply(float, float)} per element. */
  public void applyScalar(float[] src, int srcOff, float[] dst, int dstOff, int len, float alpha) {
    for (int i = 0; i < len; i++) {
      dst[dstOff + i] = apply(src[srcOff + i], alpha);
    }
  }
}

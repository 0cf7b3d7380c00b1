package dev.netc.runtime.kernels;

import java.util.Objects;

/**
 * What a convolution or GEMM does to each accumulator before it stores it: the fused epilogue.
 *
 * <p>For output channel {@code c} (a conv's output channel; a GEMM's column, or row, see
 * {@link GemmSpec}) and accumulator {@code acc}, the stored value is
 * <pre>
 *   y = activation( ((acc * scale[c] + shift[c]) + bias[c]) + residual ,  alpha )
 * </pre>
 * where a missing {@code scale} means 1, a missing {@code shift} or {@code bias} means 0, and the
 * residual term is present only when {@link #residual()} is set (it is then read from a tensor of
 * the output's shape and layout, passed to {@code run}). This order lets a compiler fuse
 * {@code conv -> batchnorm -> add -> relu} into one kernel: the batchnorm becomes
 * {@code scale/shift} (or is folded into the weights with {@link ConvBatchNorm}), the add the
 * residual, and the activation comes last. Kernels fold {@code shift + bias} into one addend at
 * load time, so results may differ from the literal formula by float rounding.
 *
 * <p>Immutable; the arrays are copied in and never exposed.
 */
public final class Epilogue {
  /** Stores the accumulator unchanged. */
  public static final Epilogue NONE = new Epilogue(null, null, null, Activation.IDENTITY, 0f, false);

  private final float[] scale;
  private final float[] shift;
  private final float[] bias;
  private final Activation activation;
  private final float alpha;
  private final boolean residual;

  private Epilogue(float[] scale, float[] shift, float[] bias, Activation activation, float alpha,
      boolean residual) {
    this.scale = scale;
    this.shift = shift;
    this.bias = bias;
    this.activation = Objects.requireNonNull(activation, "activation");
    this.alpha = alpha;
    this.residual = residual;
  }

  /** The same epilogue plus a per-channel bias (null removes it). */
  public Epilogue withBias(float[] b) {
    return new Epilogue(scale, shift, copy(b), activation, alpha, residual);
  }

  /** The same epilogue plus a per-channel affine {@code acc * scale + shift} (either may be null). */
  public Epilogue withScaleShift(float[] s, float[] t) {
    return new Epilogue(copy(s), copy(t), bias, activation, alpha, residual);
  }

  /** The same epilogue with this activation and its PyTorch default alpha. */
  public Epilogue withActivation(Activation a) {
    return withActivation(a, a.defaultAlpha());
  }

  /** The same epilogue with this activation and alpha (see {@link Activation}). */
  public Epilogue withActivation(Activation a, float alphaValue) {
    return new Epilogue(scale, shift, bias, a, alphaValue, residual);
  }

  /** The same epilogue, adding (or not) a residual tensor before the activation. */
  public Epilogue withResidual(boolean r) {
    return new Epilogue(scale, shift, bias, activation, alpha, r);
  }

  /** The activation applied last. */
  public Activation activation() {
    return activation;
  }

  /** The activation's parameter. */
  public float alpha() {
    return alpha;
  }

  /** Whether a residual tensor is added before the activation. */
  public boolean residual() {
    return residual;
  }

  /** Whether a per-channel scale is present. */
  public boolean hasScale() {
    return scale != null;
  }

  /** Whether a per-channel shift is present. */
  public boolean hasShift() {
    return shift != null;
  }

  /** Whether a per-channel bias is present. */
  public boolean hasBias() {
    return bias != null;
  }

  /**
   * The literal formula for one value: the definition the kernels are tested against.
   *
   * @param acc      the accumulated dot product
   * @param c        the channel (index into scale, shift and bias)
   * @param residual the residual value (ignored unless {@link #residual()})
   */
  public float apply(float acc, int c, float residual) {
    float y = scale == null ? acc : acc * scale[c];
    if (shift != null) {
      y += shift[c];
    }
    if (bias != null) {
      y += bias[c];
    }
    if (this.residual) {
      y += residual;
    }
    return activation.apply(y, alpha);
  }

  /**
   * The per-channel constants in the form kernels use, for {@code channels} channels padded with
   * zeros to {@code padded} entries; checks that every array covers {@code channels}.
   */
  EpilogueParams fuse(int channels, int padded) {
    check(scale, channels, "scale");
    check(shift, channels, "shift");
    check(bias, channels, "bias");
    float[] mul = new float[padded];
    for (int c = 0; c < channels; c++) {
      mul[c] = scale == null ? 1f : scale[c];
    }
    float[] add = new float[padded];
    for (int c = 0; c < channels; c++) {
      add[c] = (shift == null ? 0f : shift[c]) + (bias == null ? 0f : bias[c]);
    }
    return new EpilogueParams(channels, mul, add, residual, activation, alpha);
  }

  private static void check(float[] a, int channels, String what) {
    if (a != null && a.length < channels) {
      throw new IllegalArgumentException(what + " has " + a.length + " entries, need " + channels);
    }
  }

  private static float[] copy(float[] a) {
    return a == null ? null : a.clone();
  }

  @Override
  public String toString() {
    return "Epilogue[" + (scale != null ? "scale " : "") + (shift != null ? "shift " : "")
        + (bias != null ? "bias " : "") + (residual ? "residual " : "") + activation + "]";
  }
}

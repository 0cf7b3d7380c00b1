package dev.netc.runtime.kernels;

/**
 * Load-time folding of an inference-mode BatchNorm that follows a convolution (or linear layer):
 * {@code bn(y) = (y - mean) / sqrt(var + eps) * gamma + beta = y * s + (beta - mean * s)} with
 * {@code s = gamma / sqrt(var + eps)}.
 *
 * <p>Either fold it into the weights and bias ({@link #foldWeight}, {@link #foldBias}: the layer
 * then needs no scale in its epilogue; {@link #conv} and {@link #linear} prepare the folded layer
 * in one call, as generated code does at load time), or keep the weights and use the per-channel
 * affine in the epilogue ({@link #epilogue}) — needed when the BatchNorm does not directly follow
 * the convolution. Folding is done in double precision and rounded once.
 */
public final class ConvBatchNorm {
  private ConvBatchNorm() {}

  /** The per-channel factor {@code gamma / sqrt(var + eps)} (gamma null means 1). */
  public static float[] scale(float[] gamma, float[] var, float eps) {
    float[] s = new float[var.length];
    for (int c = 0; c < s.length; c++) {
      s[c] = (float) ((gamma == null ? 1.0 : gamma[c]) / Math.sqrt((double) var[c] + eps));
    }
    return s;
  }

  /** The per-channel addend {@code beta - mean * scale} (beta null means 0). */
  public static float[] shift(float[] beta, float[] mean, float[] scale) {
    float[] t = new float[mean.length];
    for (int c = 0; c < t.length; c++) {
      t[c] = (float) ((beta == null ? 0.0 : beta[c]) - (double) mean[c] * scale[c]);
    }
    return t;
  }

  /**
   * The convolution's weights with output channel {@code oc} multiplied by {@code scale[oc]}: a
   * new array in the same PyTorch layout as {@code weight[wOff ..]} for {@code spec} (output
   * channels are the first axis of a convolution's weights and, per group, the second of a
   * transposed one's).
   */
  public static float[] foldWeight(ConvSpec spec, float[] weight, int wOff, float[] scale) {
    float[] w = new float[spec.weightSize()];
    int taps = spec.taps();
    int icg = spec.inChannels() / spec.groups();
    int ocg = spec.outChannels() / spec.groups();
    for (int i = 0; i < w.length; i++) {
      int oc;
      if (spec.transposed()) {
        int ic = i / (ocg * taps);
        oc = ic / icg * ocg + i / taps % ocg;
      } else {
        oc = i / (icg * taps);
      }
      w[i] = (float) ((double) weight[wOff + i] * scale[oc]);
    }
    return w;
  }

  /** Linear weights {@code [out, in]} with row {@code o} multiplied by {@code scale[o]}. */
  public static float[] foldLinearWeight(float[] weight, int wOff, int in, int out, float[] scale) {
    float[] w = new float[in * out];
    for (int i = 0; i < w.length; i++) {
      w[i] = (float) ((double) weight[wOff + i] * scale[i / in]);
    }
    return w;
  }

  /** The folded bias {@code (bias - mean) * scale + beta} (bias null means 0, beta null means 0). */
  public static float[] foldBias(float[] bias, float[] beta, float[] mean, float[] scale) {
    float[] b = new float[mean.length];
    for (int c = 0; c < b.length; c++) {
      double v = ((bias == null ? 0.0 : bias[c]) - mean[c]) * (double) scale[c];
      b[c] = (float) (v + (beta == null ? 0.0 : beta[c]));
    }
    return b;
  }

  /** The unfolded form: {@code base} with the BatchNorm as its per-channel scale and shift. */
  public static Epilogue epilogue(Epilogue base, float[] gamma, float[] beta, float[] mean,
      float[] var, float eps) {
    float[] s = scale(gamma, var, eps);
    return base.withScaleShift(s, shift(beta, mean, s));
  }

  /**
   * A convolution prepared for input layout {@code input}, with the BatchNorm that follows it
   * (null: none) folded into its weights and bias, and the rest of the epilogue ({@code e}: no
   * bias of its own) fused.
   *
   * @param weight PyTorch-layout weights for {@code spec}, read only here
   * @param bias   the convolution's bias, or null
   */
  public static ConvPlan conv(ConvSpec spec, float[] weight, float[] bias, BatchNormWeights bn, Epilogue e,
      Layout input) {
    float[] w = weight;
    float[] b = bias;
    if (bn != null) {
      float[] s = scale(bn.gamma(), bn.var(), bn.eps());
      w = foldWeight(spec, weight, 0, s);
      b = foldBias(bias, bn.beta(), bn.mean(), s);
    }
    return ConvPlan.create(spec, w, 0, e.withBias(b), input);
  }

  /**
   * A linear layer {@code [rows, in] -> [rows, out]} (PyTorch's {@code [out, in]} weights, read
   * only here) with the BatchNorm that follows it (null: none) folded in, and the rest of the
   * epilogue ({@code e}: no bias of its own) fused.
   */
  public static GemmPlan linear(int in, int out, float[] weight, float[] bias, BatchNormWeights bn, Epilogue e) {
    float[] w = weight;
    float[] b = bias;
    if (bn != null) {
      float[] s = scale(bn.gamma(), bn.var(), bn.eps());
      w = foldLinearWeight(weight, 0, in, out, s);
      b = foldBias(bias, bn.beta(), bn.mean(), s);
    }
    return GemmPlan.linear(in, out, w, 0, e.withBias(b));
  }

  /**
   * The linear layer of {@code packed} (the same weights, already packed, with the same BatchNorm folded in) with
   * another epilogue: a layer applied twice and fused otherwise each time keeps one copy of its weights.
   */
  public static GemmPlan linear(GemmPlan packed, float[] bias, BatchNormWeights bn, Epilogue e) {
    float[] b = bias;
    if (bn != null) b = foldBias(bias, bn.beta(), bn.mean(), scale(bn.gamma(), bn.var(), bn.eps()));
    return packed.withEpilogue(e.withBias(b));
  }
}

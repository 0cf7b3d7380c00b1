package dev.netc.runtime.kernels;

/**
 * An inference-mode BatchNorm's tensors as read from a weights file, before any folding: the affine
 * {@code gamma} and {@code beta} (both null when the layer is not affine), the running statistics
 * and {@code eps}.
 *
 * @param gamma per-channel scale, or null (1)
 * @param beta  per-channel shift, or null (0)
 * @param mean  running mean
 * @param var   running variance
 * @param eps   added to the variance
 */
public record BatchNormWeights(float[] gamma, float[] beta, float[] mean, float[] var, float eps) {

  /**
   * The BatchNorm on its own, as a per-channel scale and shift in PyTorch's float order
   * ({@link ScaleShift#foldBatchNorm}).
   */
  public ScaleShift scaleShift() {
    return ScaleShift.foldBatchNorm(gamma, beta, mean, var, eps);
  }
}

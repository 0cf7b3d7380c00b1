package dev.netc.runtime.kernels;

/**
 * A per-channel affine transform {@code y = x * scale[c] + shift[c]}: what a BatchNorm becomes
 * at inference, and what the compiler folds into a preceding convolution at load time.
 *
 * @param scale one factor per channel
 * @param shift one offset per channel
 */
public record ScaleShift(float[] scale, float[] shift) {

  /**
   * Folds BatchNorm statistics: {@code scale = gamma / sqrt(var + eps)},
   * {@code shift = beta - mean * scale}; null {@code gamma}/{@code beta} mean 1 and 0.
   */
  public static ScaleShift foldBatchNorm(float[] gamma, float[] beta, float[] mean, float[] var, float eps) {
    int c = mean.length;
    float[] scale = new float[c];
    float[] shift = new float[c];
    for (int i = 0; i < c; i++) {
      // float arithmetic, in the order PyTorch's CPU inference kernel uses
      float invStd = (float) (1.0 / Math.sqrt(var[i] + eps));
      scale[i] = (gamma == null ? 1f : gamma[i]) * invStd;
      shift[i] = (beta == null ? 0f : beta[i]) - mean[i] * scale[i];
    }
    return new ScaleShift(scale, shift);
  }
}

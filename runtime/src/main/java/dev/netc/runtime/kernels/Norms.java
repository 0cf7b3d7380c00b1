package dev.netc.runtime.kernels;

import dev.netc.runtime.VectorSupport;

/**
 * Normalisation kernels on NCHW-contiguous tensors, PyTorch 1.13 inference semantics.
 *
 * <p>Shapes are passed as {@code n} (batch), {@code c} (channels) and {@code spatial} (the product
 * of the remaining dimensions: H*W, L, or D*H*W), so the same kernels serve 1-D, 2-D and 3-D.
 * Every kernel reads {@code x[xOff ..]} and writes {@code y[yOff ..]}; the two may be the same
 * region (in place). Optional affine parameters may be {@code null} (PyTorch's {@code affine=False}).
 * The vector path ({@link NormsVector}) is used when {@link VectorSupport#ENABLED}; the scalar
 * twin is {@link NormsScalar}.
 */
public final class Norms {
  private static final boolean VECTOR = VectorSupport.ENABLED;

  private Norms() {}

  /**
   * Per-channel affine with a fused activation: {@code y = act(x * scale[c] + shift[c])} — a
   * folded BatchNorm. {@code scale} or {@code shift} may be null (1 and 0).
   */
  public static void channelAffine(float[] x, int xOff, float[] y, int yOff, int n, int c, int spatial,
      float[] scale, float[] shift, Activation act, float alpha) {
    if (VECTOR) {
      NormsVector.channelAffine(x, xOff, y, yOff, n, c, spatial, scale, shift, act, alpha);
    } else {
      NormsScalar.channelAffine(x, xOff, y, yOff, n, c, spatial, scale, shift, act, alpha);
    }
  }

  /**
   * BatchNorm in inference mode, {@code y = (x - mean[c]) / sqrt(var[c] + eps) * gamma[c] + beta[c]},
   * computed as PyTorch's CPU kernel does: folded into a per-channel scale and shift first
   * ({@link ScaleShift#foldBatchNorm}). {@code gamma}/{@code beta} may be null.
   */
  public static void batchNorm(float[] x, int xOff, float[] y, int yOff, int n, int c, int spatial,
      float[] gamma, float[] beta, float[] mean, float[] var, float eps) {
    ScaleShift f = ScaleShift.foldBatchNorm(gamma, beta, mean, var, eps);
    channelAffine(x, xOff, y, yOff, n, c, spatial, f.scale(), f.shift(), Activation.IDENTITY, 0f);
  }

  /**
   * LayerNorm over the last dimensions, the tensor viewed as {@code [outer, size]}: each row is
   * normalised by its own mean and biased variance, then multiplied by {@code gamma[i]} and
   * shifted by {@code beta[i]} ({@code size} elements each, or null).
   */
  public static void layerNorm(float[] x, int xOff, float[] y, int yOff, int outer, int size,
      float[] gamma, float[] beta, float eps) {
    if (VECTOR) {
      NormsVector.layerNorm(x, xOff, y, yOff, outer, size, gamma, beta, eps);
    } else {
      NormsScalar.layerNorm(x, xOff, y, yOff, outer, size, gamma, beta, eps);
    }
  }

  /**
   * GroupNorm: channels split into {@code groups} contiguous groups; each (sample, group) block of
   * {@code c / groups * spatial} elements normalised by its mean and biased variance; then the
   * per-channel {@code gamma[c]}, {@code beta[c]} (or null).
   */
  public static void groupNorm(float[] x, int xOff, float[] y, int yOff, int n, int c, int spatial, int groups,
      float[] gamma, float[] beta, float eps) {
    if (c % groups != 0) {
      throw new IllegalArgumentException(c + " channels do not split into " + groups + " groups");
    }
    if (VECTOR) {
      NormsVector.groupNorm(x, xOff, y, yOff, n, c, spatial, groups, gamma, beta, eps);
    } else {
      NormsScalar.groupNorm(x, xOff, y, yOff, n, c, spatial, groups, gamma, beta, eps);
    }
  }

  /**
   * InstanceNorm (no running statistics, as PyTorch's default {@code track_running_stats=False}):
   * GroupNorm with one group per channel.
   */
  public static void instanceNorm(float[] x, int xOff, float[] y, int yOff, int n, int c, int spatial,
      float[] gamma, float[] beta, float eps) {
    groupNorm(x, xOff, y, yOff, n, c, spatial, c, gamma, beta, eps);
  }

  /**
   * LocalResponseNorm as PyTorch: {@code y = x / (k + alpha/size * sum(x^2 over window))^beta}, the
   * window over channels {@code [c - size/2, c + (size-1)/2]}, zero outside. Not in place.
   */
  public static void localResponseNorm(float[] x, int xOff, float[] y, int yOff, int n, int c, int spatial,
      int size, float alpha, float beta, float k) {
    if (VECTOR) {
      NormsVector.localResponseNorm(x, xOff, y, yOff, n, c, spatial, size, alpha, beta, k);
    } else {
      NormsScalar.localResponseNorm(x, xOff, y, yOff, n, c, spatial, size, alpha, beta, k);
    }
  }

  /**
   * L2 normalisation across channels (SSD's {@code L2Norm}): per sample and position, the squares
   * summed over the channels in channel order (in float), {@code n = sqrt(sum) + eps}, then
   * {@code y = x / n * weight[c]} ({@code weight} null means 1). {@code norm} is work space of at
   * least {@code spatial} floats (so a caller can run it without allocating). Scalar only: the sum
   * runs across channels, a stride of {@code spatial} apart. May be in place.
   */
  public static void l2Norm(float[] x, int xOff, float[] y, int yOff, int n, int c, int spatial,
      float[] weight, float eps, float[] norm) {
    NormsScalar.l2Norm(x, xOff, y, yOff, n, c, spatial, weight, eps, norm);
  }
}

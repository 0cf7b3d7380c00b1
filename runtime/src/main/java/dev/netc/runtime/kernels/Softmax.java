package dev.netc.runtime.kernels;

import dev.netc.runtime.VectorSupport;

/**
 * Softmax and log-softmax over one axis of a tensor viewed as {@code [outer, dim, inner]}.
 *
 * <p>For NCHW over channels: {@code outer = N, dim = C, inner = H*W}; over the last axis of any
 * tensor: {@code outer = numel / D, dim = D, inner = 1}. Semantics of PyTorch
 * {@code softmax(x, axis)}: {@code exp(x - max) / sum(exp(x - max))}, and
 * {@code log_softmax = x - max - log(sum(exp(x - max)))}. {@code x} and {@code y} may be the same
 * array at the same offset (in place). Vector path when {@link VectorSupport#ENABLED}.
 */
public final class Softmax {
  private static final boolean VECTOR = VectorSupport.ENABLED;

  private Softmax() {}

  /** {@code y = softmax(x)} along the middle axis of {@code [outer, dim, inner]}. */
  public static void softmax(float[] x, int xOff, float[] y, int yOff, int outer, int dim, int inner) {
    if (VECTOR) {
      SoftmaxVector.softmax(x, xOff, y, yOff, outer, dim, inner, false);
    } else {
      SoftmaxScalar.softmax(x, xOff, y, yOff, outer, dim, inner, false);
    }
  }

  /** {@code y = log_softmax(x)} along the middle axis of {@code [outer, dim, inner]}. */
  public static void logSoftmax(float[] x, int xOff, float[] y, int yOff, int outer, int dim, int inner) {
    if (VECTOR) {
      SoftmaxVector.softmax(x, xOff, y, yOff, outer, dim, inner, true);
    } else {
      SoftmaxScalar.softmax(x, xOff, y, yOff, outer, dim, inner, true);
    }
  }
}

package dev.netc.runtime.kernels;

import dev.netc.runtime.VectorSupport;

/**
 * Sum and maximum of a contiguous run of floats (global pooling, means). The vector path sums in
 * float lanes, the scalar twin in double; {@link #max} is exact in both (NaN propagates).
 */
public final class Reductions {
  private static final boolean VECTOR = VectorSupport.ENABLED;

  private Reductions() {}

  /** The sum of {@code x[off .. off+len)}. */
  public static float sum(float[] x, int off, int len) {
    return VECTOR ? ReductionsVector.sum(x, off, len) : ReductionsScalar.sum(x, off, len);
  }

  /** The maximum of {@code x[off .. off+len)}; NaN if any element is NaN; -inf when empty. */
  public static float max(float[] x, int off, int len) {
    return VECTOR ? ReductionsVector.max(x, off, len) : ReductionsScalar.max(x, off, len);
  }
}

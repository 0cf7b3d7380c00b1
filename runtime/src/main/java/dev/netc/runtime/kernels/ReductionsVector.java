package dev.netc.runtime.kernels;

import static jdk.incubator.vector.VectorOperators.MAX;

import jdk.incubator.vector.FloatVector;
import jdk.incubator.vector.VectorSpecies;

/** The vector path of {@link Reductions}: two independent accumulators hide the add latency. */
public final class ReductionsVector {
  private static final VectorSpecies<Float> S = FloatVector.SPECIES_PREFERRED;

  private ReductionsVector() {}

  /** The sum, accumulated in float lanes. */
  public static float sum(float[] x, int off, int len) {
    int step = S.length();
    FloatVector a0 = FloatVector.zero(S);
    FloatVector a1 = FloatVector.zero(S);
    int i = 0;
    for (; i + 2 * step <= len; i += 2 * step) {
      a0 = a0.add(FloatVector.fromArray(S, x, off + i));
      a1 = a1.add(FloatVector.fromArray(S, x, off + i + step));
    }
    float s = Lanes.sum(a0.add(a1));
    for (; i < len; i++) {
      s += x[off + i];
    }
    return s;
  }

  /** The maximum; NaN if any element is NaN (vector MAX propagates NaN as Math.max does). */
  public static float max(float[] x, int off, int len) {
    FloatVector m = FloatVector.broadcast(S, Float.NEGATIVE_INFINITY);
    int i = 0;
    int bound = S.loopBound(len);
    for (; i < bound; i += S.length()) {
      m = m.max(FloatVector.fromArray(S, x, off + i));
    }
    float r = m.reduceLanes(MAX);
    for (; i < len; i++) {
      r = Math.max(r, x[off + i]);
    }
    return r;
  }
}

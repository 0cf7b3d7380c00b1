package dev.netc.runtime.kernels;

import jdk.incubator.vector.FloatVector;
import jdk.incubator.vector.VectorShuffle;
import jdk.incubator.vector.VectorSpecies;

/**
 * The sum of a vector's lanes in one fixed order, the same in interpreted and JIT-compiled code.
 *
 * <p>{@code reduceLanes(ADD)} may add lanes in any order, and does: the Java fallback adds lane 0, 1, 2, ...
 * while C2's intrinsic adds in a tree, so the same call gave -4.0949497 before compilation and -4.09495 after —
 * a model's outputs changed in the last bits once it warmed up, and two sessions at different stages of warm-up
 * disagreed. Here the lanes are folded in halves (lane i plus lane i + L/2, then i + L/4, ...) by element-wise
 * adds, which every execution mode performs identically.
 */
final class Lanes {
  private static final VectorSpecies<Float> S = FloatVector.SPECIES_PREFERRED;
  /** For each halving step, lane i takes lane i + half (the upper lanes' values do not matter). */
  @SuppressWarnings("unchecked")
  private static final VectorShuffle<Float>[] HALVES = halves();

  private Lanes() {}

  /** The lanes of {@code v} (species {@link FloatVector#SPECIES_PREFERRED}) summed in halving order. */
  static float sum(FloatVector v) {
    for (VectorShuffle<Float> h : HALVES) {
      v = v.add(v.rearrange(h));
    }
    return v.lane(0);
  }

  @SuppressWarnings("unchecked")
  private static VectorShuffle<Float>[] halves() {
    int n = Integer.numberOfTrailingZeros(S.length());
    VectorShuffle<Float>[] out = new VectorShuffle[n];
    int half = S.length() / 2;
    for (int k = 0; k < n; k++, half /= 2) {
      int[] idx = new int[S.length()];
      for (int i = 0; i < idx.length; i++) idx[i] = (i + half) % S.length();
      out[k] = VectorShuffle.fromArray(S, idx, 0);
    }
    return out;
  }
}

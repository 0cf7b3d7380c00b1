package dev.netc.runtime.kernels;

import static jdk.incubator.vector.VectorOperators.MAX;

import jdk.incubator.vector.FloatVector;
import jdk.incubator.vector.VectorMask;
import jdk.incubator.vector.VectorSpecies;

/**
 * The vector path of {@link Softmax}. With {@code inner == 1} the lanes run along the axis; else
 * they run along {@code inner} (contiguous), each lane holding its own running max and sum, so no
 * scratch memory is needed. Within about 4 float ulps of {@link SoftmaxScalar}.
 */
public final class SoftmaxVector {
  private static final VectorSpecies<Float> S = FloatVector.SPECIES_PREFERRED;

  private SoftmaxVector() {}

  /** As {@link SoftmaxScalar#softmax}. */
  public static void softmax(float[] x, int xOff, float[] y, int yOff, int outer, int dim, int inner, boolean log) {
    for (int o = 0; o < outer; o++) {
      int base = o * dim * inner;
      if (inner == 1) {
        contiguous(x, xOff + base, y, yOff + base, dim, log);
      } else {
        for (int i = 0; i < inner; i += S.length()) {
          VectorMask<Float> m = S.indexInRange(i, inner);
          strided(x, xOff + base + i, y, yOff + base + i, dim, inner, m, log);
        }
      }
    }
  }

  private static void contiguous(float[] x, int xo, float[] y, int yo, int dim, boolean log) {
    FloatVector vmax = FloatVector.broadcast(S, Float.NEGATIVE_INFINITY);
    for (int c = 0; c < dim; c += S.length()) {
      VectorMask<Float> m = S.indexInRange(c, dim);
      vmax = vmax.lanewise(MAX, FloatVector.fromArray(S, x, xo + c, m), m);
    }
    float max = vmax.reduceLanes(MAX);
    FloatVector vsum = FloatVector.zero(S);
    for (int c = 0; c < dim; c += S.length()) {
      VectorMask<Float> m = S.indexInRange(c, dim);
      FloatVector e = VectorMath.exp(FloatVector.fromArray(S, x, xo + c, m).sub(max));
      vsum = vsum.add(e, m);
      if (!log) {
        e.intoArray(y, yo + c, m);
      }
    }
    float sum = Lanes.sum(vsum);
    if (log) {
      float shift = (float) (max + Math.log(sum));
      for (int c = 0; c < dim; c += S.length()) {
        VectorMask<Float> m = S.indexInRange(c, dim);
        FloatVector.fromArray(S, x, xo + c, m).sub(shift).intoArray(y, yo + c, m);
      }
    } else {
      float inv = 1f / sum;
      for (int c = 0; c < dim; c += S.length()) {
        VectorMask<Float> m = S.indexInRange(c, dim);
        FloatVector.fromArray(S, y, yo + c, m).mul(inv).intoArray(y, yo + c, m);
      }
    }
  }

  private static void strided(float[] x, int xo, float[] y, int yo, int dim, int stride, VectorMask<Float> m,
      boolean log) {
    FloatVector vmax = FloatVector.broadcast(S, Float.NEGATIVE_INFINITY);
    for (int c = 0; c < dim; c++) {
      vmax = vmax.max(FloatVector.fromArray(S, x, xo + c * stride, m));
    }
    FloatVector vsum = FloatVector.zero(S);
    for (int c = 0; c < dim; c++) {
      FloatVector e = VectorMath.exp(FloatVector.fromArray(S, x, xo + c * stride, m).sub(vmax));
      vsum = vsum.add(e);
      if (!log) {
        e.intoArray(y, yo + c * stride, m);
      }
    }
    if (log) {
      FloatVector shift = vmax.add(VectorMath.log(vsum));
      for (int c = 0; c < dim; c++) {
        FloatVector.fromArray(S, x, xo + c * stride, m).sub(shift).intoArray(y, yo + c * stride, m);
      }
    } else {
      FloatVector inv = FloatVector.broadcast(S, 1f).div(vsum);
      for (int c = 0; c < dim; c++) {
        FloatVector.fromArray(S, y, yo + c * stride, m).mul(inv).intoArray(y, yo + c * stride, m);
      }
    }
  }
}

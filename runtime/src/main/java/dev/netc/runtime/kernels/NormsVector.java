package dev.netc.runtime.kernels;

import static jdk.incubator.vector.VectorOperators.EXP;
import static jdk.incubator.vector.VectorOperators.LOG;

import jdk.incubator.vector.FloatVector;
import jdk.incubator.vector.VectorMask;
import jdk.incubator.vector.VectorSpecies;

/**
 * The vector path of {@link Norms}. Statistics accumulate in float lanes (two passes: mean, then
 * squared deviations), so results match {@link NormsScalar} within about 1e-5 relative for the
 * sizes of real layers.
 */
public final class NormsVector {
  private static final VectorSpecies<Float> S = FloatVector.SPECIES_PREFERRED;

  private NormsVector() {}

  /** See {@link Norms#channelAffine}. */
  public static void channelAffine(float[] x, int xOff, float[] y, int yOff, int n, int c, int spatial,
      float[] scale, float[] shift, Activation act, float alpha) {
    for (int b = 0; b < n; b++) {
      for (int ch = 0; ch < c; ch++) {
        float a = scale == null ? 1f : scale[ch];
        float s = shift == null ? 0f : shift[ch];
        int base = (b * c + ch) * spatial;
        affine(x, xOff + base, y, yOff + base, spatial, a, s, act, alpha);
      }
    }
  }

  /** See {@link Norms#layerNorm}. */
  public static void layerNorm(float[] x, int xOff, float[] y, int yOff, int outer, int size,
      float[] gamma, float[] beta, float eps) {
    for (int r = 0; r < outer; r++) {
      int xo = xOff + r * size;
      int yo = yOff + r * size;
      float mean = sum(x, xo, size) / size;
      float rstd = (float) (1.0 / Math.sqrt(squaredDeviations(x, xo, size, mean) / size + eps));
      for (int i = 0; i < size; i += S.length()) {
        VectorMask<Float> m = S.indexInRange(i, size);
        FloatVector v = FloatVector.fromArray(S, x, xo + i, m).sub(mean).mul(rstd);
        if (gamma != null) {
          v = v.mul(FloatVector.fromArray(S, gamma, i, m));
        }
        if (beta != null) {
          v = v.add(FloatVector.fromArray(S, beta, i, m));
        }
        v.intoArray(y, yo + i, m);
      }
    }
  }

  /** See {@link Norms#groupNorm}. */
  public static void groupNorm(float[] x, int xOff, float[] y, int yOff, int n, int c, int spatial, int groups,
      float[] gamma, float[] beta, float eps) {
    int perGroup = c / groups;
    int block = perGroup * spatial;
    for (int b = 0; b < n; b++) {
      for (int g = 0; g < groups; g++) {
        int base = (b * groups + g) * block;
        float mean = sum(x, xOff + base, block) / block;
        float rstd = (float) (1.0 / Math.sqrt(squaredDeviations(x, xOff + base, block, mean) / block + eps));
        for (int k = 0; k < perGroup; k++) {
          int ch = g * perGroup + k;
          float a = rstd * (gamma == null ? 1f : gamma[ch]);
          float shift = beta == null ? 0f : beta[ch];
          int o = base + k * spatial;
          // (x - mean) * a + beta, not x * a + (beta - mean * a): no cancellation when var is tiny
          for (int i = 0; i < spatial; i += S.length()) {
            VectorMask<Float> m = S.indexInRange(i, spatial);
            FloatVector.fromArray(S, x, xOff + o + i, m).sub(mean).fma(a, shift).intoArray(y, yOff + o + i, m);
          }
        }
      }
    }
  }

  /** See {@link Norms#localResponseNorm}; lanes run along the spatial positions. */
  public static void localResponseNorm(float[] x, int xOff, float[] y, int yOff, int n, int c, int spatial,
      int size, float alpha, float beta, float k) {
    float scale = alpha / size;
    for (int b = 0; b < n; b++) {
      for (int ch = 0; ch < c; ch++) {
        int lo = Math.max(0, ch - size / 2);
        int hi = Math.min(c - 1, ch + (size - 1) / 2);
        int o = (b * c + ch) * spatial;
        for (int s = 0; s < spatial; s += S.length()) {
          VectorMask<Float> m = S.indexInRange(s, spatial);
          FloatVector sum = FloatVector.zero(S);
          for (int j = lo; j <= hi; j++) {
            FloatVector v = FloatVector.fromArray(S, x, xOff + (b * c + j) * spatial + s, m);
            sum = v.fma(v, sum);
          }
          FloatVector div = pow(sum.mul(scale).add(k), beta);
          FloatVector.fromArray(S, x, xOff + o + s, m).div(div).intoArray(y, yOff + o + s, m);
        }
      }
    }
  }

  /**
   * {@code base^beta} for a positive base: two square roots for AlexNet's 0.75 (SVML's POW is slow),
   * else {@code exp(beta * log(base))}.
   */
  private static FloatVector pow(FloatVector base, float beta) {
    if (beta == 0.75f) {
      FloatVector r = base.sqrt();
      return r.mul(r.sqrt());
    }
    return base.lanewise(LOG).mul(beta).lanewise(EXP);
  }

  /**
   * {@code y = act(x * a + b)}. IDENTITY and RELU are fused into the loop; other activations run as
   * a second pass over the just-written (cache-hot) row, see {@link ActivationVector}.
   */
  static void affine(float[] x, int xo, float[] y, int yo, int len, float a, float b, Activation act, float alpha) {
    int i = 0;
    int bound = S.loopBound(len);
    if (act == Activation.RELU) {
      for (; i < bound; i += S.length()) {
        FloatVector.fromArray(S, x, xo + i).fma(a, b).max(0f).intoArray(y, yo + i);
      }
    } else {
      for (; i < bound; i += S.length()) {
        FloatVector.fromArray(S, x, xo + i).fma(a, b).intoArray(y, yo + i);
      }
    }
    if (i < len) {
      VectorMask<Float> m = S.indexInRange(i, len);
      FloatVector v = FloatVector.fromArray(S, x, xo + i, m).fma(a, b);
      (act == Activation.RELU ? v.max(0f) : v).intoArray(y, yo + i, m);
    }
    if (act != Activation.IDENTITY && act != Activation.RELU) {
      ActivationVector.applyInPlace(act, y, yo, len, alpha);
    }
  }

  static float sum(float[] x, int off, int len) {
    FloatVector acc = FloatVector.zero(S);
    int i = 0;
    int bound = S.loopBound(len);
    for (; i < bound; i += S.length()) {
      acc = acc.add(FloatVector.fromArray(S, x, off + i));
    }
    float s = Lanes.sum(acc);
    for (; i < len; i++) {
      s += x[off + i];
    }
    return s;
  }

  static float squaredDeviations(float[] x, int off, int len, float mean) {
    FloatVector acc = FloatVector.zero(S);
    int i = 0;
    int bound = S.loopBound(len);
    for (; i < bound; i += S.length()) {
      FloatVector d = FloatVector.fromArray(S, x, off + i).sub(mean);
      acc = d.fma(d, acc);
    }
    float s = Lanes.sum(acc);
    for (; i < len; i++) {
      float d = x[off + i] - mean;
      s += d * d;
    }
    return s;
  }
}

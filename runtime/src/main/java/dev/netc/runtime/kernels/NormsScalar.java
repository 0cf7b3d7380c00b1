package dev.netc.runtime.kernels;

import java.util.Arrays;

/** The scalar twin of {@link Norms}; statistics accumulate in double (l2Norm's in float). Same contracts. */
public final class NormsScalar {
  private NormsScalar() {}

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
      double mean = mean(x, xo, size);
      float m = (float) mean;
      float rstd = (float) (1.0 / Math.sqrt(variance(x, xo, size, mean) + eps));
      for (int i = 0; i < size; i++) {
        float v = (x[xo + i] - m) * rstd;
        y[yo + i] = v * (gamma == null ? 1f : gamma[i]) + (beta == null ? 0f : beta[i]);
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
        double mean = mean(x, xOff + base, block);
        double rstd = 1.0 / Math.sqrt(variance(x, xOff + base, block, mean) + eps);
        for (int k = 0; k < perGroup; k++) {
          int ch = g * perGroup + k;
          float a = (float) (rstd * (gamma == null ? 1f : gamma[ch]));
          float shift = beta == null ? 0f : beta[ch];
          int o = base + k * spatial;
          // (x - mean) * a + beta, not x * a + (beta - mean * a): no cancellation when var is tiny
          float m = (float) mean;
          for (int i = 0; i < spatial; i++) {
            y[yOff + o + i] = (x[xOff + o + i] - m) * a + shift;
          }
        }
      }
    }
  }

  /** See {@link Norms#localResponseNorm}. */
  public static void localResponseNorm(float[] x, int xOff, float[] y, int yOff, int n, int c, int spatial,
      int size, float alpha, float beta, float k) {
    for (int b = 0; b < n; b++) {
      for (int ch = 0; ch < c; ch++) {
        int lo = Math.max(0, ch - size / 2);
        int hi = Math.min(c - 1, ch + (size - 1) / 2);
        int o = (b * c + ch) * spatial;
        for (int s = 0; s < spatial; s++) {
          double sum = 0;
          for (int j = lo; j <= hi; j++) {
            float v = x[xOff + (b * c + j) * spatial + s];
            sum += v * v;
          }
          double div = Math.pow(sum / size * alpha + k, beta);
          y[yOff + o + s] = (float) (x[xOff + o + s] / div);
        }
      }
    }
  }

  /** See {@link Norms#l2Norm}. */
  public static void l2Norm(float[] x, int xOff, float[] y, int yOff, int n, int c, int spatial,
      float[] weight, float eps, float[] norm) {
    for (int b = 0; b < n; b++) {
      int base = b * c * spatial;
      Arrays.fill(norm, 0, spatial, 0f);
      for (int ch = 0; ch < c; ch++) {
        int row = xOff + base + ch * spatial;
        for (int s = 0; s < spatial; s++) {
          float v = x[row + s];
          norm[s] += v * v;
        }
      }
      for (int s = 0; s < spatial; s++) {
        norm[s] = (float) Math.sqrt(norm[s]) + eps;
      }
      for (int ch = 0; ch < c; ch++) {
        float scale = weight == null ? 1f : weight[ch];
        int xRow = xOff + base + ch * spatial;
        int yRow = yOff + base + ch * spatial;
        for (int s = 0; s < spatial; s++) {
          y[yRow + s] = x[xRow + s] / norm[s] * scale;
        }
      }
    }
  }

  static void affine(float[] x, int xo, float[] y, int yo, int len, float a, float b, Activation act, float alpha) {
    for (int i = 0; i < len; i++) {
      y[yo + i] = act.apply(x[xo + i] * a + b, alpha);
    }
  }

  static double mean(float[] x, int off, int len) {
    double s = 0;
    for (int i = 0; i < len; i++) {
      s += x[off + i];
    }
    return s / len;
  }

  /** The biased variance (divide by {@code len}), as PyTorch's normalisation layers use. */
  static double variance(float[] x, int off, int len, double mean) {
    double s = 0;
    for (int i = 0; i < len; i++) {
      double d = x[off + i] - mean;
      s += d * d;
    }
    return s / len;
  }
}

package dev.netc.runtime.kernels;

/**
 * The reference convolution: plain loops over NCHW tensors (NCL, NCDHW), double accumulation,
 * PyTorch semantics, then the literal {@link Epilogue#apply} formula. The scalar twin every
 * {@link ConvPlan} path is tested against, and the reference interpreter's convolution.
 *
 * <p>A transposed convolution is computed in its gather form: output {@code o} along an axis
 * receives input {@code i} through tap {@code k} when {@code o + padBegin - k*dilation == i*stride}.
 */
public final class ConvReference {
  private ConvReference() {}

  /**
   * Runs {@code spec} on {@code batch} NCHW images.
   *
   * @param weight PyTorch layout (see {@link ConvSpec}), from {@code wOff}
   * @param res    the residual, NCHW like the output (read only if the epilogue has one)
   */
  public static void run(ConvSpec spec, float[] weight, int wOff, Epilogue e, int batch, float[] in,
      int inOff, float[] out, int outOff, float[] res, int resOff) {
    int inImage = spec.inChannels() * spec.inSpatial();
    int outImage = spec.outChannels() * spec.outSpatial();
    for (int n = 0; n < batch; n++) {
      for (int oc = 0; oc < spec.outChannels(); oc++) {
        for (int p = 0; p < spec.outSpatial(); p++) {
          double s = spec.transposed()
              ? transposedDot(spec, weight, wOff, in, inOff + n * inImage, oc, p)
              : dot(spec, weight, wOff, in, inOff + n * inImage, oc, p);
          int o = n * outImage + oc * spec.outSpatial() + p;
          float r = e.residual() ? res[resOff + o] : 0f;
          out[outOff + o] = e.apply((float) s, oc, r);
        }
      }
    }
  }

  private static double dot(ConvSpec s, float[] w, int wOff, float[] in, int inOff, int oc, int p) {
    ConvAxis d = s.depth();
    ConvAxis h = s.height();
    ConvAxis x = s.width();
    int oz = p / (s.outHeight() * s.outWidth());
    int oy = p / s.outWidth() % s.outHeight();
    int ox = p % s.outWidth();
    int icg = s.inChannels() / s.groups();
    int g = oc / (s.outChannels() / s.groups());
    double sum = 0;
    for (int ic = 0; ic < icg; ic++) {
      int inC = inOff + (g * icg + ic) * s.inSpatial();
      for (int kz = 0; kz < d.kernel(); kz++) {
        int iz = oz * d.stride() - d.padBegin() + kz * d.dilation();
        for (int ky = 0; ky < h.kernel(); ky++) {
          int iy = oy * h.stride() - h.padBegin() + ky * h.dilation();
          for (int kx = 0; kx < x.kernel(); kx++) {
            int ix = ox * x.stride() - x.padBegin() + kx * x.dilation();
            if (iz >= 0 && iz < d.in() && iy >= 0 && iy < h.in() && ix >= 0 && ix < x.in()) {
              float v = in[inC + (iz * h.in() + iy) * x.in() + ix];
              float wv = w[wOff + (((oc * icg + ic) * d.kernel() + kz) * h.kernel() + ky) * x.kernel() + kx];
              sum += (double) v * wv;
            }
          }
        }
      }
    }
    return sum;
  }

  private static double transposedDot(ConvSpec s, float[] w, int wOff, float[] in, int inOff, int oc,
      int p) {
    ConvAxis d = s.depth();
    ConvAxis h = s.height();
    ConvAxis x = s.width();
    int oz = p / (s.outHeight() * s.outWidth());
    int oy = p / s.outWidth() % s.outHeight();
    int ox = p % s.outWidth();
    int ocg = s.outChannels() / s.groups();
    int icg = s.inChannels() / s.groups();
    int g = oc / ocg;
    double sum = 0;
    for (int icl = 0; icl < icg; icl++) {
      int ic = g * icg + icl;
      for (int kz = 0; kz < d.kernel(); kz++) {
        int iz = source(oz, kz, d);
        for (int ky = 0; ky < h.kernel(); ky++) {
          int iy = source(oy, ky, h);
          for (int kx = 0; kx < x.kernel(); kx++) {
            int ix = source(ox, kx, x);
            if (iz >= 0 && iy >= 0 && ix >= 0) {
              float v = in[inOff + ic * s.inSpatial() + (iz * h.in() + iy) * x.in() + ix];
              float wv = w[wOff + (((ic * ocg + oc % ocg) * d.kernel() + kz) * h.kernel() + ky) * x.kernel() + kx];
              sum += (double) v * wv;
            }
          }
        }
      }
    }
    return sum;
  }

  /** The input index feeding output {@code o} through tap {@code k}, or -1 when none does. */
  private static int source(int o, int k, ConvAxis a) {
    int t = o + a.padBegin() - k * a.dilation();
    if (t < 0 || t % a.stride() != 0) {
      return -1;
    }
    int i = t / a.stride();
    return i < a.in() ? i : -1;
  }
}

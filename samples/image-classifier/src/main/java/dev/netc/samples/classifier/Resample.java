package dev.netc.samples.classifier;

/**
 * Separable bilinear resampling with antialiasing, as Pillow's {@code Image.resize(size, BILINEAR)} does it (and so
 * torchvision's {@code Resize} on a PIL image): each output pixel is a triangle-filter average of the input pixels
 * under it, the filter widened by the scale factor when shrinking so that no input pixel is skipped. Planes are
 * row-major {@code float[height * width]}; values stay in floats (Pillow rounds to 8 bits between the two passes,
 * a difference of at most one grey level).
 */
final class Resample {
  private Resample() {}

  /** One plane of {@code [h, w]} resized to {@code [outH, outW]}: horizontal pass, then vertical. */
  static float[] bilinear(float[] plane, int h, int w, int outH, int outW) {
    float[] rows = horizontal(plane, h, w, outW);
    return vertical(rows, h, outW, outH);
  }

  private static float[] horizontal(float[] src, int h, int w, int outW) {
    Taps taps = Taps.of(w, outW);
    float[] dst = new float[h * outW];
    for (int y = 0; y < h; y++) {
      for (int x = 0; x < outW; x++) {
        float sum = 0;
        for (int k = 0; k < taps.count[x]; k++) sum += taps.weight[x][k] * src[y * w + taps.first[x] + k];
        dst[y * outW + x] = sum;
      }
    }
    return dst;
  }

  private static float[] vertical(float[] src, int h, int w, int outH) {
    Taps taps = Taps.of(h, outH);
    float[] dst = new float[outH * w];
    for (int y = 0; y < outH; y++) {
      for (int k = 0; k < taps.count[y]; k++) {
        float wk = taps.weight[y][k];
        int row = (taps.first[y] + k) * w;
        for (int x = 0; x < w; x++) dst[y * w + x] += wk * src[row + x];
      }
    }
    return dst;
  }

  /** For each output index along one axis: the first input index, how many inputs, and their weights (sum 1). */
  record Taps(int[] first, int[] count, float[][] weight) {
    static Taps of(int in, int out) {
      double scale = (double) in / out;
      double filterScale = Math.max(scale, 1.0);
      double support = filterScale; // the triangle filter reaches 1 pixel, widened when shrinking
      int[] first = new int[out];
      int[] count = new int[out];
      float[][] weight = new float[out][];
      for (int i = 0; i < out; i++) {
        double center = (i + 0.5) * scale;
        int lo = Math.max((int) (center - support + 0.5), 0);
        int hi = Math.min((int) (center + support + 0.5), in);
        double[] wts = new double[hi - lo];
        double total = 0;
        for (int j = lo; j < hi; j++) total += wts[j - lo] = triangle((j - center + 0.5) / filterScale);
        weight[i] = new float[hi - lo];
        for (int j = 0; j < wts.length; j++) weight[i][j] = (float) (total == 0 ? 0 : wts[j] / total);
        first[i] = lo;
        count[i] = hi - lo;
      }
      return new Taps(first, count, weight);
    }

    private static double triangle(double x) {
      double a = Math.abs(x);
      return a < 1 ? 1 - a : 0;
    }
  }
}

package dev.netc.runtime.kernels;

/**
 * RoI max pooling as torchvision's {@code ops.roi_pool} (Fast R-CNN).
 *
 * <p>{@code rois} holds {@code k} rows of {@code (batch index, x1, y1, x2, y2)} in input-image
 * coordinates. Each box is scaled by {@code spatialScale} and rounded (half away from zero) to
 * feature cells, inclusive of its end cell ({@code size = max(end - start + 1, 1)}); it is split
 * into {@code outH x outW} bins {@code [floor(i * size / out), ceil((i + 1) * size / out))}
 * clipped to the feature map, and each bin takes its maximum (0 for an empty bin).
 * Output: {@code [k, c, outH, outW]}.
 */
public final class RoiPool {
  private RoiPool() {}

  /** As the method below, for a layer named {@code roi_pool}. */
  public static void pool(float[] x, int xOff, int n, int c, int h, int w, float[] rois, int roisOff, int k,
      int outH, int outW, float spatialScale, float[] y, int yOff) {
    pool(x, xOff, n, c, h, w, rois, roisOff, k, outH, outW, spatialScale, y, yOff, "roi_pool");
  }

  /**
   * Pools {@code k} boxes from features {@code x [n, c, h, w]} into {@code y [k, c, outH, outW]}. Box sizes and bin
   * bounds are computed in {@code long} (torchvision's {@code int} overflows for boxes wider than 2^31 cells, the
   * result is otherwise the same); a box row whose batch index is not an item of the batch, or whose scaled
   * coordinates are not finite or lie beyond ±2^30, is an {@link dev.netc.runtime.InputException} whose message
   * starts with {@code layer} (none when it is empty).
   */
  public static void pool(float[] x, int xOff, int n, int c, int h, int w, float[] rois, int roisOff, int k,
      int outH, int outW, float spatialScale, float[] y, int yOff, String layer) {
    for (int r = 0; r < k; r++) {
      int row = roisOff + r * 5;
      int b = RoiAlign.batchIndex(rois[row], n, r, layer);
      long x0 = roundHalfAway(RoiAlign.coordinate(rois, row, 1, spatialScale, r, layer));
      long y0 = roundHalfAway(RoiAlign.coordinate(rois, row, 2, spatialScale, r, layer));
      long x1 = roundHalfAway(RoiAlign.coordinate(rois, row, 3, spatialScale, r, layer));
      long y1 = roundHalfAway(RoiAlign.coordinate(rois, row, 4, spatialScale, r, layer));
      float binH = (float) Math.max(y1 - y0 + 1, 1) / outH;
      float binW = (float) Math.max(x1 - x0 + 1, 1) / outW;
      for (int ch = 0; ch < c; ch++) {
        int plane = xOff + (b * c + ch) * h * w;
        int out = yOff + ((r * c + ch) * outH) * outW;
        for (int ph = 0; ph < outH; ph++) {
          int hs = clamp((long) Math.floor(ph * binH) + y0, h);
          int he = clamp((long) Math.ceil((ph + 1) * binH) + y0, h);
          for (int pw = 0; pw < outW; pw++) {
            int ws = clamp((long) Math.floor(pw * binW) + x0, w);
            int we = clamp((long) Math.ceil((pw + 1) * binW) + x0, w);
            y[out + ph * outW + pw] = binMax(x, plane, w, hs, he, ws, we);
          }
        }
      }
    }
  }

  private static float binMax(float[] x, int plane, int w, int hs, int he, int ws, int we) {
    if (he <= hs || we <= ws) {
      return 0f;
    }
    float max = -Float.MAX_VALUE;
    for (int i = hs; i < he; i++) {
      for (int j = ws; j < we; j++) {
        max = Math.max(max, x[plane + i * w + j]);
      }
    }
    return max;
  }

  private static int clamp(long v, int size) {
    return (int) Math.min(Math.max(v, 0), size);
  }

  /** C's {@code round}: half away from zero (Java's {@link Math#round} rounds half up). */
  static int roundHalfAway(float v) {
    return (int) (Math.signum(v) * Math.floor(Math.abs(v) + 0.5f));
  }
}

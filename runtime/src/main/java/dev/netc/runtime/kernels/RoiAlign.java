package dev.netc.runtime.kernels;

import dev.netc.runtime.InputException;

/**
 * RoI Align as torchvision's {@code ops.roi_align} (Mask R-CNN), in float as torchvision computes.
 *
 * <p>{@code rois} holds {@code k} rows of {@code (batch index, x1, y1, x2, y2)}. The box is scaled
 * by {@code spatialScale} and, when {@code aligned}, shifted by -0.5 (pixel centres); unaligned
 * boxes are at least 1x1. Each of the {@code outH x outW} bins averages a grid of
 * {@code samplingRatio x samplingRatio} bilinear samples ({@code ceil(box / out)} per side when
 * {@code samplingRatio <= 0}) at the grid-cell centres; samples beyond one cell outside the map
 * count as 0, others are clamped to the border. Output: {@code [k, c, outH, outW]}.
 *
 * <p>Only the samples that can land within one cell of the map are visited: the others are 0 and
 * adding 0 leaves the sum as it was, so the result is the full grid's, bit for bit, while the work
 * stays bounded by the map's size however large a box is (a box of 1e6 pixels asks for a grid of
 * 250,000² samples per bin). The divisor is the full grid's size, counted in a {@code long}
 * (torchvision multiplies in {@code int}, which overflows past 46,341² samples). A box row whose
 * batch index is not an item of the batch, or whose scaled coordinates are not finite or lie
 * beyond ±2^30 (where torchvision's {@code int} grid and box arithmetic overflow), is refused with
 * an {@link InputException} that names the layer, the box and the value.
 */
public final class RoiAlign {
  /** The largest scaled box coordinate taken, in magnitude: 2^30. */
  public static final float MAX_COORDINATE = 0x1p30f;

  private RoiAlign() {}

  /** As the method below, for a layer named {@code roi_align}. */
  public static void align(float[] x, int xOff, int n, int c, int h, int w, float[] rois, int roisOff, int k,
      int outH, int outW, float spatialScale, int samplingRatio, boolean aligned, float[] y, int yOff) {
    align(x, xOff, n, c, h, w, rois, roisOff, k, outH, outW, spatialScale, samplingRatio, aligned, y, yOff,
        "roi_align");
  }

  /**
   * Aligns {@code k} boxes from {@code x [n, c, h, w]} into {@code y [k, c, outH, outW]}; a bad box row is an
   * {@link InputException} whose message starts with {@code layer} (none when it is empty).
   */
  public static void align(float[] x, int xOff, int n, int c, int h, int w, float[] rois, int roisOff, int k,
      int outH, int outW, float spatialScale, int samplingRatio, boolean aligned, float[] y, int yOff, String layer) {
    float offset = aligned ? 0.5f : 0f;
    for (int r = 0; r < k; r++) {
      int row = roisOff + r * 5;
      int b = batchIndex(rois[row], n, r, layer);
      float x0 = coordinate(rois, row, 1, spatialScale, r, layer) - offset;
      float y0 = coordinate(rois, row, 2, spatialScale, r, layer) - offset;
      float roiW = coordinate(rois, row, 3, spatialScale, r, layer) - offset - x0;
      float roiH = coordinate(rois, row, 4, spatialScale, r, layer) - offset - y0;
      if (!aligned) {
        roiW = Math.max(roiW, 1f);
        roiH = Math.max(roiH, 1f);
      }
      float binH = roiH / outH;
      float binW = roiW / outW;
      long gridH = samplingRatio > 0 ? samplingRatio : (long) Math.ceil(roiH / outH);
      long gridW = samplingRatio > 0 ? samplingRatio : (long) Math.ceil(roiW / outW);
      float count = Math.max(gridH * gridW, 1);
      for (int ch = 0; ch < c; ch++) {
        int plane = xOff + (b * c + ch) * h * w;
        int out = yOff + (r * c + ch) * outH * outW;
        for (int ph = 0; ph < outH; ph++) {
          float startY = y0 + ph * binH;
          long iyFrom = firstSample(startY, binH, gridH, h);
          long iyTo = endSample(startY, binH, gridH, h);
          for (int pw = 0; pw < outW; pw++) {
            float startX = x0 + pw * binW;
            long ixFrom = firstSample(startX, binW, gridW, w);
            long ixTo = endSample(startX, binW, gridW, w);
            float sum = 0f;
            for (long iy = iyFrom; iy < iyTo; iy++) {
              float yy = startY + (iy + .5f) * binH / gridH;
              for (long ix = ixFrom; ix < ixTo; ix++) {
                float xx = startX + (ix + .5f) * binW / gridW;
                sum += bilinear(x, plane, h, w, yy, xx);
              }
            }
            y[out + ph * outW + pw] = sum / count;
          }
        }
      }
    }
  }

  /**
   * The first of a bin's {@code grid} samples along one side that may fall within {@code [-1, size]}: samples are at
   * {@code start + (i + .5) * bin / grid}; the bounds are found in double and widened by the float rounding the
   * sample positions can carry (a few ulps of the largest term), so no sample in range is skipped.
   */
  static long firstSample(float start, float bin, long grid, int size) {
    return sampleBound(start, bin, grid, size, false);
  }

  /** One past the last sample of {@link #firstSample}'s range (at least the first). */
  static long endSample(float start, float bin, long grid, int size) {
    return sampleBound(start, bin, grid, size, true);
  }

  private static long sampleBound(float start, float bin, long grid, int size, boolean end) {
    if (grid <= 0) return 0;
    double step = (double) bin / grid;
    if (step == 0) return end ? grid : 0;
    double slack = 4 * Math.ulp(Math.abs(start) + Math.abs(bin) + size + 1f) / Math.abs(step) + 2;
    double a = (-1 - (double) start) / step - .5;
    double z = (size - (double) start) / step - .5;
    double lo = Math.floor(Math.min(a, z) - slack);
    long from = lo <= 0 ? 0 : lo >= grid ? grid : (long) lo;
    if (!end) return from;
    double hi = Math.ceil(Math.max(a, z) + slack) + 1;
    long to = hi <= 0 ? 0 : hi >= grid ? grid : (long) hi;
    return Math.max(from, to);
  }

  /** torchvision's bilinear sample: 0 beyond one cell outside, clamped to the border otherwise. */
  static float bilinear(float[] x, int plane, int h, int w, float yy, float xx) {
    if (yy < -1f || yy > h || xx < -1f || xx > w) {
      return 0f;
    }
    float fy = Math.max(yy, 0f);
    float fx = Math.max(xx, 0f);
    int yLow = (int) fy;
    int xLow = (int) fx;
    int yHigh;
    int xHigh;
    if (yLow >= h - 1) {
      yHigh = yLow = h - 1;
      fy = yLow;
    } else {
      yHigh = yLow + 1;
    }
    if (xLow >= w - 1) {
      xHigh = xLow = w - 1;
      fx = xLow;
    } else {
      xHigh = xLow + 1;
    }
    float ly = fy - yLow;
    float lx = fx - xLow;
    float hy = 1f - ly;
    float hx = 1f - lx;
    return hy * hx * x[plane + yLow * w + xLow] + hy * lx * x[plane + yLow * w + xHigh]
        + ly * hx * x[plane + yHigh * w + xLow] + ly * lx * x[plane + yHigh * w + xHigh];
  }

  /** The batch index stored as a float in the first column of box row {@code box}, checked against the batch. */
  static int batchIndex(float v, int n, int box, String layer) {
    int b = (int) v;
    // (int) NaN is 0, so a NaN fails the first test; a fraction or an infinity too.
    if (b != v || b < 0 || b >= n) {
      throw new InputException(prefix(layer) + "box " + box + " names batch item " + v + ", but the batch has " + n
          + (n == 1 ? " item (index 0)" : " items (0.." + (n - 1) + ")"));
    }
    return b;
  }

  /** Column {@code col} (1..4: x1, y1, x2, y2) of a box row times the scale, checked to be finite and in range. */
  static float coordinate(float[] rois, int row, int col, float spatialScale, int box, String layer) {
    float v = rois[row + col] * spatialScale;
    if (!(Math.abs(v) <= MAX_COORDINATE)) {
      String name = switch (col) { case 1 -> "x1"; case 2 -> "y1"; case 3 -> "x2"; default -> "y2"; };
      throw new InputException(prefix(layer) + "box " + box + " has " + name + " = " + rois[row + col]
          + (spatialScale == 1f ? "" : " (× scale " + spatialScale + " = " + v + ")")
          + ", not a finite coordinate within ±2^30");
    }
    return v;
  }

  private static String prefix(String layer) { return layer.isEmpty() ? "" : layer + ": "; }
}

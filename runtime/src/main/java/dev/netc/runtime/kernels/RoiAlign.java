package dev.netc.runtime.kernels;

/**
 * RoI Align as torchvision's {@code ops.roi_align} (Mask R-CNN), in float as torchvision computes.
 *
 * <p>{@code rois} holds {@code k} rows of {@code (batch index, x1, y1, x2, y2)}. The box is scaled
 * by {@code spatialScale} and, when {@code aligned}, shifted by -0.5 (pixel centres); unaligned
 * boxes are at least 1x1. Each of the {@code outH x outW} bins averages a grid of
 * {@code samplingRatio x samplingRatio} bilinear samples ({@code ceil(box / out)} per side when
 * {@code samplingRatio <= 0}) at the grid-cell centres; samples beyond one cell outside the map
 * count as 0, others are clamped to the border. Output: {@code [k, c, outH, outW]}.
 */
public final class RoiAlign {
  private RoiAlign() {}

  /** Aligns {@code k} boxes from {@code x [n, c, h, w]} into {@code y [k, c, outH, outW]}. */
  public static void align(float[] x, int xOff, int n, int c, int h, int w, float[] rois, int roisOff, int k,
      int outH, int outW, float spatialScale, int samplingRatio, boolean aligned, float[] y, int yOff) {
    float offset = aligned ? 0.5f : 0f;
    for (int r = 0; r < k; r++) {
      int row = roisOff + r * 5;
      int b = batchIndex(rois[row], n);
      float x0 = rois[row + 1] * spatialScale - offset;
      float y0 = rois[row + 2] * spatialScale - offset;
      float roiW = rois[row + 3] * spatialScale - offset - x0;
      float roiH = rois[row + 4] * spatialScale - offset - y0;
      if (!aligned) {
        roiW = Math.max(roiW, 1f);
        roiH = Math.max(roiH, 1f);
      }
      float binH = roiH / outH;
      float binW = roiW / outW;
      int gridH = samplingRatio > 0 ? samplingRatio : (int) Math.ceil(roiH / outH);
      int gridW = samplingRatio > 0 ? samplingRatio : (int) Math.ceil(roiW / outW);
      float count = Math.max(gridH * gridW, 1);
      for (int ch = 0; ch < c; ch++) {
        int plane = xOff + (b * c + ch) * h * w;
        int out = yOff + (r * c + ch) * outH * outW;
        for (int ph = 0; ph < outH; ph++) {
          for (int pw = 0; pw < outW; pw++) {
            float sum = 0f;
            for (int iy = 0; iy < gridH; iy++) {
              float yy = y0 + ph * binH + (iy + .5f) * binH / gridH;
              for (int ix = 0; ix < gridW; ix++) {
                float xx = x0 + pw * binW + (ix + .5f) * binW / gridW;
                sum += bilinear(x, plane, h, w, yy, xx);
              }
            }
            y[out + ph * outW + pw] = sum / count;
          }
        }
      }
    }
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

  /** The batch index stored as a float in the first column of a box row, checked. */
  static int batchIndex(float v, int n) {
    int b = (int) v;
    if (b != v || b < 0 || b >= n) {
      throw new IllegalArgumentException("box batch index " + v + " is not one of 0.." + (n - 1));
    }
    return b;
  }
}

package dev.netc.runtime.kernels;

import java.util.Arrays;

/**
 * The scalar twin of {@link Pooling}, generic over the lane count: the tensor is
 * {@code [planes, positions, lanes]} and lane {@code l} of position {@code p} of plane {@code q} is
 * at {@code (q * positions + p) * lanes + l}.
 */
public final class PoolingScalar {
  private PoolingScalar() {}

  /** Max pooling; see {@link Pooling}. */
  public static void maxPool(float[] x, int xOff, float[] y, int yOff, int planes, int lanes, Pooling.Window w) {
    int yi = yOff;
    for (int q = 0; q < planes; q++) {
      int xi = xOff + q * w.inPlane() * lanes;
      for (int od = 0; od < w.outD(); od++) {
        for (int oh = 0; oh < w.outH(); oh++) {
          for (int ow = 0; ow < w.outW(); ow++) {
            for (int l = 0; l < lanes; l++) {
              y[yi++] = maxWindow(x, xi + l, lanes, w, od, oh, ow);
            }
          }
        }
      }
    }
  }

  private static float maxWindow(float[] x, int xi, int lanes, Pooling.Window w, int od, int oh, int ow) {
    int d0 = firstInside(od * w.sD() - w.pD(), w.dD());
    int h0 = firstInside(oh * w.sH() - w.pH(), w.dH());
    int w0 = firstInside(ow * w.sW() - w.pW(), w.dW());
    int d1 = Math.min(od * w.sD() - w.pD() + (w.kD() - 1) * w.dD() + 1, w.inD());
    int h1 = Math.min(oh * w.sH() - w.pH() + (w.kH() - 1) * w.dH() + 1, w.inH());
    int w1 = Math.min(ow * w.sW() - w.pW() + (w.kW() - 1) * w.dW() + 1, w.inW());
    float max = Float.NEGATIVE_INFINITY;
    for (int d = d0; d < d1; d += w.dD()) {
      for (int h = h0; h < h1; h += w.dH()) {
        int row = (d * w.inH() + h) * w.inW();
        for (int i = w0; i < w1; i += w.dW()) {
          float v = x[xi + (row + i) * lanes];
          if (v > max || Float.isNaN(v)) {
            max = v;
          }
        }
      }
    }
    return max;
  }

  /** The first window position at or after {@code start} inside the input, stepping by {@code dilation}. */
  static int firstInside(int start, int dilation) {
    while (start < 0) {
      start += dilation;
    }
    return start;
  }

  /** Average pooling; see {@link Pooling}. */
  public static void avgPool(float[] x, int xOff, float[] y, int yOff, int planes, int lanes, Pooling.Window w,
      boolean countIncludePad) {
    avgPool(x, xOff, y, yOff, planes, lanes, w, w.pD(), w.pH(), w.pW(), countIncludePad);
  }

  /** Average pooling with its own padding after the input ({@code end*}); see {@link Pooling}. */
  public static void avgPool(float[] x, int xOff, float[] y, int yOff, int planes, int lanes, Pooling.Window w,
      int endD, int endH, int endW, boolean countIncludePad) {
    int yi = yOff;
    for (int q = 0; q < planes; q++) {
      int xi = xOff + q * w.inPlane() * lanes;
      for (int od = 0; od < w.outD(); od++) {
        for (int oh = 0; oh < w.outH(); oh++) {
          for (int ow = 0; ow < w.outW(); ow++) {
            AvgWindow a = AvgWindow.of(w, od, oh, ow, endD, endH, endW, countIncludePad);
            for (int l = 0; l < lanes; l++) {
              y[yi++] = sum(x, xi + l, lanes, w.inH(), w.inW(), a.d0(), a.d1(), a.h0(), a.h1(), a.w0(), a.w1())
                  / a.divisor();
            }
          }
        }
      }
    }
  }

  /**
   * An average-pooling window clipped to the input, and its divisor: PyTorch clips the window to
   * {@code [-pad, in + pad)} for the divisor when padding counts, else counts real inputs only.
   */
  record AvgWindow(int d0, int d1, int h0, int h1, int w0, int w1, int divisor) {
    static AvgWindow of(Pooling.Window w, int od, int oh, int ow, boolean countIncludePad) {
      return of(w, od, oh, ow, w.pD(), w.pH(), w.pW(), countIncludePad);
    }

    /** As above, the padding after the input {@code end*} (the window's own is the padding before). */
    static AvgWindow of(Pooling.Window w, int od, int oh, int ow, int endD, int endH, int endW,
        boolean countIncludePad) {
      int d0 = od * w.sD() - w.pD();
      int h0 = oh * w.sH() - w.pH();
      int w0 = ow * w.sW() - w.pW();
      int d1 = Math.min(d0 + w.kD(), w.inD() + endD);
      int h1 = Math.min(h0 + w.kH(), w.inH() + endH);
      int w1 = Math.min(w0 + w.kW(), w.inW() + endW);
      int padded = (d1 - d0) * (h1 - h0) * (w1 - w0);
      d0 = Math.max(d0, 0);
      h0 = Math.max(h0, 0);
      w0 = Math.max(w0, 0);
      d1 = Math.min(d1, w.inD());
      h1 = Math.min(h1, w.inH());
      w1 = Math.min(w1, w.inW());
      int divisor = countIncludePad ? padded : (d1 - d0) * (h1 - h0) * (w1 - w0);
      return new AvgWindow(d0, d1, h0, h1, w0, w1, divisor);
    }
  }

  private static float sum(float[] x, int xi, int lanes, int inH, int inW, int d0, int d1, int h0, int h1, int w0,
      int w1) {
    float sum = 0;
    for (int d = d0; d < d1; d++) {
      for (int h = h0; h < h1; h++) {
        int row = (d * inH + h) * inW;
        for (int i = w0; i < w1; i++) {
          sum += x[xi + (row + i) * lanes];
        }
      }
    }
    return sum;
  }

  /** Adaptive pooling; see {@link Pooling#adaptiveBlocked}. */
  public static void adaptive(float[] x, int xOff, float[] y, int yOff, int planes, int lanes, Pooling.Window w,
      boolean max) {
    adaptive(x, xOff, y, yOff, planes, lanes, w.inD(), w.inH(), w.inW(), w.outD(), w.outH(), w.outW(), max);
  }

  /** Adaptive pooling from {@code in*} to {@code out*} extents; see {@link Pooling#adaptivePool}. */
  public static void adaptive(float[] x, int xOff, float[] y, int yOff, int planes, int lanes,
      int inD, int inH, int inW, int outD, int outH, int outW, boolean max) {
    int yi = yOff;
    for (int q = 0; q < planes; q++) {
      int xi = xOff + q * inD * inH * inW * lanes;
      for (int od = 0; od < outD; od++) {
        int d0 = Pooling.binStart(od, inD, outD);
        int d1 = Pooling.binEnd(od, inD, outD);
        for (int oh = 0; oh < outH; oh++) {
          int h0 = Pooling.binStart(oh, inH, outH);
          int h1 = Pooling.binEnd(oh, inH, outH);
          for (int ow = 0; ow < outW; ow++) {
            int w0 = Pooling.binStart(ow, inW, outW);
            int w1 = Pooling.binEnd(ow, inW, outW);
            for (int l = 0; l < lanes; l++) {
              y[yi++] = max
                  ? binMax(x, xi + l, lanes, inH, inW, d0, d1, h0, h1, w0, w1)
                  : sum(x, xi + l, lanes, inH, inW, d0, d1, h0, h1, w0, w1) / ((d1 - d0) * (h1 - h0) * (w1 - w0));
            }
          }
        }
      }
    }
  }

  /**
   * 2-D max pooling of NCHW planes without dilation; see {@link Pooling#maxPool2d}. Row by row, tap by tap over
   * all outputs of the row: the maxima of one row are independent, so the loop runs at throughput instead of
   * waiting on one long chain of dependent comparisons per output.
   */
  public static void maxPool2d(float[] x, int xOff, float[] y, int yOff, int planes, int inH, int inW, int outH,
      int outW, int kH, int kW, int sH, int sW, int pH, int pW) {
    for (int q = 0; q < planes; q++) {
      int plane = xOff + q * inH * inW;
      for (int oh = 0; oh < outH; oh++) {
        int yr = yOff + (q * outH + oh) * outW;
        Arrays.fill(y, yr, yr + outW, Float.NEGATIVE_INFINITY);
        int h1 = Math.min(oh * sH - pH + kH, inH);
        for (int h = Math.max(oh * sH - pH, 0); h < h1; h++) {
          int row = plane + h * inW - pW;
          for (int kw = 0; kw < kW; kw++) {
            // The outputs whose tap kw lands inside the row.
            int lo = Math.max(0, Math.ceilDiv(pW - kw, sW));
            int hi = Math.min(outW, Math.floorDiv(inW - 1 + pW - kw, sW) + 1);
            for (int ow = lo; ow < hi; ow++) {
              y[yr + ow] = Math.max(y[yr + ow], x[row + kw + ow * sW]);
            }
          }
        }
      }
    }
  }

  private static float binMax(float[] x, int xi, int lanes, int inH, int inW, int d0, int d1, int h0, int h1, int w0,
      int w1) {
    float acc = Float.NEGATIVE_INFINITY;
    for (int d = d0; d < d1; d++) {
      for (int h = h0; h < h1; h++) {
        int row = (d * inH + h) * inW;
        for (int i = w0; i < w1; i++) {
          float v = x[xi + (row + i) * lanes];
          if (v > acc || Float.isNaN(v)) {
            acc = v;
          }
        }
      }
    }
    return acc;
  }

  /** Indices of max pooling NCHW planes; see {@link Pooling#maxPoolIndices}. */
  static void maxPoolIndices(float[] x, int xOff, float[] idx, int idxOff, int planes, Pooling.Window w) {
    int yi = idxOff;
    for (int q = 0; q < planes; q++) {
      int xi = xOff + q * w.inPlane();
      for (int od = 0; od < w.outD(); od++) {
        for (int oh = 0; oh < w.outH(); oh++) {
          for (int ow = 0; ow < w.outW(); ow++) {
            idx[yi++] = maxIndex(x, xi, w, od, oh, ow);
          }
        }
      }
    }
  }

  /** PyTorch's {@code max_pool*_with_indices} loop: the index starts at the window's first position inside. */
  private static float maxIndex(float[] x, int xi, Pooling.Window w, int od, int oh, int ow) {
    int d0 = firstInside(od * w.sD() - w.pD(), w.dD());
    int h0 = firstInside(oh * w.sH() - w.pH(), w.dH());
    int w0 = firstInside(ow * w.sW() - w.pW(), w.dW());
    int d1 = Math.min(od * w.sD() - w.pD() + (w.kD() - 1) * w.dD() + 1, w.inD());
    int h1 = Math.min(oh * w.sH() - w.pH() + (w.kH() - 1) * w.dH() + 1, w.inH());
    int w1 = Math.min(ow * w.sW() - w.pW() + (w.kW() - 1) * w.dW() + 1, w.inW());
    float max = Float.NEGATIVE_INFINITY;
    int at = (d0 * w.inH() + h0) * w.inW() + w0;
    for (int d = d0; d < d1; d += w.dD()) {
      for (int h = h0; h < h1; h += w.dH()) {
        int row = (d * w.inH() + h) * w.inW();
        for (int i = w0; i < w1; i += w.dW()) {
          float v = x[xi + row + i];
          if (v > max || Float.isNaN(v)) {
            max = v;
            at = row + i;
          }
        }
      }
    }
    return at;
  }
}

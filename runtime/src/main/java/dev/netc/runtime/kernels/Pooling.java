package dev.netc.runtime.kernels;

/**
 * Max and average pooling on NCHW-contiguous tensors (NCL for 1-D, NCDHW for 3-D), PyTorch 1.13
 * semantics; windowed, adaptive and global.
 *
 * <p>Windowed pooling: along each dimension output {@code o} covers inputs from
 * {@code o*stride - pad} on; max pooling steps by {@code dilation} and skips positions outside the
 * input (padding is -inf); average pooling clips its window to {@code [-pad, in + pad)} for the
 * divisor when {@code countIncludePad}, else divides by the number of real inputs. Output sizes
 * come from {@link #outputSize} (ceil mode included) and are passed in, as the compiler knows them.
 *
 * <p>Adaptive pooling uses PyTorch's uneven bins {@code [floor(i*in/out), ceil((i+1)*in/out))}.
 * Max pooling propagates NaN. These kernels are scalar: strided windows gather, and the vector
 * API gains little on them in NCHW; global pooling uses {@link Reductions}.
 */
public final class Pooling {
  private Pooling() {}

  /**
   * PyTorch's {@code pooling_output_shape}: {@code floor or ceil((in + 2p - d(k-1) - 1) / s) + 1};
   * in ceil mode the last window must start inside the input or the left padding.
   */
  public static int outputSize(int in, int kernel, int stride, int pad, int dilation, boolean ceilMode) {
    int span = in + 2 * pad - dilation * (kernel - 1) - 1 + (ceilMode ? stride - 1 : 0);
    int out = Math.floorDiv(span, stride) + 1;
    if (ceilMode && (out - 1) * stride >= in + pad) {
      out--;
    }
    return out;
  }

  /** A 3-D pooling geometry: input and output extents, kernel, stride, padding, dilation (d, h, w). */
  public record Window(int inD, int inH, int inW, int outD, int outH, int outW,
      int kD, int kH, int kW, int sD, int sH, int sW, int pD, int pH, int pW, int dD, int dH, int dW) {

    /** A 2-D window (depth 1). */
    public static Window of2d(int inH, int inW, int outH, int outW, int kH, int kW, int sH, int sW,
        int pH, int pW, int dH, int dW) {
      return new Window(1, inH, inW, 1, outH, outW, 1, kH, kW, 1, sH, sW, 0, pH, pW, 1, dH, dW);
    }

    /** A 1-D window (depth and height 1). */
    public static Window of1d(int inL, int outL, int k, int s, int p, int d) {
      return new Window(1, 1, inL, 1, 1, outL, 1, 1, k, 1, 1, s, 0, 0, p, 1, 1, d);
    }

    int inPlane() {
      return inD * inH * inW;
    }

    int outPlane() {
      return outD * outH * outW;
    }
  }

  /** Max pooling of {@code [n*c]} planes; see the class comment. */
  public static void maxPool(float[] x, int xOff, float[] y, int yOff, int n, int c, Window w) {
    for (int p = 0; p < n * c; p++) {
      int xi = xOff + p * w.inPlane();
      int yi = yOff + p * w.outPlane();
      for (int od = 0; od < w.outD(); od++) {
        for (int oh = 0; oh < w.outH(); oh++) {
          for (int ow = 0; ow < w.outW(); ow++) {
            y[yi++] = maxWindow(x, xi, w, od, oh, ow);
          }
        }
      }
    }
  }

  private static float maxWindow(float[] x, int xi, Window w, int od, int oh, int ow) {
    int d0 = firstInside(od * w.sD() - w.pD(), w.dD());
    int h0 = firstInside(oh * w.sH() - w.pH(), w.dH());
    int w0 = firstInside(ow * w.sW() - w.pW(), w.dW());
    int d1 = Math.min(od * w.sD() - w.pD() + (w.kD() - 1) * w.dD() + 1, w.inD());
    int h1 = Math.min(oh * w.sH() - w.pH() + (w.kH() - 1) * w.dH() + 1, w.inH());
    int w1 = Math.min(ow * w.sW() - w.pW() + (w.kW() - 1) * w.dW() + 1, w.inW());
    float max = Float.NEGATIVE_INFINITY;
    for (int d = d0; d < d1; d += w.dD()) {
      for (int h = h0; h < h1; h += w.dH()) {
        int row = xi + (d * w.inH() + h) * w.inW();
        for (int i = w0; i < w1; i += w.dW()) {
          float v = x[row + i];
          if (v > max || Float.isNaN(v)) {
            max = v;
          }
        }
      }
    }
    return max;
  }

  /** The first window position at or after {@code start} that is inside the input, stepping by {@code dilation}. */
  private static int firstInside(int start, int dilation) {
    while (start < 0) {
      start += dilation;
    }
    return start;
  }

  /** Average pooling of {@code [n*c]} planes (dilation must be 1); see the class comment. */
  public static void avgPool(float[] x, int xOff, float[] y, int yOff, int n, int c, Window w,
      boolean countIncludePad) {
    for (int p = 0; p < n * c; p++) {
      int xi = xOff + p * w.inPlane();
      int yi = yOff + p * w.outPlane();
      for (int od = 0; od < w.outD(); od++) {
        for (int oh = 0; oh < w.outH(); oh++) {
          for (int ow = 0; ow < w.outW(); ow++) {
            y[yi++] = avgWindow(x, xi, w, od, oh, ow, countIncludePad);
          }
        }
      }
    }
  }

  private static float avgWindow(float[] x, int xi, Window w, int od, int oh, int ow, boolean countIncludePad) {
    int d0 = od * w.sD() - w.pD();
    int h0 = oh * w.sH() - w.pH();
    int w0 = ow * w.sW() - w.pW();
    int d1 = Math.min(d0 + w.kD(), w.inD() + w.pD());
    int h1 = Math.min(h0 + w.kH(), w.inH() + w.pH());
    int w1 = Math.min(w0 + w.kW(), w.inW() + w.pW());
    int padded = (d1 - d0) * (h1 - h0) * (w1 - w0);
    d0 = Math.max(d0, 0);
    h0 = Math.max(h0, 0);
    w0 = Math.max(w0, 0);
    d1 = Math.min(d1, w.inD());
    h1 = Math.min(h1, w.inH());
    w1 = Math.min(w1, w.inW());
    float sum = 0;
    for (int d = d0; d < d1; d++) {
      for (int h = h0; h < h1; h++) {
        int row = xi + (d * w.inH() + h) * w.inW();
        for (int i = w0; i < w1; i++) {
          sum += x[row + i];
        }
      }
    }
    int divisor = countIncludePad ? padded : (d1 - d0) * (h1 - h0) * (w1 - w0);
    return sum / divisor;
  }

  /** Adaptive average pooling of {@code [n*c]} planes from {@code in*} to {@code out*} (uneven bins). */
  public static void adaptiveAvgPool(float[] x, int xOff, float[] y, int yOff, int n, int c,
      int inD, int inH, int inW, int outD, int outH, int outW) {
    adaptive(x, xOff, y, yOff, n, c, inD, inH, inW, outD, outH, outW, false);
  }

  /** Adaptive max pooling of {@code [n*c]} planes (uneven bins, NaN propagates). */
  public static void adaptiveMaxPool(float[] x, int xOff, float[] y, int yOff, int n, int c,
      int inD, int inH, int inW, int outD, int outH, int outW) {
    adaptive(x, xOff, y, yOff, n, c, inD, inH, inW, outD, outH, outW, true);
  }

  private static void adaptive(float[] x, int xOff, float[] y, int yOff, int n, int c,
      int inD, int inH, int inW, int outD, int outH, int outW, boolean max) {
    int inPlane = inD * inH * inW;
    int yi = yOff;
    for (int p = 0; p < n * c; p++) {
      int xi = xOff + p * inPlane;
      for (int od = 0; od < outD; od++) {
        for (int oh = 0; oh < outH; oh++) {
          for (int ow = 0; ow < outW; ow++) {
            y[yi++] = bin(x, xi, inH, inW, binStart(od, inD, outD), binEnd(od, inD, outD),
                binStart(oh, inH, outH), binEnd(oh, inH, outH), binStart(ow, inW, outW), binEnd(ow, inW, outW), max);
          }
        }
      }
    }
  }

  private static float bin(float[] x, int xi, int inH, int inW, int d0, int d1, int h0, int h1, int w0, int w1,
      boolean max) {
    float acc = max ? Float.NEGATIVE_INFINITY : 0f;
    for (int d = d0; d < d1; d++) {
      for (int h = h0; h < h1; h++) {
        int row = xi + (d * inH + h) * inW;
        for (int i = w0; i < w1; i++) {
          float v = x[row + i];
          if (!max) {
            acc += v;
          } else if (v > acc || Float.isNaN(v)) {
            acc = v;
          }
        }
      }
    }
    return max ? acc : acc / ((d1 - d0) * (h1 - h0) * (w1 - w0));
  }

  /** {@code floor(i * in / out)}: the first input of adaptive bin {@code i}. */
  public static int binStart(int i, int in, int out) {
    return (int) ((long) i * in / out);
  }

  /** {@code ceil((i + 1) * in / out)}: one past the last input of adaptive bin {@code i}. */
  public static int binEnd(int i, int in, int out) {
    return (int) (((long) (i + 1) * in + out - 1) / out);
  }

  /** Global average pooling: {@code y[n, c] = mean of x[n, c, :]} over {@code spatial} elements. */
  public static void globalAvgPool(float[] x, int xOff, float[] y, int yOff, int n, int c, int spatial) {
    for (int p = 0; p < n * c; p++) {
      y[yOff + p] = Reductions.sum(x, xOff + p * spatial, spatial) / spatial;
    }
  }

  /** Global max pooling: {@code y[n, c] = max of x[n, c, :]}. */
  public static void globalMaxPool(float[] x, int xOff, float[] y, int yOff, int n, int c, int spatial) {
    for (int p = 0; p < n * c; p++) {
      y[yOff + p] = Reductions.max(x, xOff + p * spatial, spatial);
    }
  }
}

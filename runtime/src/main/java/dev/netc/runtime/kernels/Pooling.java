package dev.netc.runtime.kernels;

import dev.netc.runtime.VectorSupport;

/**
 * Max and average pooling, PyTorch 1.13 semantics; windowed, adaptive and global; on NCHW
 * (NCL for 1-D, NCDHW for 3-D) or on a lane-blocked layout such as {@link Layout#NCHWC16}.
 *
 * <p>Layouts: the tensor is viewed as {@code [planes, positions, lanes]}: NCHW is
 * {@code planes = N*C, lanes = 1}; NCHWc16 is {@code planes = N*ceil(C/16), lanes = 16} (the
 * {@code *Blocked} methods). Pooling never mixes lanes, so zero padding channels stay zero —
 * except in a max-pooling window with no input at all (a dilated window whose taps all fall in
 * the padding), which is -inf in every lane, as PyTorch gives -inf for such a window.
 *
 * <p>Windowed pooling: along each dimension output {@code o} covers inputs from
 * {@code o*stride - pad} on; max pooling steps by {@code dilation} and skips positions outside the
 * input (padding is -inf); average pooling clips its window to {@code [-pad, in + pad)} for the
 * divisor when {@code countIncludePad}, else divides by the number of real inputs. Output sizes
 * come from {@link #outputSize} (ceil mode included) and are passed in, as the compiler knows them.
 *
 * <p>Adaptive pooling uses PyTorch's uneven bins {@code [floor(i*in/out), ceil((i+1)*in/out))}.
 * Max pooling propagates NaN. The vector path ({@link PoolingVector}) runs when the lane count
 * is a multiple of the vector length (the blocked layouts: one vector per position); NCHW
 * windows gather with strides and run on the scalar twin {@link PoolingScalar}, except global
 * pooling, which reduces contiguous planes with {@link Reductions}.
 */
public final class Pooling {
  private static final boolean VECTOR = VectorSupport.ENABLED;

  private Pooling() {}

  /** True when {@code lanes} fit whole vectors, so the vector path applies. */
  private static boolean vectorLanes(int lanes) {
    return VECTOR && lanes > 1 && lanes % PoolingVector.lanes() == 0;
  }

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
  }

  /**
   * Max pooling of NCHW {@code [n, c, positions]}. The window's padding is the padding before the
   * input; the padding after it never matters to a maximum (windows are clipped to the input), so
   * this also pools windows padded differently at the two ends ("same" with an even window).
   */
  public static void maxPool(float[] x, int xOff, float[] y, int yOff, int n, int c, Window w) {
    PoolingScalar.maxPool(x, xOff, y, yOff, n * c, 1, w);
  }

  /** Max pooling of {@code [planes, positions, lanes]} (e.g. NCHWc16 with lanes 16). */
  public static void maxPoolBlocked(float[] x, int xOff, float[] y, int yOff, int planes, int lanes, Window w) {
    if (vectorLanes(lanes)) {
      PoolingVector.maxPool(x, xOff, y, yOff, planes, lanes, w);
    } else {
      PoolingScalar.maxPool(x, xOff, y, yOff, planes, lanes, w);
    }
  }

  /** Average pooling of NCHW {@code [n, c, positions]} (dilation must be 1). */
  public static void avgPool(float[] x, int xOff, float[] y, int yOff, int n, int c, Window w,
      boolean countIncludePad) {
    PoolingScalar.avgPool(x, xOff, y, yOff, n * c, 1, w, countIncludePad);
  }

  /**
   * Average pooling of NCHW whose padding after the input ({@code endD, endH, endW}) differs from
   * the window's padding before it: counting padding, a window is clipped to
   * {@code [-before, in + after)} for its divisor (PyTorch's rule with each end's padding).
   */
  public static void avgPool(float[] x, int xOff, float[] y, int yOff, int n, int c, Window w, int endD, int endH,
      int endW, boolean countIncludePad) {
    PoolingScalar.avgPool(x, xOff, y, yOff, n * c, 1, w, endD, endH, endW, countIncludePad);
  }

  /** Average pooling of {@code [planes, positions, lanes]}. */
  public static void avgPoolBlocked(float[] x, int xOff, float[] y, int yOff, int planes, int lanes, Window w,
      boolean countIncludePad) {
    if (vectorLanes(lanes)) {
      PoolingVector.avgPool(x, xOff, y, yOff, planes, lanes, w, countIncludePad);
    } else {
      PoolingScalar.avgPool(x, xOff, y, yOff, planes, lanes, w, countIncludePad);
    }
  }

  /**
   * 2-D max pooling of {@code planes} NCHW planes {@code inH × inW -> outH × outW} without dilation: kernel
   * {@code kH × kW}, stride {@code sH × sW}, window {@code o} starting at {@code o·s - p}. Each window is clipped to
   * the input at both ends, so the padding after the input may differ from {@code p} (the output size says how
   * much there is), which {@link #maxPool} cannot express. NaN propagates. Scalar, allocation-free, and faster
   * than {@link #maxPool} on NCHW: it works along rows, with no chain of dependent comparisons per output.
   */
  public static void maxPool2d(float[] x, int xOff, float[] y, int yOff, int planes, int inH, int inW, int outH,
      int outW, int kH, int kW, int sH, int sW, int pH, int pW) {
    PoolingScalar.maxPool2d(x, xOff, y, yOff, planes, inH, inW, outH, outW, kH, kW, sH, sW, pH, pW);
  }

  /** Adaptive average pooling of NCHW planes from {@code in*} to {@code out*} (uneven bins). */
  public static void adaptiveAvgPool(float[] x, int xOff, float[] y, int yOff, int n, int c,
      int inD, int inH, int inW, int outD, int outH, int outW) {
    adaptivePool(x, xOff, y, yOff, n * c, inD, inH, inW, outD, outH, outW, false);
  }

  /** Adaptive max pooling of NCHW planes (uneven bins, NaN propagates). */
  public static void adaptiveMaxPool(float[] x, int xOff, float[] y, int yOff, int n, int c,
      int inD, int inH, int inW, int outD, int outH, int outW) {
    adaptivePool(x, xOff, y, yOff, n * c, inD, inH, inW, outD, outH, outW, true);
  }

  /**
   * Adaptive max ({@code max}) or average pooling of {@code planes} NCDHW planes (NCHW and NCL with unit leading
   * extents) from {@code in*} to {@code out*}: PyTorch's uneven bins, max propagates NaN. Scalar (NCHW bins are
   * strided gathers) and allocation-free.
   */
  public static void adaptivePool(float[] x, int xOff, float[] y, int yOff, int planes,
      int inD, int inH, int inW, int outD, int outH, int outW, boolean max) {
    PoolingScalar.adaptive(x, xOff, y, yOff, planes, 1, inD, inH, inW, outD, outH, outW, max);
  }

  /**
   * Adaptive pooling of {@code [planes, positions, lanes]}; only the extents of {@code w} are used
   * (kernel, stride and padding follow from them).
   */
  public static void adaptiveBlocked(float[] x, int xOff, float[] y, int yOff, int planes, int lanes, Window w,
      boolean max) {
    if (vectorLanes(lanes)) {
      PoolingVector.adaptive(x, xOff, y, yOff, planes, lanes, w, max);
    } else {
      PoolingScalar.adaptive(x, xOff, y, yOff, planes, lanes, w, max);
    }
  }

  /** {@code floor(i * in / out)}: the first input of adaptive bin {@code i}. */
  public static int binStart(int i, int in, int out) {
    return (int) ((long) i * in / out);
  }

  /** {@code ceil((i + 1) * in / out)}: one past the last input of adaptive bin {@code i}. */
  public static int binEnd(int i, int in, int out) {
    return (int) (((long) (i + 1) * in + out - 1) / out);
  }

  /** Global average pooling of NCHW: {@code y[n, c] = mean of x[n, c, :]} over {@code spatial} elements. */
  public static void globalAvgPool(float[] x, int xOff, float[] y, int yOff, int n, int c, int spatial) {
    for (int p = 0; p < n * c; p++) {
      y[yOff + p] = Reductions.sum(x, xOff + p * spatial, spatial) / spatial;
    }
  }

  /** Global max pooling of NCHW: {@code y[n, c] = max of x[n, c, :]}. */
  public static void globalMaxPool(float[] x, int xOff, float[] y, int yOff, int n, int c, int spatial) {
    for (int p = 0; p < n * c; p++) {
      y[yOff + p] = Reductions.max(x, xOff + p * spatial, spatial);
    }
  }

  /**
   * Global pooling of {@code [planes, spatial, lanes]} into {@code [planes, lanes]} (for NCHWc16 the
   * result is the blocked {@code [N, C/16, 1, 16]}, which is also NCHW {@code [N, C16]}).
   */
  public static void globalPoolBlocked(float[] x, int xOff, float[] y, int yOff, int planes, int lanes, int spatial,
      boolean max) {
    Window w = new Window(1, 1, spatial, 1, 1, 1, 0, 0, 0, 0, 0, 0, 0, 0, 0, 1, 1, 1);
    adaptiveBlocked(x, xOff, y, yOff, planes, lanes, w, max);
  }

  /**
   * The indices of max pooling NCHW {@code [planes, positions]} (PyTorch's {@code return_indices=True}): for each
   * output, the flat position within its plane of the input ({@code (d * inH + h) * inW + w}) of the window's
   * maximum, as a float holding an integer. The first maximum in row-major window order wins a tie; a NaN counts as a
   * maximum, so the last NaN of a window wins; a window with no input at all points at its first position clipped to
   * the input. So {@code x[index]} is what {@link #maxPool} gives, and this is PyTorch's CPU kernel's choice.
   */
  public static void maxPoolIndices(float[] x, int xOff, float[] idx, int idxOff, int planes, Window w) {
    PoolingScalar.maxPoolIndices(x, xOff, idx, idxOff, planes, w);
  }

  /**
   * Max unpooling of {@code planes} planes of {@code inPlane} values with their indices into planes of
   * {@code outPlane} elements (PyTorch's MaxUnpool): the output is zero but for each value, written at its index in its
   * plane; where indices repeat, the later value in row-major order is written. An index that is not an integer in
   * {@code [0, outPlane)} is an {@link dev.netc.runtime.InputException} naming {@code layer}.
   */
  public static void maxUnpool(float[] x, int xOff, float[] idx, int idxOff, float[] y, int yOff, int planes,
      int inPlane, int outPlane, String layer) {
    java.util.Arrays.fill(y, yOff, yOff + planes * outPlane, 0f);
    for (int q = 0; q < planes; q++) {
      int xi = xOff + q * inPlane;
      int ii = idxOff + q * inPlane;
      int yi = yOff + q * outPlane;
      for (int i = 0; i < inPlane; i++) {
        float at = idx[ii + i];
        int k = (int) at;
        if (!(at >= 0 && at < outPlane) || k != at) {
          throw new dev.netc.runtime.InputException(layer + ": max_unpool index " + at + " (plane " + q
              + ", position " + i + ") is not an integer in [0, " + outPlane + ")");
        }
        y[yi + k] = x[xi + i];
      }
    }
  }
}

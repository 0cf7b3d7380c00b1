package dev.netc.runtime.kernels;

import dev.netc.runtime.VectorSupport;

/**
 * 2-D upsampling (or resizing) as PyTorch 1.13's {@code F.interpolate}, on NCHW planes or on a
 * lane-blocked layout ({@code [planes, H, W, lanes]}, e.g. {@link Layout#NCHWC16} with 16 lanes;
 * the {@code *Blocked} methods; vector path when the lanes are whole vectors).
 *
 * <p>A {@code scale} argument greater than 0 means the user gave {@code scale_factor} (PyTorch
 * then maps coordinates with {@code 1/scale}, not {@code in/out}); 0 means a target size was
 * given. {@link #outputSize} is {@code floor(in * scale)}.
 *
 * <ul>
 *   <li>nearest: {@code src = min(floor(dst * s), in - 1)} with {@code s} as above, in float;
 *   <li>bilinear, {@code alignCorners}: {@code src = dst * (in - 1) / (out - 1)};
 *   <li>bilinear, not aligned: {@code src = max(s * (dst + 0.5) - 0.5, 0)};
 * </ul>
 * then the two neighbours {@code floor(src)} and the next one (clamped), weighted by the fraction.
 */
public final class Upsample {
  private static final boolean VECTOR = VectorSupport.ENABLED;

  private Upsample() {}

  /** {@code floor(in * scale)}, PyTorch's output size for a scale factor. */
  public static int outputSize(int in, double scale) {
    return (int) Math.floor(in * scale);
  }

  /** Nearest-neighbour resize of {@code [n*c]} planes. */
  public static void nearest(float[] x, int xOff, float[] y, int yOff, int n, int c, int inH, int inW,
      int outH, int outW, double scaleH, double scaleW) {
    int[] srcH = nearestIndex(inH, outH, scaleH);
    int[] srcW = nearestIndex(inW, outW, scaleW);
    int yi = yOff;
    for (int p = 0; p < n * c; p++) {
      int plane = xOff + p * inH * inW;
      for (int oh = 0; oh < outH; oh++) {
        int row = plane + srcH[oh] * inW;
        for (int ow = 0; ow < outW; ow++) {
          y[yi++] = x[row + srcW[ow]];
        }
      }
    }
  }

  /**
   * PyTorch's {@code nearest_idx} for every output index along one axis of {@code in} elements
   * resized to {@code out} ({@code scale} as in {@link #nearest}).
   */
  public static int[] nearestIndex(int in, int out, double scale) {
    int[] idx = new int[out];
    float s = scale > 0 ? (float) (1.0 / scale) : (float) in / out;
    for (int o = 0; o < out; o++) {
      if (out == in) {
        idx[o] = o;
      } else if (out == 2 * in) {
        idx[o] = o >> 1;
      } else {
        idx[o] = Math.min((int) Math.floor(o * s), in - 1);
      }
    }
    return idx;
  }

  /**
   * 3-D nearest-neighbour resize of {@code planes} NCDHW volumes {@code inD × inH × inW}: output
   * {@code (d, h, w)} reads input {@code (srcD[d], srcH[h], srcW[w])}, the source indices from
   * {@link #nearestIndex} (computed once, so a caller that keeps them allocates nothing); the output
   * extents are their lengths.
   */
  public static void nearest3d(float[] x, int xOff, float[] y, int yOff, int planes, int inD, int inH, int inW,
      int[] srcD, int[] srcH, int[] srcW) {
    int yi = yOff;
    for (int p = 0; p < planes; p++) {
      int base = xOff + p * inD * inH * inW;
      for (int d : srcD) {
        for (int h : srcH) {
          int row = base + (d * inH + h) * inW;
          for (int w : srcW) {
            y[yi++] = x[row + w];
          }
        }
      }
    }
  }

  /** Bilinear resize of {@code [n*c]} planes, with or without aligned corners. */
  public static void bilinear(float[] x, int xOff, float[] y, int yOff, int n, int c, int inH, int inW,
      int outH, int outW, boolean alignCorners, double scaleH, double scaleW) {
    Taps th = Taps.of(inH, outH, alignCorners, scaleH);
    Taps tw = Taps.of(inW, outW, alignCorners, scaleW);
    int yi = yOff;
    for (int p = 0; p < n * c; p++) {
      int plane = xOff + p * inH * inW;
      for (int oh = 0; oh < outH; oh++) {
        int r0 = plane + th.i0[oh] * inW;
        int r1 = plane + th.i1[oh] * inW;
        float h0 = th.l0[oh];
        float h1 = th.l1[oh];
        for (int ow = 0; ow < outW; ow++) {
          int a = tw.i0[ow];
          int b = tw.i1[ow];
          y[yi++] = h0 * (tw.l0[ow] * x[r0 + a] + tw.l1[ow] * x[r0 + b])
              + h1 * (tw.l0[ow] * x[r1 + a] + tw.l1[ow] * x[r1 + b]);
        }
      }
    }
  }

  /** Nearest-neighbour resize of {@code [planes, H, W, lanes]}. */
  public static void nearestBlocked(float[] x, int xOff, float[] y, int yOff, int planes, int lanes, int inH, int inW,
      int outH, int outW, double scaleH, double scaleW) {
    int[] srcH = nearestIndex(inH, outH, scaleH);
    int[] srcW = nearestIndex(inW, outW, scaleW);
    int yi = yOff;
    for (int p = 0; p < planes; p++) {
      int plane = xOff + p * inH * inW * lanes;
      for (int oh = 0; oh < outH; oh++) {
        int row = plane + srcH[oh] * inW * lanes;
        for (int ow = 0; ow < outW; ow++) {
          System.arraycopy(x, row + srcW[ow] * lanes, y, yi, lanes);
          yi += lanes;
        }
      }
    }
  }

  /** Bilinear resize of {@code [planes, H, W, lanes]}. */
  public static void bilinearBlocked(float[] x, int xOff, float[] y, int yOff, int planes, int lanes, int inH,
      int inW, int outH, int outW, boolean alignCorners, double scaleH, double scaleW) {
    Taps th = Taps.of(inH, outH, alignCorners, scaleH);
    Taps tw = Taps.of(inW, outW, alignCorners, scaleW);
    if (VECTOR && lanes > 1 && lanes % UpsampleVector.lanes() == 0) {
      UpsampleVector.bilinear(x, xOff, y, yOff, planes, lanes, inH, inW, outH, outW,
          th.i0(), th.i1(), th.l0(), th.l1(), tw.i0(), tw.i1(), tw.l0(), tw.l1());
      return;
    }
    int yi = yOff;
    for (int p = 0; p < planes; p++) {
      int plane = xOff + p * inH * inW * lanes;
      for (int oh = 0; oh < outH; oh++) {
        int r0 = plane + th.i0[oh] * inW * lanes;
        int r1 = plane + th.i1[oh] * inW * lanes;
        for (int ow = 0; ow < outW; ow++) {
          int a = tw.i0[ow] * lanes;
          int b = tw.i1[ow] * lanes;
          for (int l = 0; l < lanes; l++) {
            y[yi++] = th.l0[oh] * (tw.l0[ow] * x[r0 + a + l] + tw.l1[ow] * x[r0 + b + l])
                + th.l1[oh] * (tw.l0[ow] * x[r1 + a + l] + tw.l1[ow] * x[r1 + b + l]);
          }
        }
      }
    }
  }

  /** The two source indices and weights of each output index along one axis. */
  private record Taps(int[] i0, int[] i1, float[] l0, float[] l1) {
    static Taps of(int in, int out, boolean alignCorners, double scale) {
      int[] i0 = new int[out];
      int[] i1 = new int[out];
      float[] l0 = new float[out];
      float[] l1 = new float[out];
      float ratio = ratio(in, out, alignCorners, scale);
      for (int o = 0; o < out; o++) {
        if (in == out) {
          i0[o] = o;
          i1[o] = o;
          l0[o] = 1f;
          continue;
        }
        float src = alignCorners ? ratio * o : (float) Math.max(ratio * (o + 0.5) - 0.5, 0.0);
        i0[o] = (int) src;
        i1[o] = i0[o] + (i0[o] < in - 1 ? 1 : 0);
        l1[o] = Math.min(Math.max(src - i0[o], 0f), 1f);
        l0[o] = 1f - l1[o];
      }
      return new Taps(i0, i1, l0, l1);
    }

    /** PyTorch's {@code area_pixel_compute_scale}. */
    private static float ratio(int in, int out, boolean alignCorners, double scale) {
      if (out <= 1) {
        return 0f;
      }
      if (alignCorners) {
        return (float) (in - 1) / (out - 1);
      }
      return scale > 0 ? (float) (1.0 / scale) : (float) in / out;
    }
  }
}

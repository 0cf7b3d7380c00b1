package dev.netc.runtime.kernels;

import static jdk.incubator.vector.VectorOperators.MAX;

import jdk.incubator.vector.FloatVector;
import jdk.incubator.vector.VectorSpecies;

/**
 * The vector path of {@link Pooling} for lane-blocked layouts: the lanes of one position are
 * whole vectors (a 16-channel block is one 512-bit or two 256-bit vectors), so every window is
 * reduced lane-parallel. Requires {@code lanes % lanes() == 0}. Max is exact (NaN propagates, as
 * {@code Math.max}); average sums in the same order as the scalar twin and is exact too.
 */
public final class PoolingVector {
  private static final VectorSpecies<Float> S = FloatVector.SPECIES_PREFERRED;

  private PoolingVector() {}

  /** The vector length; lane counts must be multiples of it. */
  public static int lanes() {
    return S.length();
  }

  /** Max pooling; see {@link Pooling}. */
  public static void maxPool(float[] x, int xOff, float[] y, int yOff, int planes, int lanes, Pooling.Window w) {
    if (w.inD() == 1 && w.kD() == 1 && w.outD() == 1 && w.dH() == 1 && w.dW() == 1) {
      if (w.kH() == 3 && w.kW() == 3 && (w.sW() == 1 || w.sW() == 2)) {
        maxPool3x3(x, xOff, y, yOff, planes, lanes, w);
      } else {
        maxPool2d(x, xOff, y, yOff, planes, lanes, w);
      }
      return;
    }
    int yi = yOff;
    for (int q = 0; q < planes; q++) {
      int xi = xOff + q * w.inPlane() * lanes;
      for (int od = 0; od < w.outD(); od++) {
        int d0 = PoolingScalar.firstInside(od * w.sD() - w.pD(), w.dD());
        int d1 = Math.min(od * w.sD() - w.pD() + (w.kD() - 1) * w.dD() + 1, w.inD());
        for (int oh = 0; oh < w.outH(); oh++) {
          int h0 = PoolingScalar.firstInside(oh * w.sH() - w.pH(), w.dH());
          int h1 = Math.min(oh * w.sH() - w.pH() + (w.kH() - 1) * w.dH() + 1, w.inH());
          for (int ow = 0; ow < w.outW(); ow++) {
            int w0 = PoolingScalar.firstInside(ow * w.sW() - w.pW(), w.dW());
            int w1 = Math.min(ow * w.sW() - w.pW() + (w.kW() - 1) * w.dW() + 1, w.inW());
            for (int l = 0; l < lanes; l += S.length()) {
              boxMax(x, xi + l, lanes, w.inH(), w.inW(), d0, d1, w.dD(), h0, h1, w.dH(), w0, w1, w.dW(), y, yi + l);
            }
            yi += lanes;
          }
        }
      }
    }
  }

  /**
   * Max pooling of other 2-D undilated windows than {@link #maxPool3x3}'s: the general loop nest above
   * costs more in loop control than in loads there, so 2x2 windows inside the input (VGG's pools) take
   * straight-line code and the rest one loop over the clipped window's rows and columns.
   */
  private static void maxPool2d(float[] x, int xOff, float[] y, int yOff, int planes, int lanes,
      Pooling.Window w) {
    int inH = w.inH();
    int inW = w.inW();
    int kH = w.kH();
    int kW = w.kW();
    int row = inW * lanes;
    int yi = yOff;
    for (int q = 0; q < planes; q++) {
      int xq = xOff + q * inH * inW * lanes;
      for (int oh = 0; oh < w.outH(); oh++) {
        int top = oh * w.sH() - w.pH();
        int h0 = Math.max(top, 0);
        int h1 = Math.min(top + kH, inH);
        for (int ow = 0; ow < w.outW(); ow++) {
          int left = ow * w.sW() - w.pW();
          int w0 = Math.max(left, 0);
          int w1 = Math.min(left + kW, inW);
          // each branch stores its own maxima: vectors merged from branches were boxed by C2
          if (kH == 2 && kW == 2 && h0 == top && h1 == top + 2 && w0 == left && w1 == left + 2) {
            int a = xq + (h0 * inW + w0) * lanes;
            for (int l = 0; l < lanes; l += S.length()) {
              FloatVector.fromArray(S, x, a + l).lanewise(MAX, FloatVector.fromArray(S, x, a + lanes + l))
                  .lanewise(MAX, FloatVector.fromArray(S, x, a + row + l))
                  .lanewise(MAX, FloatVector.fromArray(S, x, a + row + lanes + l)).intoArray(y, yi + l);
            }
          } else {
            clipped(x, xq, y, yi, lanes, inW, h0, h1, w0, w1);
          }
          yi += lanes;
        }
      }
    }
  }

  /**
   * Max pooling of 3x3 windows at column stride 1 or 2 (inception blocks' pooling branches, the
   * stems' 3x3/2 pools): along each output row, the maximum of each input column over the window's
   * rows is taken once and kept in registers for the windows that share it (three at stride 1, two
   * at stride 2), so a window costs 4 (stride 1) or 6 (stride 2) MAX operations instead of 8. On
   * AVX2 the exact MAX is five instructions, three of them blends: it, not the loads, bounds these
   * layers. Windows that the input's border clips (the first and last rows and columns) go through
   * {@link #clipped}. The column maxima are written out in place rather than by a helper: a helper
   * that takes or returns a vector boxes it whenever C2 leaves the call (on an AVX-512 host its
   * compiled code outgrew {@code InlineSmallCode}, and this layer allocated 8 KB a plane row).
   */
  private static void maxPool3x3(float[] x, int xOff, float[] y, int yOff, int planes, int lanes,
      Pooling.Window w) {
    int inH = w.inH();
    int inW = w.inW();
    int outW = w.outW();
    int pW = w.pW();
    int sW = w.sW();
    int row = inW * lanes;
    // windows [owLo, owHi) have all three columns inside the input
    int owLo = Math.min(outW, (pW + sW - 1) / sW);
    int owHi = Math.max(owLo, Math.min(outW, Math.floorDiv(inW - 3 + pW, sW) + 1));
    int yi = yOff;
    for (int q = 0; q < planes; q++) {
      int xq = xOff + q * inH * inW * lanes;
      for (int oh = 0; oh < w.outH(); oh++) {
        int top = oh * w.sH() - w.pH();
        int h0 = Math.max(top, 0);
        int h1 = Math.min(top + 3, inH);
        if (h1 - h0 < 3) {
          for (int ow = 0; ow < outW; ow++) {
            clipped3(x, xq, y, yi + ow * lanes, lanes, inW, h0, h1, ow * sW - pW);
          }
          yi += outW * lanes;
          continue;
        }
        for (int ow = 0; ow < owLo; ow++) {
          clipped3(x, xq, y, yi + ow * lanes, lanes, inW, h0, h1, ow * sW - pW);
        }
        if (owLo < owHi) {
          int first = owLo * sW - pW;
          for (int l = 0; l < lanes; l += S.length()) {
            int a = xq + (h0 * inW + first) * lanes + l;
            int o = yi + owLo * lanes + l;
            FloatVector c0 = FloatVector.fromArray(S, x, a).lanewise(MAX, FloatVector.fromArray(S, x, a + row))
                .lanewise(MAX, FloatVector.fromArray(S, x, a + 2 * row));
            if (sW == 1) {
              a += lanes;
              FloatVector c1 = FloatVector.fromArray(S, x, a).lanewise(MAX, FloatVector.fromArray(S, x, a + row))
                  .lanewise(MAX, FloatVector.fromArray(S, x, a + 2 * row));
              for (int ow = owLo; ow < owHi; ow++, o += lanes) {
                a += lanes;
                FloatVector c2 = FloatVector.fromArray(S, x, a).lanewise(MAX, FloatVector.fromArray(S, x, a + row))
                    .lanewise(MAX, FloatVector.fromArray(S, x, a + 2 * row));
                c0.lanewise(MAX, c1).lanewise(MAX, c2).intoArray(y, o);
                c0 = c1;
                c1 = c2;
              }
            } else {
              for (int ow = owLo; ow < owHi; ow++, o += lanes) {
                a += lanes;
                FloatVector c1 = FloatVector.fromArray(S, x, a).lanewise(MAX, FloatVector.fromArray(S, x, a + row))
                    .lanewise(MAX, FloatVector.fromArray(S, x, a + 2 * row));
                a += lanes;
                FloatVector c2 = FloatVector.fromArray(S, x, a).lanewise(MAX, FloatVector.fromArray(S, x, a + row))
                    .lanewise(MAX, FloatVector.fromArray(S, x, a + 2 * row));
                c0.lanewise(MAX, c1).lanewise(MAX, c2).intoArray(y, o);
                c0 = c2;
              }
            }
          }
        }
        for (int ow = owHi; ow < outW; ow++) {
          clipped3(x, xq, y, yi + ow * lanes, lanes, inW, h0, h1, ow * sW - pW);
        }
        yi += outW * lanes;
      }
    }
  }

  /** A 3-wide window from column {@code left} (may be outside the input), rows {@code h0 .. h1}, clipped to the input. */
  private static void clipped3(float[] x, int xq, float[] y, int yi, int lanes, int inW, int h0, int h1, int left) {
    clipped(x, xq, y, yi, lanes, inW, h0, h1, Math.max(left, 0), Math.min(left + 3, inW));
  }

  /** One window clipped by the input's border: rows {@code h0 .. h1}, columns {@code w0 .. w1} (see {@link #boxMax}). */
  private static void clipped(float[] x, int xq, float[] y, int yi, int lanes, int inW, int h0, int h1, int w0,
      int w1) {
    for (int l = 0; l < lanes; l += S.length()) {
      boxMax(x, xq + l, lanes, 1, inW, 0, 1, 1, h0, h1, 1, w0, w1, 1, y, yi + l);
    }
  }

  /** Average pooling; see {@link Pooling}. */
  public static void avgPool(float[] x, int xOff, float[] y, int yOff, int planes, int lanes, Pooling.Window w,
      boolean countIncludePad) {
    int yi = yOff;
    for (int q = 0; q < planes; q++) {
      int xi = xOff + q * w.inPlane() * lanes;
      for (int od = 0; od < w.outD(); od++) {
        for (int oh = 0; oh < w.outH(); oh++) {
          for (int ow = 0; ow < w.outW(); ow++) {
            PoolingScalar.AvgWindow a = PoolingScalar.AvgWindow.of(w, od, oh, ow, countIncludePad);
            for (int l = 0; l < lanes; l += S.length()) {
              boxMean(x, xi + l, lanes, w.inH(), w.inW(), a.d0(), a.d1(), a.h0(), a.h1(), a.w0(), a.w1(), a.divisor(),
                  y, yi + l);
            }
            yi += lanes;
          }
        }
      }
    }
  }

  /** Adaptive pooling; see {@link Pooling#adaptiveBlocked}. */
  public static void adaptive(float[] x, int xOff, float[] y, int yOff, int planes, int lanes, Pooling.Window w,
      boolean max) {
    int yi = yOff;
    for (int q = 0; q < planes; q++) {
      int xi = xOff + q * w.inPlane() * lanes;
      for (int od = 0; od < w.outD(); od++) {
        int d0 = Pooling.binStart(od, w.inD(), w.outD());
        int d1 = Pooling.binEnd(od, w.inD(), w.outD());
        for (int oh = 0; oh < w.outH(); oh++) {
          int h0 = Pooling.binStart(oh, w.inH(), w.outH());
          int h1 = Pooling.binEnd(oh, w.inH(), w.outH());
          for (int ow = 0; ow < w.outW(); ow++) {
            int w0 = Pooling.binStart(ow, w.inW(), w.outW());
            int w1 = Pooling.binEnd(ow, w.inW(), w.outW());
            for (int l = 0; l < lanes; l += S.length()) {
              if (max) {
                boxMax(x, xi + l, lanes, w.inH(), w.inW(), d0, d1, 1, h0, h1, 1, w0, w1, 1, y, yi + l);
              } else {
                boxMean(x, xi + l, lanes, w.inH(), w.inW(), d0, d1, h0, h1, w0, w1, (d1 - d0) * (h1 - h0) * (w1 - w0),
                    y, yi + l);
              }
            }
            yi += lanes;
          }
        }
      }
    }
  }

  /*
   * The helpers below keep their running maximum or sum in the output itself, not in a vector carried through a
   * loop: on an AVX-512 host C2 boxed such a vector on every step (JFR: GoogLeNet's pools allocated 2 GB/s), and a
   * vector returned by a helper it did not inline. Borders and small pools only: the column-sharing 3x3 kernel
   * keeps its maxima in registers.
   */

  /** {@code y[yo ..] =} the maximum over the cells of window (d, h, w) in {@code [d0, d1) x [h0, h1) x [w0, w1)}, steps dd, dh, dw. */
  private static void boxMax(float[] x, int xi, int lanes, int inH, int inW, int d0, int d1, int dd, int h0, int h1,
      int dh, int w0, int w1, int dw, float[] y, int yo) {
    FloatVector.broadcast(S, Float.NEGATIVE_INFINITY).intoArray(y, yo);
    for (int d = d0; d < d1; d += dd) {
      for (int h = h0; h < h1; h += dh) {
        int row = (d * inH + h) * inW;
        for (int i = w0; i < w1; i += dw) {
          FloatVector.fromArray(S, y, yo).lanewise(MAX, FloatVector.fromArray(S, x, xi + (row + i) * lanes))
              .intoArray(y, yo);
        }
      }
    }
  }

  /** {@code y[yo ..] =} the sum over the cells of {@code [d0, d1) x [h0, h1) x [w0, w1)} divided by {@code divisor}. */
  private static void boxMean(float[] x, int xi, int lanes, int inH, int inW, int d0, int d1, int h0, int h1,
      int w0, int w1, float divisor, float[] y, int yo) {
    FloatVector.zero(S).intoArray(y, yo);
    for (int d = d0; d < d1; d++) {
      for (int h = h0; h < h1; h++) {
        int row = (d * inH + h) * inW;
        for (int i = w0; i < w1; i++) {
          FloatVector.fromArray(S, y, yo).add(FloatVector.fromArray(S, x, xi + (row + i) * lanes)).intoArray(y, yo);
        }
      }
    }
    FloatVector.fromArray(S, y, yo).div(divisor).intoArray(y, yo);
  }
}

package dev.netc.runtime.kernels;

import jdk.incubator.vector.FloatVector;
import jdk.incubator.vector.VectorSpecies;

/**
 * The vector path of {@link Upsample#bilinearBlocked}: the lanes of a position are whole
 * vectors, combined with the same weights and in the same order as the scalar loop (exact).
 */
public final class UpsampleVector {
  private static final VectorSpecies<Float> S = FloatVector.SPECIES_PREFERRED;

  private UpsampleVector() {}

  /** The vector length; lane counts must be multiples of it. */
  public static int lanes() {
    return S.length();
  }

  /** Bilinear resize of {@code [planes, H, W, lanes]} with precomputed taps per axis. */
  public static void bilinear(float[] x, int xOff, float[] y, int yOff, int planes, int lanes, int inH, int inW,
      int outH, int outW, int[] h0, int[] h1, float[] hl0, float[] hl1, int[] w0, int[] w1, float[] wl0, float[] wl1) {
    int yi = yOff;
    for (int p = 0; p < planes; p++) {
      int plane = xOff + p * inH * inW * lanes;
      for (int oh = 0; oh < outH; oh++) {
        int r0 = plane + h0[oh] * inW * lanes;
        int r1 = plane + h1[oh] * inW * lanes;
        for (int ow = 0; ow < outW; ow++) {
          int a = w0[ow] * lanes;
          int b = w1[ow] * lanes;
          for (int l = 0; l < lanes; l += S.length()) {
            FloatVector top = FloatVector.fromArray(S, x, r0 + a + l).mul(wl0[ow])
                .add(FloatVector.fromArray(S, x, r0 + b + l).mul(wl1[ow]));
            FloatVector bottom = FloatVector.fromArray(S, x, r1 + a + l).mul(wl0[ow])
                .add(FloatVector.fromArray(S, x, r1 + b + l).mul(wl1[ow]));
            top.mul(hl0[oh]).add(bottom.mul(hl1[oh])).intoArray(y, yi + l);
          }
          yi += lanes;
        }
      }
    }
  }
}

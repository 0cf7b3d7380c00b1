package dev.netc.runtime.kernels;

import static dev.netc.runtime.kernels.EpilogueVector.L;
import static dev.netc.runtime.kernels.EpilogueVector.S;

import jdk.incubator.vector.FloatVector;

/**
 * Depthwise-convolution micro-kernels, vector form, on the blocked layout: output channel c reads
 * only input channel c, so the 16 channels of a pixel are two vectors multiplied lane-wise by the
 * tap's two weight vectors. A tile is up to 4 pixels (8 accumulators, 2 weight and 2 input
 * vectors live), left in a tile array for the epilogue. The layer is memory-bound; the kernels
 * read each input row a few times from L1 and write each output once.
 *
 * <p>Arguments: {@code in, ib, is} input, first pixel's base, distance between pixels (all in
 * floats, within one channel block's plane); {@code off, r0, r1} tap offsets and tap range;
 * {@code w, wb} the block's packed weights (tap r at {@code wb + 16r}). Loaded only when
 * {@link PackedKernels#VECTOR}; {@link DepthwiseScalar} is its twin.
 */
final class DepthwiseVector {
  private DepthwiseVector() {}

  /** 4 pixels of one 16-channel block into {@code tile[to .. to+64)}. */
  static void tile4(float[] in, int ib, int is, int[] off, int r0, int r1, float[] w, int wb,
      float[] tile, int to) {
    FloatVector a00 = FloatVector.zero(S);
    FloatVector a01 = a00, a10 = a00, a11 = a00, a20 = a00, a21 = a00, a30 = a00, a31 = a00;
    int wi = wb + r0 * 16;
    for (int r = r0; r < r1; r++, wi += 16) {
      FloatVector w0 = FloatVector.fromArray(S, w, wi);
      FloatVector w1 = FloatVector.fromArray(S, w, wi + L);
      int o = ib + off[r];
      a00 = FloatVector.fromArray(S, in, o).fma(w0, a00);
      a01 = FloatVector.fromArray(S, in, o + L).fma(w1, a01);
      o += is;
      a10 = FloatVector.fromArray(S, in, o).fma(w0, a10);
      a11 = FloatVector.fromArray(S, in, o + L).fma(w1, a11);
      o += is;
      a20 = FloatVector.fromArray(S, in, o).fma(w0, a20);
      a21 = FloatVector.fromArray(S, in, o + L).fma(w1, a21);
      o += is;
      a30 = FloatVector.fromArray(S, in, o).fma(w0, a30);
      a31 = FloatVector.fromArray(S, in, o + L).fma(w1, a31);
    }
    a00.intoArray(tile, to + 0);
    a01.intoArray(tile, to + 0 + L);
    a10.intoArray(tile, to + 16);
    a11.intoArray(tile, to + 16 + L);
    a20.intoArray(tile, to + 32);
    a21.intoArray(tile, to + 32 + L);
    a30.intoArray(tile, to + 48);
    a31.intoArray(tile, to + 48 + L);
  }

  /** 2 pixels of one 16-channel block into {@code tile[to .. to+32)}. */
  static void tile2(float[] in, int ib, int is, int[] off, int r0, int r1, float[] w, int wb,
      float[] tile, int to) {
    FloatVector a00 = FloatVector.zero(S);
    FloatVector a01 = a00, a10 = a00, a11 = a00;
    int wi = wb + r0 * 16;
    for (int r = r0; r < r1; r++, wi += 16) {
      FloatVector w0 = FloatVector.fromArray(S, w, wi);
      FloatVector w1 = FloatVector.fromArray(S, w, wi + L);
      int o = ib + off[r];
      a00 = FloatVector.fromArray(S, in, o).fma(w0, a00);
      a01 = FloatVector.fromArray(S, in, o + L).fma(w1, a01);
      o += is;
      a10 = FloatVector.fromArray(S, in, o).fma(w0, a10);
      a11 = FloatVector.fromArray(S, in, o + L).fma(w1, a11);
    }
    a00.intoArray(tile, to + 0);
    a01.intoArray(tile, to + 0 + L);
    a10.intoArray(tile, to + 16);
    a11.intoArray(tile, to + 16 + L);
  }

  /** 1 pixel of one 16-channel block into {@code tile[to .. to+16)}. */
  static void tile1(float[] in, int ib, int is, int[] off, int r0, int r1, float[] w, int wb,
      float[] tile, int to) {
    FloatVector a00 = FloatVector.zero(S);
    FloatVector a01 = a00;
    int wi = wb + r0 * 16;
    for (int r = r0; r < r1; r++, wi += 16) {
      FloatVector w0 = FloatVector.fromArray(S, w, wi);
      FloatVector w1 = FloatVector.fromArray(S, w, wi + L);
      int o = ib + off[r];
      a00 = FloatVector.fromArray(S, in, o).fma(w0, a00);
      a01 = FloatVector.fromArray(S, in, o + L).fma(w1, a01);
    }
    a00.intoArray(tile, to + 0);
    a01.intoArray(tile, to + 0 + L);
  }


  /** One pixel over several tap ranges (corners). */
  static void pixel(float[] in, int ib, int[] off, int[] ranges, int q0, int nq, float[] w, int wb,
      float[] tile, int to) {
    FloatVector a0 = FloatVector.zero(S);
    FloatVector a1 = a0;
    for (int q = q0; q < q0 + nq; q++) {
      for (int r = ranges[2 * q]; r < ranges[2 * q + 1]; r++) {
        int o = ib + off[r];
        int wi = wb + r * 16;
        a0 = FloatVector.fromArray(S, in, o).fma(FloatVector.fromArray(S, w, wi), a0);
        a1 = FloatVector.fromArray(S, in, o + L).fma(FloatVector.fromArray(S, w, wi + L), a1);
      }
    }
    a0.intoArray(tile, to);
    a1.intoArray(tile, to + L);
  }
}

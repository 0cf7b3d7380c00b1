package dev.netc.runtime.kernels;

import static dev.netc.runtime.kernels.EpilogueVector.L;
import static dev.netc.runtime.kernels.EpilogueVector.S;

import jdk.incubator.vector.FloatVector;

/**
 * The direct-convolution micro-kernels, vector form: a tile of up to 6 output pixels times one
 * 16-channel output block (two vectors per pixel), accumulated over one flat reduction range.
 *
 * <p>Each reduction step {@code r} (one input channel at one kernel tap) loads the two weight
 * vectors of the block ({@code w[wb + 16r ..]}), broadcasts one input value per pixel
 * ({@code in[ib + off[r] + p*is]}) and does two FMAs per pixel: 12 accumulators for 6 pixels, the
 * register budget of AVX2 (16 vector registers), with 8 loads per 12 FMAs. The offset table
 * {@code off} turns the (tap, channel) nest into one counted loop, which is what keeps C2 from
 * spilling (PERF.md: nested loops ran at a third of the speed). Arguments common to all kernels:
 * <ul>
 *   <li>{@code in, ib, is}: input, the first pixel's base position, the distance between pixels;</li>
 *   <li>{@code off, r0, r1}: the offset table and the reduction range;</li>
 *   <li>{@code w, wb}: the packed weights of the block (entry r at {@code wb + 16r});</li>
 *   <li>{@code out, ob, os}: the output block, first pixel, distance between pixels;</li>
 *   <li>{@code e, ch}: the epilogue and the block's first channel; {@code res, rb}: the residual.</li>
 * </ul>
 * Loaded only when {@link PackedKernels#VECTOR}; {@link ConvTileScalar} is its twin.
 */
final class ConvTileVector {
  private ConvTileVector() {}

  /** 6 pixels x 16 channels: 12 accumulators; see the class comment for the arguments. */
  static void tile6(float[] in, int ib, int is, int[] off, int r0, int r1, float[] w, int wb,
      float[] out, int ob, int os, EpilogueParams e, int ch, float[] res, int rb) {
    FloatVector a00 = FloatVector.zero(S);
    FloatVector a01 = a00, a10 = a00, a11 = a00, a20 = a00, a21 = a00, a30 = a00;
    FloatVector a31 = a00, a40 = a00, a41 = a00, a50 = a00, a51 = a00;
    int wi = wb + r0 * 16;
    for (int r = r0; r < r1; r++, wi += 16) {
      FloatVector w0 = FloatVector.fromArray(S, w, wi);
      FloatVector w1 = FloatVector.fromArray(S, w, wi + L);
      int o = ib + off[r];
      FloatVector x = FloatVector.broadcast(S, in[o]);
      a00 = x.fma(w0, a00);
      a01 = x.fma(w1, a01);
      o += is;
      x = FloatVector.broadcast(S, in[o]);
      a10 = x.fma(w0, a10);
      a11 = x.fma(w1, a11);
      o += is;
      x = FloatVector.broadcast(S, in[o]);
      a20 = x.fma(w0, a20);
      a21 = x.fma(w1, a21);
      o += is;
      x = FloatVector.broadcast(S, in[o]);
      a30 = x.fma(w0, a30);
      a31 = x.fma(w1, a31);
      o += is;
      x = FloatVector.broadcast(S, in[o]);
      a40 = x.fma(w0, a40);
      a41 = x.fma(w1, a41);
      o += is;
      x = FloatVector.broadcast(S, in[o]);
      a50 = x.fma(w0, a50);
      a51 = x.fma(w1, a51);
    }
    EpilogueVector.store16(e, ch, a00, a01, out, ob, res, rb);
    EpilogueVector.store16(e, ch, a10, a11, out, ob + os, res, rb + os);
    EpilogueVector.store16(e, ch, a20, a21, out, ob + 2 * os, res, rb + 2 * os);
    EpilogueVector.store16(e, ch, a30, a31, out, ob + 3 * os, res, rb + 3 * os);
    EpilogueVector.store16(e, ch, a40, a41, out, ob + 4 * os, res, rb + 4 * os);
    EpilogueVector.store16(e, ch, a50, a51, out, ob + 5 * os, res, rb + 5 * os);
  }

  /** 4 pixels x 16 channels: 8 accumulators; see the class comment for the arguments. */
  static void tile4(float[] in, int ib, int is, int[] off, int r0, int r1, float[] w, int wb,
      float[] out, int ob, int os, EpilogueParams e, int ch, float[] res, int rb) {
    FloatVector a00 = FloatVector.zero(S);
    FloatVector a01 = a00, a10 = a00, a11 = a00, a20 = a00, a21 = a00, a30 = a00;
    FloatVector a31 = a00;
    int wi = wb + r0 * 16;
    for (int r = r0; r < r1; r++, wi += 16) {
      FloatVector w0 = FloatVector.fromArray(S, w, wi);
      FloatVector w1 = FloatVector.fromArray(S, w, wi + L);
      int o = ib + off[r];
      FloatVector x = FloatVector.broadcast(S, in[o]);
      a00 = x.fma(w0, a00);
      a01 = x.fma(w1, a01);
      o += is;
      x = FloatVector.broadcast(S, in[o]);
      a10 = x.fma(w0, a10);
      a11 = x.fma(w1, a11);
      o += is;
      x = FloatVector.broadcast(S, in[o]);
      a20 = x.fma(w0, a20);
      a21 = x.fma(w1, a21);
      o += is;
      x = FloatVector.broadcast(S, in[o]);
      a30 = x.fma(w0, a30);
      a31 = x.fma(w1, a31);
    }
    EpilogueVector.store16(e, ch, a00, a01, out, ob, res, rb);
    EpilogueVector.store16(e, ch, a10, a11, out, ob + os, res, rb + os);
    EpilogueVector.store16(e, ch, a20, a21, out, ob + 2 * os, res, rb + 2 * os);
    EpilogueVector.store16(e, ch, a30, a31, out, ob + 3 * os, res, rb + 3 * os);
  }

  /** 2 pixels x 16 channels: 4 accumulators; see the class comment for the arguments. */
  static void tile2(float[] in, int ib, int is, int[] off, int r0, int r1, float[] w, int wb,
      float[] out, int ob, int os, EpilogueParams e, int ch, float[] res, int rb) {
    FloatVector a00 = FloatVector.zero(S);
    FloatVector a01 = a00, a10 = a00, a11 = a00;
    int wi = wb + r0 * 16;
    for (int r = r0; r < r1; r++, wi += 16) {
      FloatVector w0 = FloatVector.fromArray(S, w, wi);
      FloatVector w1 = FloatVector.fromArray(S, w, wi + L);
      int o = ib + off[r];
      FloatVector x = FloatVector.broadcast(S, in[o]);
      a00 = x.fma(w0, a00);
      a01 = x.fma(w1, a01);
      o += is;
      x = FloatVector.broadcast(S, in[o]);
      a10 = x.fma(w0, a10);
      a11 = x.fma(w1, a11);
    }
    EpilogueVector.store16(e, ch, a00, a01, out, ob, res, rb);
    EpilogueVector.store16(e, ch, a10, a11, out, ob + os, res, rb + os);
  }


  /** One pixel, one range: two interleaved accumulator pairs (even and odd steps) for latency. */
  static void tile1(float[] in, int ib, int[] off, int r0, int r1, float[] w, int wb, float[] out,
      int ob, EpilogueParams e, int ch, float[] res, int rb) {
    FloatVector a0 = FloatVector.zero(S);
    FloatVector a1 = a0;
    FloatVector b0 = a0;
    FloatVector b1 = a0;
    int r = r0;
    int wi = wb + r0 * 16;
    for (; r + 1 < r1; r += 2, wi += 32) {
      FloatVector x = FloatVector.broadcast(S, in[ib + off[r]]);
      a0 = x.fma(FloatVector.fromArray(S, w, wi), a0);
      a1 = x.fma(FloatVector.fromArray(S, w, wi + L), a1);
      FloatVector y = FloatVector.broadcast(S, in[ib + off[r + 1]]);
      b0 = y.fma(FloatVector.fromArray(S, w, wi + 16), b0);
      b1 = y.fma(FloatVector.fromArray(S, w, wi + 16 + L), b1);
    }
    if (r < r1) {
      FloatVector x = FloatVector.broadcast(S, in[ib + off[r]]);
      a0 = x.fma(FloatVector.fromArray(S, w, wi), a0);
      a1 = x.fma(FloatVector.fromArray(S, w, wi + L), a1);
    }
    EpilogueVector.store16(e, ch, a0.add(b0), a1.add(b1), out, ob, res, rb);
  }

  /**
   * One pixel whose valid taps are several ranges ({@code ranges[2q], ranges[2q+1]} in taps for
   * {@code q} in {@code [q0, q0+nq)}, times {@code nic} channels each): corners and 3-D edges.
   */
  static void pixel(float[] in, int ib, int[] off, int[] ranges, int q0, int nq, int nic,
      float[] w, int wb, float[] out, int ob, EpilogueParams e, int ch, float[] res, int rb) {
    FloatVector a0 = FloatVector.zero(S);
    FloatVector a1 = a0;
    for (int q = q0; q < q0 + nq; q++) {
      int r1 = ranges[2 * q + 1] * nic;
      int wi = wb + ranges[2 * q] * nic * 16;
      for (int r = ranges[2 * q] * nic; r < r1; r++, wi += 16) {
        FloatVector x = FloatVector.broadcast(S, in[ib + off[r]]);
        a0 = x.fma(FloatVector.fromArray(S, w, wi), a0);
        a1 = x.fma(FloatVector.fromArray(S, w, wi + L), a1);
      }
    }
    EpilogueVector.store16(e, ch, a0, a1, out, ob, res, rb);
  }
}

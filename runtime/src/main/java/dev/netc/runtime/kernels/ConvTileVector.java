package dev.netc.runtime.kernels;

import static dev.netc.runtime.kernels.EpilogueVector.L;
import static dev.netc.runtime.kernels.EpilogueVector.S;

import jdk.incubator.vector.FloatVector;

/**
 * The direct-convolution micro-kernels, vector form: a tile of up to 4 output pixels times one
 * 16-channel output block (two vectors per pixel), accumulated over one flat reduction range and
 * left in a tile array ({@code tile[to + 16p + c]} for pixel p, channel c) for the epilogue.
 *
 * <p>Each reduction step {@code r} (one input channel at one kernel tap) loads the two weight
 * vectors of the block ({@code w[wb + 16r ..]}), broadcasts one input value per pixel
 * ({@code in[ib + off[r] + p*is]}) and does two FMAs per pixel: 8 accumulators for 4 pixels, 6
 * loads per 8 FMAs. Eight independent chains cover the FMA latency (4 cycles x 2 pipes); larger
 * tiles do not fit AVX2's 16 vector registers as C2 allocates them: a 6 x 2 tile spilled one
 * accumulator to the stack and ran at 40 % of the peak, 4 x 2 at 95 % (bench/README.md). The
 * offset table {@code off} turns the (tap, channel) nest into one counted loop, which is what
 * keeps C2 from spilling (PERF.md: nested loops ran at a third of the speed). Arguments:
 * {@code in, ib, is}: input, the first pixel's base, the distance between pixels;
 * {@code off, r0, r1}: the offset table and the reduction range; {@code w, wb}: the packed
 * weights of the block (entry r at {@code wb + 16r}).
 *
 * <p>Loaded only when {@link PackedKernels#VECTOR}; {@link ConvTileScalar} is its twin.
 */
final class ConvTileVector {
  private ConvTileVector() {}

  /** 4 pixels, any pixel distance. */
  static void tile4(float[] in, int ib, int is, int[] off, int r0, int r1, float[] w, int wb,
      float[] tile, int to) {
    FloatVector a00 = FloatVector.zero(S);
    FloatVector a01 = a00, a10 = a00, a11 = a00, a20 = a00, a21 = a00, a30 = a00, a31 = a00;
    int wi = wb + r0 * 16;
    for (int r = r0; r < r1; r++, wi += 16) {
      FloatVector w0 = FloatVector.fromArray(S, w, wi);
      FloatVector w1 = FloatVector.fromArray(S, w, wi + L);
      int o = ib + off[r];
      FloatVector x = FloatVector.broadcast(S, in[o]);
      a00 = x.fma(w0, a00);
      a01 = x.fma(w1, a01);
      x = FloatVector.broadcast(S, in[o + is]);
      a10 = x.fma(w0, a10);
      a11 = x.fma(w1, a11);
      x = FloatVector.broadcast(S, in[o + 2 * is]);
      a20 = x.fma(w0, a20);
      a21 = x.fma(w1, a21);
      x = FloatVector.broadcast(S, in[o + 3 * is]);
      a30 = x.fma(w0, a30);
      a31 = x.fma(w1, a31);
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

  /** 4 pixels 1 floats apart (constant: C2 merges the four bounds checks into one). */
  static void tile4Step1(float[] in, int ib, int[] off, int r0, int r1, float[] w, int wb,
      float[] tile, int to) {
    FloatVector a00 = FloatVector.zero(S);
    FloatVector a01 = a00, a10 = a00, a11 = a00, a20 = a00, a21 = a00, a30 = a00, a31 = a00;
    int wi = wb + r0 * 16;
    for (int r = r0; r < r1; r++, wi += 16) {
      FloatVector w0 = FloatVector.fromArray(S, w, wi);
      FloatVector w1 = FloatVector.fromArray(S, w, wi + L);
      int o = ib + off[r];
      FloatVector x = FloatVector.broadcast(S, in[o]);
      a00 = x.fma(w0, a00);
      a01 = x.fma(w1, a01);
      x = FloatVector.broadcast(S, in[o + 1]);
      a10 = x.fma(w0, a10);
      a11 = x.fma(w1, a11);
      x = FloatVector.broadcast(S, in[o + 2]);
      a20 = x.fma(w0, a20);
      a21 = x.fma(w1, a21);
      x = FloatVector.broadcast(S, in[o + 3]);
      a30 = x.fma(w0, a30);
      a31 = x.fma(w1, a31);
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

  /** 4 pixels 2 floats apart (constant: C2 merges the four bounds checks into one). */
  static void tile4Step2(float[] in, int ib, int[] off, int r0, int r1, float[] w, int wb,
      float[] tile, int to) {
    FloatVector a00 = FloatVector.zero(S);
    FloatVector a01 = a00, a10 = a00, a11 = a00, a20 = a00, a21 = a00, a30 = a00, a31 = a00;
    int wi = wb + r0 * 16;
    for (int r = r0; r < r1; r++, wi += 16) {
      FloatVector w0 = FloatVector.fromArray(S, w, wi);
      FloatVector w1 = FloatVector.fromArray(S, w, wi + L);
      int o = ib + off[r];
      FloatVector x = FloatVector.broadcast(S, in[o]);
      a00 = x.fma(w0, a00);
      a01 = x.fma(w1, a01);
      x = FloatVector.broadcast(S, in[o + 2]);
      a10 = x.fma(w0, a10);
      a11 = x.fma(w1, a11);
      x = FloatVector.broadcast(S, in[o + 4]);
      a20 = x.fma(w0, a20);
      a21 = x.fma(w1, a21);
      x = FloatVector.broadcast(S, in[o + 6]);
      a30 = x.fma(w0, a30);
      a31 = x.fma(w1, a31);
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

  /** 4 pixels 16 floats apart (constant: C2 merges the four bounds checks into one). */
  static void tile4Step16(float[] in, int ib, int[] off, int r0, int r1, float[] w, int wb,
      float[] tile, int to) {
    FloatVector a00 = FloatVector.zero(S);
    FloatVector a01 = a00, a10 = a00, a11 = a00, a20 = a00, a21 = a00, a30 = a00, a31 = a00;
    int wi = wb + r0 * 16;
    for (int r = r0; r < r1; r++, wi += 16) {
      FloatVector w0 = FloatVector.fromArray(S, w, wi);
      FloatVector w1 = FloatVector.fromArray(S, w, wi + L);
      int o = ib + off[r];
      FloatVector x = FloatVector.broadcast(S, in[o]);
      a00 = x.fma(w0, a00);
      a01 = x.fma(w1, a01);
      x = FloatVector.broadcast(S, in[o + 16]);
      a10 = x.fma(w0, a10);
      a11 = x.fma(w1, a11);
      x = FloatVector.broadcast(S, in[o + 32]);
      a20 = x.fma(w0, a20);
      a21 = x.fma(w1, a21);
      x = FloatVector.broadcast(S, in[o + 48]);
      a30 = x.fma(w0, a30);
      a31 = x.fma(w1, a31);
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

  /** 4 pixels 32 floats apart (constant: C2 merges the four bounds checks into one). */
  static void tile4Step32(float[] in, int ib, int[] off, int r0, int r1, float[] w, int wb,
      float[] tile, int to) {
    FloatVector a00 = FloatVector.zero(S);
    FloatVector a01 = a00, a10 = a00, a11 = a00, a20 = a00, a21 = a00, a30 = a00, a31 = a00;
    int wi = wb + r0 * 16;
    for (int r = r0; r < r1; r++, wi += 16) {
      FloatVector w0 = FloatVector.fromArray(S, w, wi);
      FloatVector w1 = FloatVector.fromArray(S, w, wi + L);
      int o = ib + off[r];
      FloatVector x = FloatVector.broadcast(S, in[o]);
      a00 = x.fma(w0, a00);
      a01 = x.fma(w1, a01);
      x = FloatVector.broadcast(S, in[o + 32]);
      a10 = x.fma(w0, a10);
      a11 = x.fma(w1, a11);
      x = FloatVector.broadcast(S, in[o + 64]);
      a20 = x.fma(w0, a20);
      a21 = x.fma(w1, a21);
      x = FloatVector.broadcast(S, in[o + 96]);
      a30 = x.fma(w0, a30);
      a31 = x.fma(w1, a31);
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

  /** 2 pixels, any pixel distance. */
  static void tile2(float[] in, int ib, int is, int[] off, int r0, int r1, float[] w, int wb,
      float[] tile, int to) {
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
      x = FloatVector.broadcast(S, in[o + is]);
      a10 = x.fma(w0, a10);
      a11 = x.fma(w1, a11);
    }
    a00.intoArray(tile, to + 0);
    a01.intoArray(tile, to + 0 + L);
    a10.intoArray(tile, to + 16);
    a11.intoArray(tile, to + 16 + L);
  }


  /** One pixel, one range: two interleaved accumulator pairs (even and odd steps) for latency. */
  static void tile1(float[] in, int ib, int[] off, int r0, int r1, float[] w, int wb, float[] tile,
      int to) {
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
    a0.add(b0).intoArray(tile, to);
    a1.add(b1).intoArray(tile, to + L);
  }

  /**
   * One pixel whose valid taps are several ranges ({@code ranges[2q], ranges[2q+1]} in taps for
   * {@code q} in {@code [q0, q0+nq)}, times {@code nic} channels each): corners and 3-D edges.
   */
  static void pixel(float[] in, int ib, int[] off, int[] ranges, int q0, int nq, int nic,
      float[] w, int wb, float[] tile, int to) {
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
    a0.intoArray(tile, to);
    a1.intoArray(tile, to + L);
  }
}

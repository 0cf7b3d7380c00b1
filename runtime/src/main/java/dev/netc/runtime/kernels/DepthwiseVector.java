package dev.netc.runtime.kernels;

import static dev.netc.runtime.kernels.EpilogueVector.L;
import static dev.netc.runtime.kernels.EpilogueVector.S;

import jdk.incubator.vector.FloatVector;
import jdk.incubator.vector.VectorOperators;

/**
 * Depthwise-convolution kernels, vector form, on the blocked layout: output channel c reads only
 * input channel c, so the 16 channels of a pixel are two vectors multiplied lane-wise by the
 * tap's two weight vectors. Tiles of 4 pixels (8 accumulators, 2 weight and 2 input vectors
 * live). The layer is memory-bound: each input row is read a few times from L1, each output
 * written once, with the epilogue applied in registers.
 *
 * <p>Arguments: {@code in, ib, is} input, first pixel's base, distance between pixels (all in
 * floats, within one channel block's plane); {@code off, r0, r1} tap offsets and tap range;
 * {@code w, wb} the block's packed weights (tap r at {@code wb + 16r}). Loaded only when
 * {@link PackedKernels#VECTOR}; {@link DepthwiseScalar} is its twin.
 */
final class DepthwiseVector {
  private DepthwiseVector() {}

  /**
   * A whole run of {@code count} pixels of one channel block: 4-pixel tiles then single pixels,
   * each reduced over taps {@code r0 .. r1} and finished in registers (the reduction is only a
   * few taps long, so a round trip through a tile array would cost as much as the arithmetic).
   * Output pixel p goes to {@code out[ob + p*os ..]}, its residual is at {@code res[ob + p*os + rd ..]}.
   */
  static void run(float[] in, int ib, int is, int[] off, int r0, int r1, float[] w, int wb,
      int count, float[] out, int ob, int os, EpilogueParams e, int ch, float[] res, int rd) {
    FloatVector add0 = FloatVector.fromArray(S, e.add, ch);
    FloatVector add1 = FloatVector.fromArray(S, e.add, ch + L);
    FloatVector mul0 = FloatVector.fromArray(S, e.mul, ch);
    FloatVector mul1 = FloatVector.fromArray(S, e.mul, ch + L);
    int p = 0;
    for (; p + 4 <= count; p += 4) {
      FloatVector a00 = FloatVector.zero(S);
      FloatVector a01 = a00, a10 = a00, a11 = a00, a20 = a00, a21 = a00, a30 = a00, a31 = a00;
      int i0 = ib + p * is;
      int wi = wb + r0 * 16;
      for (int r = r0; r < r1; r++, wi += 16) {
        FloatVector w0 = FloatVector.fromArray(S, w, wi);
        FloatVector w1 = FloatVector.fromArray(S, w, wi + L);
        int o = i0 + off[r];
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
      a00 = a00.fma(mul0, add0);
      a01 = a01.fma(mul1, add1);
      a10 = a10.fma(mul0, add0);
      a11 = a11.fma(mul1, add1);
      a20 = a20.fma(mul0, add0);
      a21 = a21.fma(mul1, add1);
      a30 = a30.fma(mul0, add0);
      a31 = a31.fma(mul1, add1);
      int o = ob + p * os;
      {
        int t = o;
        FloatVector v0 = a00;
        FloatVector v1 = a01;
        if (e.residual) {
          v0 = v0.add(FloatVector.fromArray(S, res, t + rd));
          v1 = v1.add(FloatVector.fromArray(S, res, t + rd + L));
        }
        switch (e.actKind) {
          case EpilogueParams.ACT_RELU -> {
            v0 = v0.max(0f);
            v1 = v1.max(0f);
          }
          case EpilogueParams.ACT_RELU6 -> {
            v0 = v0.max(0f).min(6f);
            v1 = v1.max(0f).min(6f);
          }
          case EpilogueParams.ACT_LEAKY -> {
            v0 = v0.blend(v0.mul(e.alpha), v0.compare(VectorOperators.LT, 0f));
            v1 = v1.blend(v1.mul(e.alpha), v1.compare(VectorOperators.LT, 0f));
          }
          default -> { }
        }
        v0.intoArray(out, t);
        v1.intoArray(out, t + L);
        if (e.actKind == EpilogueParams.ACT_AFTER_STORE || ch + 2 * L > e.channels) {
          EpilogueVector.afterStore(e, ch, out, t);
        }
      }
      {
        int t = o + os;
        FloatVector v0 = a10;
        FloatVector v1 = a11;
        if (e.residual) {
          v0 = v0.add(FloatVector.fromArray(S, res, t + rd));
          v1 = v1.add(FloatVector.fromArray(S, res, t + rd + L));
        }
        switch (e.actKind) {
          case EpilogueParams.ACT_RELU -> {
            v0 = v0.max(0f);
            v1 = v1.max(0f);
          }
          case EpilogueParams.ACT_RELU6 -> {
            v0 = v0.max(0f).min(6f);
            v1 = v1.max(0f).min(6f);
          }
          case EpilogueParams.ACT_LEAKY -> {
            v0 = v0.blend(v0.mul(e.alpha), v0.compare(VectorOperators.LT, 0f));
            v1 = v1.blend(v1.mul(e.alpha), v1.compare(VectorOperators.LT, 0f));
          }
          default -> { }
        }
        v0.intoArray(out, t);
        v1.intoArray(out, t + L);
        if (e.actKind == EpilogueParams.ACT_AFTER_STORE || ch + 2 * L > e.channels) {
          EpilogueVector.afterStore(e, ch, out, t);
        }
      }
      {
        int t = o + 2 * os;
        FloatVector v0 = a20;
        FloatVector v1 = a21;
        if (e.residual) {
          v0 = v0.add(FloatVector.fromArray(S, res, t + rd));
          v1 = v1.add(FloatVector.fromArray(S, res, t + rd + L));
        }
        switch (e.actKind) {
          case EpilogueParams.ACT_RELU -> {
            v0 = v0.max(0f);
            v1 = v1.max(0f);
          }
          case EpilogueParams.ACT_RELU6 -> {
            v0 = v0.max(0f).min(6f);
            v1 = v1.max(0f).min(6f);
          }
          case EpilogueParams.ACT_LEAKY -> {
            v0 = v0.blend(v0.mul(e.alpha), v0.compare(VectorOperators.LT, 0f));
            v1 = v1.blend(v1.mul(e.alpha), v1.compare(VectorOperators.LT, 0f));
          }
          default -> { }
        }
        v0.intoArray(out, t);
        v1.intoArray(out, t + L);
        if (e.actKind == EpilogueParams.ACT_AFTER_STORE || ch + 2 * L > e.channels) {
          EpilogueVector.afterStore(e, ch, out, t);
        }
      }
      {
        int t = o + 3 * os;
        FloatVector v0 = a30;
        FloatVector v1 = a31;
        if (e.residual) {
          v0 = v0.add(FloatVector.fromArray(S, res, t + rd));
          v1 = v1.add(FloatVector.fromArray(S, res, t + rd + L));
        }
        switch (e.actKind) {
          case EpilogueParams.ACT_RELU -> {
            v0 = v0.max(0f);
            v1 = v1.max(0f);
          }
          case EpilogueParams.ACT_RELU6 -> {
            v0 = v0.max(0f).min(6f);
            v1 = v1.max(0f).min(6f);
          }
          case EpilogueParams.ACT_LEAKY -> {
            v0 = v0.blend(v0.mul(e.alpha), v0.compare(VectorOperators.LT, 0f));
            v1 = v1.blend(v1.mul(e.alpha), v1.compare(VectorOperators.LT, 0f));
          }
          default -> { }
        }
        v0.intoArray(out, t);
        v1.intoArray(out, t + L);
        if (e.actKind == EpilogueParams.ACT_AFTER_STORE || ch + 2 * L > e.channels) {
          EpilogueVector.afterStore(e, ch, out, t);
        }
      }
    }
    for (; p < count; p++) {
      FloatVector v0 = FloatVector.zero(S);
      FloatVector v1 = v0;
      int i0 = ib + p * is;
      int wi = wb + r0 * 16;
      for (int r = r0; r < r1; r++, wi += 16) {
        int o = i0 + off[r];
        v0 = FloatVector.fromArray(S, in, o).fma(FloatVector.fromArray(S, w, wi), v0);
        v1 = FloatVector.fromArray(S, in, o + L).fma(FloatVector.fromArray(S, w, wi + L), v1);
      }
      v0 = v0.fma(mul0, add0);
      v1 = v1.fma(mul1, add1);
      int t = ob + p * os;
      if (e.residual) {
        v0 = v0.add(FloatVector.fromArray(S, res, t + rd));
        v1 = v1.add(FloatVector.fromArray(S, res, t + rd + L));
      }
      switch (e.actKind) {
        case EpilogueParams.ACT_RELU -> {
          v0 = v0.max(0f);
          v1 = v1.max(0f);
        }
        case EpilogueParams.ACT_RELU6 -> {
          v0 = v0.max(0f).min(6f);
          v1 = v1.max(0f).min(6f);
        }
        case EpilogueParams.ACT_LEAKY -> {
          v0 = v0.blend(v0.mul(e.alpha), v0.compare(VectorOperators.LT, 0f));
          v1 = v1.blend(v1.mul(e.alpha), v1.compare(VectorOperators.LT, 0f));
        }
        default -> { }
      }
      v0.intoArray(out, t);
      v1.intoArray(out, t + L);
      if (e.actKind == EpilogueParams.ACT_AFTER_STORE || ch + 2 * L > e.channels) {
        EpilogueVector.afterStore(e, ch, out, t);
      }
    }
  }

  /** As {@link #run} with pixels 16 floats apart (stride 1): the input loads share a bounds check. */
  static void runStep16(float[] in, int ib, int[] off, int r0, int r1, float[] w, int wb,
      int count, float[] out, int ob, int os, EpilogueParams e, int ch, float[] res, int rd) {
    FloatVector add0 = FloatVector.fromArray(S, e.add, ch);
    FloatVector add1 = FloatVector.fromArray(S, e.add, ch + L);
    FloatVector mul0 = FloatVector.fromArray(S, e.mul, ch);
    FloatVector mul1 = FloatVector.fromArray(S, e.mul, ch + L);
    int p = 0;
    for (; p + 4 <= count; p += 4) {
      FloatVector a00 = FloatVector.zero(S);
      FloatVector a01 = a00, a10 = a00, a11 = a00, a20 = a00, a21 = a00, a30 = a00, a31 = a00;
      int i0 = ib + p * 16;
      int wi = wb + r0 * 16;
      for (int r = r0; r < r1; r++, wi += 16) {
        FloatVector w0 = FloatVector.fromArray(S, w, wi);
        FloatVector w1 = FloatVector.fromArray(S, w, wi + L);
        int o = i0 + off[r];
        a00 = FloatVector.fromArray(S, in, o).fma(w0, a00);
        a01 = FloatVector.fromArray(S, in, o + L).fma(w1, a01);
        a10 = FloatVector.fromArray(S, in, o + 16).fma(w0, a10);
        a11 = FloatVector.fromArray(S, in, o + 16 + L).fma(w1, a11);
        a20 = FloatVector.fromArray(S, in, o + 32).fma(w0, a20);
        a21 = FloatVector.fromArray(S, in, o + 32 + L).fma(w1, a21);
        a30 = FloatVector.fromArray(S, in, o + 48).fma(w0, a30);
        a31 = FloatVector.fromArray(S, in, o + 48 + L).fma(w1, a31);
      }
      a00 = a00.fma(mul0, add0);
      a01 = a01.fma(mul1, add1);
      a10 = a10.fma(mul0, add0);
      a11 = a11.fma(mul1, add1);
      a20 = a20.fma(mul0, add0);
      a21 = a21.fma(mul1, add1);
      a30 = a30.fma(mul0, add0);
      a31 = a31.fma(mul1, add1);
      int o = ob + p * os;
      {
        int t = o;
        FloatVector v0 = a00;
        FloatVector v1 = a01;
        if (e.residual) {
          v0 = v0.add(FloatVector.fromArray(S, res, t + rd));
          v1 = v1.add(FloatVector.fromArray(S, res, t + rd + L));
        }
        switch (e.actKind) {
          case EpilogueParams.ACT_RELU -> {
            v0 = v0.max(0f);
            v1 = v1.max(0f);
          }
          case EpilogueParams.ACT_RELU6 -> {
            v0 = v0.max(0f).min(6f);
            v1 = v1.max(0f).min(6f);
          }
          case EpilogueParams.ACT_LEAKY -> {
            v0 = v0.blend(v0.mul(e.alpha), v0.compare(VectorOperators.LT, 0f));
            v1 = v1.blend(v1.mul(e.alpha), v1.compare(VectorOperators.LT, 0f));
          }
          default -> { }
        }
        v0.intoArray(out, t);
        v1.intoArray(out, t + L);
        if (e.actKind == EpilogueParams.ACT_AFTER_STORE || ch + 2 * L > e.channels) {
          EpilogueVector.afterStore(e, ch, out, t);
        }
      }
      {
        int t = o + os;
        FloatVector v0 = a10;
        FloatVector v1 = a11;
        if (e.residual) {
          v0 = v0.add(FloatVector.fromArray(S, res, t + rd));
          v1 = v1.add(FloatVector.fromArray(S, res, t + rd + L));
        }
        switch (e.actKind) {
          case EpilogueParams.ACT_RELU -> {
            v0 = v0.max(0f);
            v1 = v1.max(0f);
          }
          case EpilogueParams.ACT_RELU6 -> {
            v0 = v0.max(0f).min(6f);
            v1 = v1.max(0f).min(6f);
          }
          case EpilogueParams.ACT_LEAKY -> {
            v0 = v0.blend(v0.mul(e.alpha), v0.compare(VectorOperators.LT, 0f));
            v1 = v1.blend(v1.mul(e.alpha), v1.compare(VectorOperators.LT, 0f));
          }
          default -> { }
        }
        v0.intoArray(out, t);
        v1.intoArray(out, t + L);
        if (e.actKind == EpilogueParams.ACT_AFTER_STORE || ch + 2 * L > e.channels) {
          EpilogueVector.afterStore(e, ch, out, t);
        }
      }
      {
        int t = o + 2 * os;
        FloatVector v0 = a20;
        FloatVector v1 = a21;
        if (e.residual) {
          v0 = v0.add(FloatVector.fromArray(S, res, t + rd));
          v1 = v1.add(FloatVector.fromArray(S, res, t + rd + L));
        }
        switch (e.actKind) {
          case EpilogueParams.ACT_RELU -> {
            v0 = v0.max(0f);
            v1 = v1.max(0f);
          }
          case EpilogueParams.ACT_RELU6 -> {
            v0 = v0.max(0f).min(6f);
            v1 = v1.max(0f).min(6f);
          }
          case EpilogueParams.ACT_LEAKY -> {
            v0 = v0.blend(v0.mul(e.alpha), v0.compare(VectorOperators.LT, 0f));
            v1 = v1.blend(v1.mul(e.alpha), v1.compare(VectorOperators.LT, 0f));
          }
          default -> { }
        }
        v0.intoArray(out, t);
        v1.intoArray(out, t + L);
        if (e.actKind == EpilogueParams.ACT_AFTER_STORE || ch + 2 * L > e.channels) {
          EpilogueVector.afterStore(e, ch, out, t);
        }
      }
      {
        int t = o + 3 * os;
        FloatVector v0 = a30;
        FloatVector v1 = a31;
        if (e.residual) {
          v0 = v0.add(FloatVector.fromArray(S, res, t + rd));
          v1 = v1.add(FloatVector.fromArray(S, res, t + rd + L));
        }
        switch (e.actKind) {
          case EpilogueParams.ACT_RELU -> {
            v0 = v0.max(0f);
            v1 = v1.max(0f);
          }
          case EpilogueParams.ACT_RELU6 -> {
            v0 = v0.max(0f).min(6f);
            v1 = v1.max(0f).min(6f);
          }
          case EpilogueParams.ACT_LEAKY -> {
            v0 = v0.blend(v0.mul(e.alpha), v0.compare(VectorOperators.LT, 0f));
            v1 = v1.blend(v1.mul(e.alpha), v1.compare(VectorOperators.LT, 0f));
          }
          default -> { }
        }
        v0.intoArray(out, t);
        v1.intoArray(out, t + L);
        if (e.actKind == EpilogueParams.ACT_AFTER_STORE || ch + 2 * L > e.channels) {
          EpilogueVector.afterStore(e, ch, out, t);
        }
      }
    }
    for (; p < count; p++) {
      FloatVector v0 = FloatVector.zero(S);
      FloatVector v1 = v0;
      int i0 = ib + p * 16;
      int wi = wb + r0 * 16;
      for (int r = r0; r < r1; r++, wi += 16) {
        int o = i0 + off[r];
        v0 = FloatVector.fromArray(S, in, o).fma(FloatVector.fromArray(S, w, wi), v0);
        v1 = FloatVector.fromArray(S, in, o + L).fma(FloatVector.fromArray(S, w, wi + L), v1);
      }
      v0 = v0.fma(mul0, add0);
      v1 = v1.fma(mul1, add1);
      int t = ob + p * os;
      if (e.residual) {
        v0 = v0.add(FloatVector.fromArray(S, res, t + rd));
        v1 = v1.add(FloatVector.fromArray(S, res, t + rd + L));
      }
      switch (e.actKind) {
        case EpilogueParams.ACT_RELU -> {
          v0 = v0.max(0f);
          v1 = v1.max(0f);
        }
        case EpilogueParams.ACT_RELU6 -> {
          v0 = v0.max(0f).min(6f);
          v1 = v1.max(0f).min(6f);
        }
        case EpilogueParams.ACT_LEAKY -> {
          v0 = v0.blend(v0.mul(e.alpha), v0.compare(VectorOperators.LT, 0f));
          v1 = v1.blend(v1.mul(e.alpha), v1.compare(VectorOperators.LT, 0f));
        }
        default -> { }
      }
      v0.intoArray(out, t);
      v1.intoArray(out, t + L);
      if (e.actKind == EpilogueParams.ACT_AFTER_STORE || ch + 2 * L > e.channels) {
        EpilogueVector.afterStore(e, ch, out, t);
      }
    }
  }

  /** As {@link #run} with pixels 32 floats apart (stride 2). */
  static void runStep32(float[] in, int ib, int[] off, int r0, int r1, float[] w, int wb,
      int count, float[] out, int ob, int os, EpilogueParams e, int ch, float[] res, int rd) {
    FloatVector add0 = FloatVector.fromArray(S, e.add, ch);
    FloatVector add1 = FloatVector.fromArray(S, e.add, ch + L);
    FloatVector mul0 = FloatVector.fromArray(S, e.mul, ch);
    FloatVector mul1 = FloatVector.fromArray(S, e.mul, ch + L);
    int p = 0;
    for (; p + 4 <= count; p += 4) {
      FloatVector a00 = FloatVector.zero(S);
      FloatVector a01 = a00, a10 = a00, a11 = a00, a20 = a00, a21 = a00, a30 = a00, a31 = a00;
      int i0 = ib + p * 32;
      int wi = wb + r0 * 16;
      for (int r = r0; r < r1; r++, wi += 16) {
        FloatVector w0 = FloatVector.fromArray(S, w, wi);
        FloatVector w1 = FloatVector.fromArray(S, w, wi + L);
        int o = i0 + off[r];
        a00 = FloatVector.fromArray(S, in, o).fma(w0, a00);
        a01 = FloatVector.fromArray(S, in, o + L).fma(w1, a01);
        a10 = FloatVector.fromArray(S, in, o + 32).fma(w0, a10);
        a11 = FloatVector.fromArray(S, in, o + 32 + L).fma(w1, a11);
        a20 = FloatVector.fromArray(S, in, o + 64).fma(w0, a20);
        a21 = FloatVector.fromArray(S, in, o + 64 + L).fma(w1, a21);
        a30 = FloatVector.fromArray(S, in, o + 96).fma(w0, a30);
        a31 = FloatVector.fromArray(S, in, o + 96 + L).fma(w1, a31);
      }
      a00 = a00.fma(mul0, add0);
      a01 = a01.fma(mul1, add1);
      a10 = a10.fma(mul0, add0);
      a11 = a11.fma(mul1, add1);
      a20 = a20.fma(mul0, add0);
      a21 = a21.fma(mul1, add1);
      a30 = a30.fma(mul0, add0);
      a31 = a31.fma(mul1, add1);
      int o = ob + p * os;
      {
        int t = o;
        FloatVector v0 = a00;
        FloatVector v1 = a01;
        if (e.residual) {
          v0 = v0.add(FloatVector.fromArray(S, res, t + rd));
          v1 = v1.add(FloatVector.fromArray(S, res, t + rd + L));
        }
        switch (e.actKind) {
          case EpilogueParams.ACT_RELU -> {
            v0 = v0.max(0f);
            v1 = v1.max(0f);
          }
          case EpilogueParams.ACT_RELU6 -> {
            v0 = v0.max(0f).min(6f);
            v1 = v1.max(0f).min(6f);
          }
          case EpilogueParams.ACT_LEAKY -> {
            v0 = v0.blend(v0.mul(e.alpha), v0.compare(VectorOperators.LT, 0f));
            v1 = v1.blend(v1.mul(e.alpha), v1.compare(VectorOperators.LT, 0f));
          }
          default -> { }
        }
        v0.intoArray(out, t);
        v1.intoArray(out, t + L);
        if (e.actKind == EpilogueParams.ACT_AFTER_STORE || ch + 2 * L > e.channels) {
          EpilogueVector.afterStore(e, ch, out, t);
        }
      }
      {
        int t = o + os;
        FloatVector v0 = a10;
        FloatVector v1 = a11;
        if (e.residual) {
          v0 = v0.add(FloatVector.fromArray(S, res, t + rd));
          v1 = v1.add(FloatVector.fromArray(S, res, t + rd + L));
        }
        switch (e.actKind) {
          case EpilogueParams.ACT_RELU -> {
            v0 = v0.max(0f);
            v1 = v1.max(0f);
          }
          case EpilogueParams.ACT_RELU6 -> {
            v0 = v0.max(0f).min(6f);
            v1 = v1.max(0f).min(6f);
          }
          case EpilogueParams.ACT_LEAKY -> {
            v0 = v0.blend(v0.mul(e.alpha), v0.compare(VectorOperators.LT, 0f));
            v1 = v1.blend(v1.mul(e.alpha), v1.compare(VectorOperators.LT, 0f));
          }
          default -> { }
        }
        v0.intoArray(out, t);
        v1.intoArray(out, t + L);
        if (e.actKind == EpilogueParams.ACT_AFTER_STORE || ch + 2 * L > e.channels) {
          EpilogueVector.afterStore(e, ch, out, t);
        }
      }
      {
        int t = o + 2 * os;
        FloatVector v0 = a20;
        FloatVector v1 = a21;
        if (e.residual) {
          v0 = v0.add(FloatVector.fromArray(S, res, t + rd));
          v1 = v1.add(FloatVector.fromArray(S, res, t + rd + L));
        }
        switch (e.actKind) {
          case EpilogueParams.ACT_RELU -> {
            v0 = v0.max(0f);
            v1 = v1.max(0f);
          }
          case EpilogueParams.ACT_RELU6 -> {
            v0 = v0.max(0f).min(6f);
            v1 = v1.max(0f).min(6f);
          }
          case EpilogueParams.ACT_LEAKY -> {
            v0 = v0.blend(v0.mul(e.alpha), v0.compare(VectorOperators.LT, 0f));
            v1 = v1.blend(v1.mul(e.alpha), v1.compare(VectorOperators.LT, 0f));
          }
          default -> { }
        }
        v0.intoArray(out, t);
        v1.intoArray(out, t + L);
        if (e.actKind == EpilogueParams.ACT_AFTER_STORE || ch + 2 * L > e.channels) {
          EpilogueVector.afterStore(e, ch, out, t);
        }
      }
      {
        int t = o + 3 * os;
        FloatVector v0 = a30;
        FloatVector v1 = a31;
        if (e.residual) {
          v0 = v0.add(FloatVector.fromArray(S, res, t + rd));
          v1 = v1.add(FloatVector.fromArray(S, res, t + rd + L));
        }
        switch (e.actKind) {
          case EpilogueParams.ACT_RELU -> {
            v0 = v0.max(0f);
            v1 = v1.max(0f);
          }
          case EpilogueParams.ACT_RELU6 -> {
            v0 = v0.max(0f).min(6f);
            v1 = v1.max(0f).min(6f);
          }
          case EpilogueParams.ACT_LEAKY -> {
            v0 = v0.blend(v0.mul(e.alpha), v0.compare(VectorOperators.LT, 0f));
            v1 = v1.blend(v1.mul(e.alpha), v1.compare(VectorOperators.LT, 0f));
          }
          default -> { }
        }
        v0.intoArray(out, t);
        v1.intoArray(out, t + L);
        if (e.actKind == EpilogueParams.ACT_AFTER_STORE || ch + 2 * L > e.channels) {
          EpilogueVector.afterStore(e, ch, out, t);
        }
      }
    }
    for (; p < count; p++) {
      FloatVector v0 = FloatVector.zero(S);
      FloatVector v1 = v0;
      int i0 = ib + p * 32;
      int wi = wb + r0 * 16;
      for (int r = r0; r < r1; r++, wi += 16) {
        int o = i0 + off[r];
        v0 = FloatVector.fromArray(S, in, o).fma(FloatVector.fromArray(S, w, wi), v0);
        v1 = FloatVector.fromArray(S, in, o + L).fma(FloatVector.fromArray(S, w, wi + L), v1);
      }
      v0 = v0.fma(mul0, add0);
      v1 = v1.fma(mul1, add1);
      int t = ob + p * os;
      if (e.residual) {
        v0 = v0.add(FloatVector.fromArray(S, res, t + rd));
        v1 = v1.add(FloatVector.fromArray(S, res, t + rd + L));
      }
      switch (e.actKind) {
        case EpilogueParams.ACT_RELU -> {
          v0 = v0.max(0f);
          v1 = v1.max(0f);
        }
        case EpilogueParams.ACT_RELU6 -> {
          v0 = v0.max(0f).min(6f);
          v1 = v1.max(0f).min(6f);
        }
        case EpilogueParams.ACT_LEAKY -> {
          v0 = v0.blend(v0.mul(e.alpha), v0.compare(VectorOperators.LT, 0f));
          v1 = v1.blend(v1.mul(e.alpha), v1.compare(VectorOperators.LT, 0f));
        }
        default -> { }
      }
      v0.intoArray(out, t);
      v1.intoArray(out, t + L);
      if (e.actKind == EpilogueParams.ACT_AFTER_STORE || ch + 2 * L > e.channels) {
        EpilogueVector.afterStore(e, ch, out, t);
      }
    }
  }


  /**
   * A run of a 3-wide, undilated, stride-1 depthwise kernel (MobileNet's 3x3) with pixels 16 floats
   * apart: three neighbouring output pixels of one kernel row read only 5 input vectors per
   * 8-channel half instead of 9, so a step is 16 loads for 18 FMAs (the generic run does 10 loads
   * for 8). Six accumulators, 5 inputs and 3 weights fit the 16 registers; both halves share a
   * step so six independent chains hide the FMA latency; the epilogue is applied in registers.
   * Taps {@code r0 .. r1} are whole kernel rows (multiples of 3); a tail of one or two pixels goes
   * to {@link #runStep16}.
   */
  static void runK3(float[] in, int ib, int[] off, int r0, int r1, float[] w, int wb, int count,
      float[] out, int ob, int os, EpilogueParams e, int ch, float[] res, int rd) {
    FloatVector mul0 = FloatVector.fromArray(S, e.mul, ch);
    FloatVector mul1 = FloatVector.fromArray(S, e.mul, ch + L);
    FloatVector add0 = FloatVector.fromArray(S, e.add, ch);
    FloatVector add1 = FloatVector.fromArray(S, e.add, ch + L);
    int p = 0;
    for (; p + 3 <= count; p += 3) {
      FloatVector a0 = FloatVector.zero(S);
      FloatVector a1 = a0, a2 = a0, b0 = a0, b1 = a0, b2 = a0;
      int i0 = ib + p * 16;
      for (int r = r0; r < r1; r += 3) {
        int o = i0 + off[r];
        int wi = wb + r * 16;
        FloatVector w0 = FloatVector.fromArray(S, w, wi);
        FloatVector w1 = FloatVector.fromArray(S, w, wi + 16);
        FloatVector w2 = FloatVector.fromArray(S, w, wi + 32);
        FloatVector x0 = FloatVector.fromArray(S, in, o);
        FloatVector x1 = FloatVector.fromArray(S, in, o + 16);
        FloatVector x2 = FloatVector.fromArray(S, in, o + 32);
        a0 = x0.fma(w0, a0);
        a1 = x1.fma(w0, a1);
        a2 = x2.fma(w0, a2);
        FloatVector x3 = FloatVector.fromArray(S, in, o + 48);
        a0 = x1.fma(w1, a0);
        a1 = x2.fma(w1, a1);
        a2 = x3.fma(w1, a2);
        FloatVector x4 = FloatVector.fromArray(S, in, o + 64);
        a0 = x2.fma(w2, a0);
        a1 = x3.fma(w2, a1);
        a2 = x4.fma(w2, a2);
        w0 = FloatVector.fromArray(S, w, wi + L);
        w1 = FloatVector.fromArray(S, w, wi + 16 + L);
        w2 = FloatVector.fromArray(S, w, wi + 32 + L);
        x0 = FloatVector.fromArray(S, in, o + L);
        x1 = FloatVector.fromArray(S, in, o + 16 + L);
        x2 = FloatVector.fromArray(S, in, o + 32 + L);
        b0 = x0.fma(w0, b0);
        b1 = x1.fma(w0, b1);
        b2 = x2.fma(w0, b2);
        x3 = FloatVector.fromArray(S, in, o + 48 + L);
        b0 = x1.fma(w1, b0);
        b1 = x2.fma(w1, b1);
        b2 = x3.fma(w1, b2);
        x4 = FloatVector.fromArray(S, in, o + 64 + L);
        b0 = x2.fma(w2, b0);
        b1 = x3.fma(w2, b1);
        b2 = x4.fma(w2, b2);
      }
      int o = ob + p * os;
      {
        int t = o;
        FloatVector v0 = a0.fma(mul0, add0);
        FloatVector v1 = b0.fma(mul1, add1);
        if (e.residual) {
          v0 = v0.add(FloatVector.fromArray(S, res, t + rd));
          v1 = v1.add(FloatVector.fromArray(S, res, t + rd + L));
        }
        switch (e.actKind) {
          case EpilogueParams.ACT_RELU -> {
            v0 = v0.max(0f);
            v1 = v1.max(0f);
          }
          case EpilogueParams.ACT_RELU6 -> {
            v0 = v0.max(0f).min(6f);
            v1 = v1.max(0f).min(6f);
          }
          case EpilogueParams.ACT_LEAKY -> {
            v0 = v0.blend(v0.mul(e.alpha), v0.compare(VectorOperators.LT, 0f));
            v1 = v1.blend(v1.mul(e.alpha), v1.compare(VectorOperators.LT, 0f));
          }
          default -> { }
        }
        v0.intoArray(out, t);
        v1.intoArray(out, t + L);
        if (e.actKind == EpilogueParams.ACT_AFTER_STORE || ch + 2 * L > e.channels) {
          EpilogueVector.afterStore(e, ch, out, t);
        }
      }
      {
        int t = o + os;
        FloatVector v0 = a1.fma(mul0, add0);
        FloatVector v1 = b1.fma(mul1, add1);
        if (e.residual) {
          v0 = v0.add(FloatVector.fromArray(S, res, t + rd));
          v1 = v1.add(FloatVector.fromArray(S, res, t + rd + L));
        }
        switch (e.actKind) {
          case EpilogueParams.ACT_RELU -> {
            v0 = v0.max(0f);
            v1 = v1.max(0f);
          }
          case EpilogueParams.ACT_RELU6 -> {
            v0 = v0.max(0f).min(6f);
            v1 = v1.max(0f).min(6f);
          }
          case EpilogueParams.ACT_LEAKY -> {
            v0 = v0.blend(v0.mul(e.alpha), v0.compare(VectorOperators.LT, 0f));
            v1 = v1.blend(v1.mul(e.alpha), v1.compare(VectorOperators.LT, 0f));
          }
          default -> { }
        }
        v0.intoArray(out, t);
        v1.intoArray(out, t + L);
        if (e.actKind == EpilogueParams.ACT_AFTER_STORE || ch + 2 * L > e.channels) {
          EpilogueVector.afterStore(e, ch, out, t);
        }
      }
      {
        int t = o + 2 * os;
        FloatVector v0 = a2.fma(mul0, add0);
        FloatVector v1 = b2.fma(mul1, add1);
        if (e.residual) {
          v0 = v0.add(FloatVector.fromArray(S, res, t + rd));
          v1 = v1.add(FloatVector.fromArray(S, res, t + rd + L));
        }
        switch (e.actKind) {
          case EpilogueParams.ACT_RELU -> {
            v0 = v0.max(0f);
            v1 = v1.max(0f);
          }
          case EpilogueParams.ACT_RELU6 -> {
            v0 = v0.max(0f).min(6f);
            v1 = v1.max(0f).min(6f);
          }
          case EpilogueParams.ACT_LEAKY -> {
            v0 = v0.blend(v0.mul(e.alpha), v0.compare(VectorOperators.LT, 0f));
            v1 = v1.blend(v1.mul(e.alpha), v1.compare(VectorOperators.LT, 0f));
          }
          default -> { }
        }
        v0.intoArray(out, t);
        v1.intoArray(out, t + L);
        if (e.actKind == EpilogueParams.ACT_AFTER_STORE || ch + 2 * L > e.channels) {
          EpilogueVector.afterStore(e, ch, out, t);
        }
      }
    }
    if (p < count) {
      runStep16(in, ib + p * 16, off, r0, r1, w, wb, count - p, out, ob + p * os, os, e, ch, res, rd);
    }
  }


  /** One pixel over several tap ranges (corners), left in {@code tile[to .. to+16)}. */
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

package dev.netc.runtime.kernels;

import jdk.incubator.vector.FloatVector;
import jdk.incubator.vector.VectorOperators;
import jdk.incubator.vector.VectorSpecies;

/**
 * The vector form of {@link EpilogueParams}, shared by the conv, depthwise and GEMM kernels, and
 * the species they all use. Loaded only when {@link PackedKernels#VECTOR}.
 *
 * <p>The kernels use 256-bit vectors (8 floats) everywhere: a 16-channel block is exactly two
 * vectors, AVX2 machines run them natively, and on AVX-512 machines that execute a 512-bit FMA
 * as two 256-bit halves (Zen 4) the FMA peak is the same. Using one width keeps a single set of
 * register-blocked micro-kernels sized for 16 registers.
 *
 * <p>Micro-kernels leave their accumulators in a small tile array (the participant's scratch)
 * and these methods finish them. No method here or in the kernels takes or returns a vector:
 * a vector that crosses a call C2 did not inline is boxed on the heap, and once that happened in
 * a hot loop the kernel ran at 4 % of its speed. Arrays and ints only cross calls.
 */
final class EpilogueVector {
  /** The species of every packed kernel. */
  static final VectorSpecies<Float> S = FloatVector.SPECIES_256;
  /** Lanes per vector. */
  static final int L = 8;

  private EpilogueVector() {}

  /** True when the JVM compiles 256-bit float vectors to native instructions. */
  static boolean nativeWidth() {
    return FloatVector.SPECIES_PREFERRED.vectorBitSize() >= 256 && S.length() == L;
  }

  /**
   * Finishes one pixel's 16-channel block: {@code tile[t .. t+16)} through the epilogue of
   * channels {@code ch .. ch+16} (residual at {@code res[r ..]}) into {@code out[o .. o+16)};
   * padding channels (at or past {@code e.channels}) are stored as 0.
   */
  static void block16(EpilogueParams e, int ch, float[] tile, int t, float[] out, int o,
      float[] res, int r) {
    FloatVector v0 = FloatVector.fromArray(S, tile, t);
    FloatVector v1 = FloatVector.fromArray(S, tile, t + L);
    FloatVector a0 = FloatVector.fromArray(S, e.add, ch);
    FloatVector a1 = FloatVector.fromArray(S, e.add, ch + L);
    v0 = v0.fma(FloatVector.fromArray(S, e.mul, ch), a0);
    v1 = v1.fma(FloatVector.fromArray(S, e.mul, ch + L), a1);
    if (e.residual) {
      v0 = v0.add(FloatVector.fromArray(S, res, r));
      v1 = v1.add(FloatVector.fromArray(S, res, r + L));
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
    v0.intoArray(out, o);
    v1.intoArray(out, o + L);
    if (e.actKind == EpilogueParams.ACT_AFTER_STORE || ch + 2 * L > e.channels) {
      afterStore(e, ch, out, o);
    }
  }

  /**
   * The part of a block's epilogue done on the stored values: activations too costly to inline
   * (by the activation's own array kernel), and zeros in padding channels whatever the
   * activation makes of 0.
   */
  static void afterStore(EpilogueParams e, int ch, float[] out, int o) {
    if (e.actKind == EpilogueParams.ACT_AFTER_STORE) {
      e.activation.applyInPlace(out, o, 2 * L, e.alpha);
    }
    for (int c = Math.max(0, e.channels - ch); c < 2 * L; c++) {
      out[o + c] = 0f;
    }
  }

  /**
   * Finishes one row of a GEMM tile: {@code tile[t .. t+16)} plus (unless {@code first}) the
   * partial sum already in {@code c[o ..]}, then the epilogue when {@code last} (channel = column,
   * from {@code col0}), into {@code c[o .. o+cols)}. A partial row ({@code cols < 16}, the last
   * column panel) is finished by the scalar formula.
   */
  static void row16(EpilogueParams e, int col0, float[] tile, int t, float[] c, int o, float[] res,
      int r, int cols, boolean first, boolean last) {
    if (cols < 2 * L) {
      for (int j = 0; j < cols; j++) {
        float v = tile[t + j] + (first ? 0f : c[o + j]);
        c[o + j] = last ? e.apply(v, col0 + j, e.residual ? res[r + j] : 0f) : v;
      }
      return;
    }
    FloatVector v0 = FloatVector.fromArray(S, tile, t);
    FloatVector v1 = FloatVector.fromArray(S, tile, t + L);
    if (!first) {
      v0 = v0.add(FloatVector.fromArray(S, c, o));
      v1 = v1.add(FloatVector.fromArray(S, c, o + L));
    }
    if (!last) {
      v0.intoArray(c, o);
      v1.intoArray(c, o + L);
      return;
    }
    FloatVector a0 = FloatVector.fromArray(S, e.add, col0);
    FloatVector a1 = FloatVector.fromArray(S, e.add, col0 + L);
    v0 = v0.fma(FloatVector.fromArray(S, e.mul, col0), a0);
    v1 = v1.fma(FloatVector.fromArray(S, e.mul, col0 + L), a1);
    if (e.residual) {
      v0 = v0.add(FloatVector.fromArray(S, res, r));
      v1 = v1.add(FloatVector.fromArray(S, res, r + L));
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
    v0.intoArray(c, o);
    v1.intoArray(c, o + L);
    if (e.actKind == EpilogueParams.ACT_AFTER_STORE) {
      e.activation.applyInPlace(c, o, 2 * L, e.alpha);
    }
  }
}

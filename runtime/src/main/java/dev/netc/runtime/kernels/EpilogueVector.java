package dev.netc.runtime.kernels;

import jdk.incubator.vector.FloatVector;
import jdk.incubator.vector.VectorMask;
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
   * Applies the epilogue to the two vectors of one 16-channel block of one pixel and stores them
   * at {@code out[o .. o+16)}; channels {@code ch .. ch+16} index the parameters; the residual
   * (if any) is read at {@code res[r .. r+16)}.
   */
  static void store16(EpilogueParams e, int ch, FloatVector v0, FloatVector v1, float[] out, int o,
      float[] res, int r) {
    FloatVector a0 = FloatVector.fromArray(S, e.add, ch);
    FloatVector a1 = FloatVector.fromArray(S, e.add, ch + L);
    if (e.mul != null) {
      v0 = v0.fma(FloatVector.fromArray(S, e.mul, ch), a0);
      v1 = v1.fma(FloatVector.fromArray(S, e.mul, ch + L), a1);
    } else {
      v0 = v0.add(a0);
      v1 = v1.add(a1);
    }
    if (e.residual) {
      v0 = v0.add(FloatVector.fromArray(S, res, r));
      v1 = v1.add(FloatVector.fromArray(S, res, r + L));
    }
    activate(e, v0).intoArray(out, o);
    activate(e, v1).intoArray(out, o + L);
    if (e.actKind == EpilogueParams.ACT_AFTER_STORE) {
      e.activation.applyInPlace(out, o, 2 * L, e.alpha);
    }
    if (ch + 2 * L > e.channels) {
      zeroPadding(e, ch, out, o);
    }
  }

  /**
   * GEMM row store: applies the epilogue to {@code cols <= 16} values of one row; the channel of
   * a value is its column ({@code chCol} is the tile's first column).
   */
  static void storeRow(EpilogueParams e, int chCol, FloatVector v0, FloatVector v1,
      float[] out, int o, float[] res, int r, int cols) {
    FloatVector a0 = FloatVector.fromArray(S, e.add, chCol);
    FloatVector a1 = FloatVector.fromArray(S, e.add, chCol + L);
    if (e.mul != null) {
      v0 = v0.fma(FloatVector.fromArray(S, e.mul, chCol), a0);
      v1 = v1.fma(FloatVector.fromArray(S, e.mul, chCol + L), a1);
    } else {
      v0 = v0.add(a0);
      v1 = v1.add(a1);
    }
    if (cols == 2 * L) {
      if (e.residual) {
        v0 = v0.add(FloatVector.fromArray(S, res, r));
        v1 = v1.add(FloatVector.fromArray(S, res, r + L));
      }
      activate(e, v0).intoArray(out, o);
      activate(e, v1).intoArray(out, o + L);
    } else {
      storePartial(e, v0, v1, out, o, res, r, cols);
    }
    if (e.actKind == EpilogueParams.ACT_AFTER_STORE) {
      e.activation.applyInPlace(out, o, cols, e.alpha);
    }
  }

  /** Adds {@code out[o .. o+cols)} (cols up to 16) into the two accumulators: a later K block. */
  static FloatVector loadPartial(float[] c, int o, int cols, int half) {
    int from = half * L;
    if (cols >= from + L) {
      return FloatVector.fromArray(S, c, o + from);
    }
    if (cols <= from) {
      return FloatVector.zero(S);
    }
    VectorMask<Float> m = S.indexInRange(from, cols);
    return FloatVector.fromArray(S, c, o + from, m);
  }

  /** Stores the first {@code cols} lanes of (v0, v1) at {@code c[o..]} without activation. */
  static void storeRaw(FloatVector v0, FloatVector v1, float[] c, int o, int cols) {
    if (cols == 2 * L) {
      v0.intoArray(c, o);
      v1.intoArray(c, o + L);
      return;
    }
    storeHalf(v0, c, o, cols, 0);
    storeHalf(v1, c, o, cols, 1);
  }

  private static void storeHalf(FloatVector v, float[] c, int o, int cols, int half) {
    int from = half * L;
    if (cols >= from + L) {
      v.intoArray(c, o + from);
    } else if (cols > from) {
      v.intoArray(c, o + from, S.indexInRange(from, cols));
    }
  }

  private static void storePartial(EpilogueParams e, FloatVector v0, FloatVector v1, float[] out,
      int o, float[] res, int r, int cols) {
    if (e.residual) {
      v0 = v0.add(loadPartial(res, r, cols, 0));
      v1 = v1.add(loadPartial(res, r, cols, 1));
    }
    storeRaw(activate(e, v0), activate(e, v1), out, o, cols);
  }

  /** The activations cheap enough to do in registers; others are left for after the store. */
  static FloatVector activate(EpilogueParams e, FloatVector v) {
    return switch (e.actKind) {
      case EpilogueParams.ACT_RELU -> v.max(0f);
      case EpilogueParams.ACT_RELU6 -> v.max(0f).min(6f);
      case EpilogueParams.ACT_LEAKY -> v.blend(v.mul(e.alpha), v.compare(VectorOperators.LT, 0f));
      default -> v;
    };
  }

  /** Blocked outputs keep zeros in padding channels, whatever the activation makes of 0. */
  private static void zeroPadding(EpilogueParams e, int ch, float[] out, int o) {
    for (int c = Math.max(0, e.channels - ch); c < 2 * L; c++) {
      out[o + c] = 0f;
    }
  }
}

package dev.netc.runtime.kernels;

import jdk.incubator.vector.FloatVector;
import jdk.incubator.vector.VectorMask;
import jdk.incubator.vector.VectorSpecies;

/**
 * The vector path of {@link Blocked}: a 16-channel block is {@code 16 / lanes} whole vectors, so a
 * block's parameters are loaded once and every position is one fused multiply-add per vector.
 * RELU and IDENTITY are fused; other activations run over the block's positions after the store
 * (see {@link ActivationVector}), and then the padding lanes are zeroed again.
 */
public final class BlockedVector {
  private static final VectorSpecies<Float> S = FloatVector.SPECIES_PREFERRED;
  private static final int B = Blocked.B;

  private BlockedVector() {}

  /** True when a block is whole vectors (16 lanes or a multiple of the vector length). */
  public static boolean fits() {
    return B % S.length() == 0;
  }

  /** See {@link Blocked#channelAffine}; the parameters of channel {@code c} are at {@code scale[scaleOff + c]}, {@code shift[shiftOff + c]}. */
  public static void channelAffine(float[] x, int xOff, float[] y, int yOff, int n, int c, int spatial,
      float[] scale, int scaleOff, float[] shift, int shiftOff, Activation act, float alpha) {
    int nb = Blocked.blocks(c);
    for (int b = 0; b < n * nb; b++) {
      int c0 = (b % nb) * B;
      int base = b * spatial * B;
      for (int l = 0; l < B; l += S.length()) {
        VectorMask<Float> valid = S.indexInRange(c0 + l, c);
        FloatVector a = scale == null ? FloatVector.broadcast(S, 1f) : FloatVector.fromArray(S, scale, scaleOff + c0 + l, valid);
        FloatVector s = shift == null ? FloatVector.zero(S) : FloatVector.fromArray(S, shift, shiftOff + c0 + l, valid);
        a = a.blend(0f, valid.not()); // padding channels: x * 0 + 0
        if (act == Activation.RELU) {
          for (int p = 0; p < spatial; p++) {
            int i = base + p * B + l;
            FloatVector.fromArray(S, x, xOff + i).fma(a, s).max(0f).intoArray(y, yOff + i);
          }
        } else {
          for (int p = 0; p < spatial; p++) {
            int i = base + p * B + l;
            FloatVector.fromArray(S, x, xOff + i).fma(a, s).intoArray(y, yOff + i);
          }
        }
      }
      if (act != Activation.IDENTITY && act != Activation.RELU) {
        ActivationVector.applyInPlace(act, y, yOff + base, spatial * B, alpha);
        if (c0 + B > c) {
          zeroPadding(y, yOff + base, spatial, c - c0);
        }
      }
    }
  }

  /** Zeroes lanes {@code valid .. 16} of every position of one block. */
  private static void zeroPadding(float[] y, int off, int spatial, int valid) {
    for (int p = 0; p < spatial; p++) {
      java.util.Arrays.fill(y, off + p * B + valid, off + (p + 1) * B, 0f);
    }
  }
}

package dev.netc.runtime.kernels;

import jdk.incubator.vector.FloatVector;
import jdk.incubator.vector.VectorSpecies;

/** The vector path of {@link Elementwise}; bit-identical to the scalar twin except in activations. */
public final class ElementwiseVector {
  private static final VectorSpecies<Float> S = FloatVector.SPECIES_PREFERRED;

  private ElementwiseVector() {}

  /** {@code y[i] = act(a[i] + b[i])}; RELU fused, other activations as a second pass (see {@link ActivationVector}). */
  public static void add(float[] a, int aOff, float[] b, int bOff, float[] y, int yOff, int len,
      Activation act, float alpha) {
    int i = 0;
    int bound = S.loopBound(len);
    if (act == Activation.RELU) {
      for (; i < bound; i += S.length()) {
        FloatVector.fromArray(S, a, aOff + i).add(FloatVector.fromArray(S, b, bOff + i)).max(0f).intoArray(y, yOff + i);
      }
    } else {
      for (; i < bound; i += S.length()) {
        FloatVector.fromArray(S, a, aOff + i).add(FloatVector.fromArray(S, b, bOff + i)).intoArray(y, yOff + i);
      }
    }
    for (; i < len; i++) {
      float v = a[aOff + i] + b[bOff + i];
      y[yOff + i] = act == Activation.RELU ? Math.max(v, 0f) : v;
    }
    if (act != Activation.IDENTITY && act != Activation.RELU) {
      ActivationVector.applyInPlace(act, y, yOff, len, alpha);
    }
  }

  /** {@code y[i] = a[i] * b[i]}. */
  public static void mul(float[] a, int aOff, float[] b, int bOff, float[] y, int yOff, int len) {
    int i = 0;
    int bound = S.loopBound(len);
    for (; i < bound; i += S.length()) {
      FloatVector.fromArray(S, a, aOff + i).mul(FloatVector.fromArray(S, b, bOff + i)).intoArray(y, yOff + i);
    }
    for (; i < len; i++) {
      y[yOff + i] = a[aOff + i] * b[bOff + i];
    }
  }
}

package dev.netc.runtime.kernels;

import jdk.incubator.vector.FloatVector;
import jdk.incubator.vector.VectorMask;
import jdk.incubator.vector.VectorSpecies;

/** The vector path of {@link Elementwise}; bit-identical to the scalar twin except in activations. */
public final class ElementwiseVector {
  private static final VectorSpecies<Float> S = FloatVector.SPECIES_PREFERRED;

  private ElementwiseVector() {}

  /** {@code y[i] = act(a[i] + b[i])}. */
  public static void add(float[] a, int aOff, float[] b, int bOff, float[] y, int yOff, int len,
      Activation act, float alpha) {
    int i = 0;
    int bound = S.loopBound(len);
    for (; i < bound; i += S.length()) {
      FloatVector v = FloatVector.fromArray(S, a, aOff + i).add(FloatVector.fromArray(S, b, bOff + i));
      ActivationVector.apply(act, v, alpha).intoArray(y, yOff + i);
    }
    if (i < len) {
      VectorMask<Float> m = S.indexInRange(i, len);
      FloatVector v = FloatVector.fromArray(S, a, aOff + i, m).add(FloatVector.fromArray(S, b, bOff + i, m));
      ActivationVector.apply(act, v, alpha).intoArray(y, yOff + i, m);
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

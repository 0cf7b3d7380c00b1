package dev.netc.runtime.kernels;

import java.util.Random;

/** Test helpers: random data and random epilogues covering every combination of the parts. */
final class EpilogueCases {
  private EpilogueCases() {}

  /** Uniform values in [-1, 1). */
  static float[] random(Random rnd, int n) {
    float[] a = new float[n];
    for (int i = 0; i < n; i++) {
      a[i] = rnd.nextFloat() * 2f - 1f;
    }
    return a;
  }

  /**
   * The epilogue numbered {@code combo} (bits: scale, shift, bias, residual) with activation
   * {@code act}, random per-channel values for {@code channels} channels.
   */
  static Epilogue epilogue(Random rnd, int combo, Activation act, int channels) {
    Epilogue e = Epilogue.NONE;
    float[] scale = (combo & 1) != 0 ? random(rnd, channels) : null;
    float[] shift = (combo & 2) != 0 ? random(rnd, channels) : null;
    if (scale != null || shift != null) {
      e = e.withScaleShift(scale, shift);
    }
    if ((combo & 4) != 0) {
      e = e.withBias(random(rnd, channels));
    }
    e = e.withResidual((combo & 8) != 0);
    float alpha = act == Activation.LEAKY_RELU ? 0.1f : act.defaultAlpha();
    return e.withActivation(act, alpha);
  }

  /** Asserts {@code |got - want| <= abs + rel * |want|} for {@code len} elements, naming the first miss. */
  static void assertClose(float[] want, int wOff, float[] got, int gOff, int len, double abs,
      double rel, String what) {
    for (int i = 0; i < len; i++) {
      float w = want[wOff + i];
      float g = got[gOff + i];
      if (!(Math.abs(g - w) <= abs + rel * Math.abs(w))) {
        throw new AssertionError(what + ": element " + i + " expected " + w + " got " + g);
      }
    }
  }
}

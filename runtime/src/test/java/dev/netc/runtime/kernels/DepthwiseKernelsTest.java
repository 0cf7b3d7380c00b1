package dev.netc.runtime.kernels;

import static org.junit.jupiter.api.Assertions.assertEquals;

import dev.netc.runtime.exec.Executor;
import java.util.Arrays;
import java.util.Random;
import net.jqwik.api.Arbitraries;
import net.jqwik.api.Arbitrary;
import net.jqwik.api.ForAll;
import net.jqwik.api.Property;
import net.jqwik.api.Provide;
import net.jqwik.api.constraints.IntRange;

/**
 * The depthwise kernels at 0 (scalar twin), 256 and 512 bits on MobileNet-like 3x3 layers of every
 * small width, stride 1 and 2, padded or not, any channel count: each against the reference, and
 * the three widths bit for bit wherever the activation is fused. The vector epilogues apply ReLU
 * and ReLU6 as compares and blends, so values where the operators' corner cases live (NaN, -0,
 * exactly 0 and 6, beyond 6) are fed through them too.
 */
class DepthwiseKernelsTest {
  private static final int[] WIDTHS = {0, 256, 512};

  @Provide
  Arbitrary<Long> seeds() {
    return Arbitraries.longs();
  }

  /** Rows 1 to 9 wide (the 3-pixel steps, their 2-pixel tails and single pixels), both strides. */
  @Property(tries = 60)
  void narrowRowsMatchTheReferenceAndEachOther(@ForAll("seeds") long seed,
      @ForAll @IntRange(min = 0, max = 15) int combo, @ForAll Activation act,
      @ForAll @IntRange(min = 1, max = 40) int channels, @ForAll @IntRange(min = 1, max = 9) int w,
      @ForAll @IntRange(min = 1, max = 6) int h, @ForAll @IntRange(min = 1, max = 2) int stride,
      @ForAll @IntRange(min = 0, max = 1) int pad) {
    Random rnd = new Random(seed);
    if (pad == 0 && (w < 3 || h < 3)) {
      return; // no output without padding
    }
    ConvSpec spec = ConvSpec.conv2d(channels, channels, h, w, 3, 3, stride, stride, pad, pad, pad,
        pad, 1, 1, channels);
    Epilogue e = EpilogueCases.epilogue(rnd, combo, act, channels);
    float[] x = EpilogueCases.random(rnd, channels * h * w);
    float[] res = EpilogueCases.random(rnd, channels * spec.outSpatial());
    check(spec, e, x, EpilogueCases.random(rnd, spec.weightSize()), res, false);
  }

  /**
   * Inputs, weights and epilogue constants drawn from values that hit the activations' corner
   * cases: the outputs carry NaN, -0, 0, 6 and values past 6, and every width must give the
   * reference's values with the same bits.
   */
  @Property(tries = 40)
  void cornerValuesGiveTheSameBitsAtEveryWidth(@ForAll("seeds") long seed,
      @ForAll boolean residual, @ForAll Activation act,
      @ForAll @IntRange(min = 1, max = 20) int channels, @ForAll @IntRange(min = 1, max = 9) int w,
      @ForAll @IntRange(min = 1, max = 2) int stride) {
    Random rnd = new Random(seed);
    int h = 4;
    ConvSpec spec = ConvSpec.conv2d(channels, channels, h, w, 3, 3, stride, stride, 1, 1, 1, 1, 1,
        1, channels);
    float[] pick = {0f, -0f, 1f, -1f, 6f, 7f, -6f, 3f, 0.5f, Float.NaN};
    float[] x = new float[channels * h * w];
    for (int i = 0; i < x.length; i++) {
      // NaN rarely, so that most outputs stay numbers
      x[i] = rnd.nextInt(50) == 0 ? Float.NaN : pick[rnd.nextInt(pick.length - 1)];
    }
    float[] wt = new float[spec.weightSize()];
    for (int i = 0; i < wt.length; i++) {
      wt[i] = rnd.nextInt(3) == 0 ? pick[rnd.nextInt(pick.length - 1)] : 0f;
    }
    float[] scale = new float[channels];
    float[] shift = new float[channels];
    for (int c = 0; c < channels; c++) {
      scale[c] = rnd.nextBoolean() ? 1f : -1f;
      // + 0f: the fused addend is shift + bias, never -0
      shift[c] = pick[rnd.nextInt(pick.length - 1)] + 0f;
    }
    float[] res = new float[channels * spec.outSpatial()];
    for (int i = 0; i < res.length; i++) {
      res[i] = pick[rnd.nextInt(pick.length - 1)];
    }
    // every activation the vector epilogues fuse, and one drawn from all
    for (Activation a : new Activation[] {Activation.RELU, Activation.RELU6, Activation.LEAKY_RELU,
        Activation.IDENTITY, act}) {
      Epilogue e = Epilogue.NONE.withScaleShift(scale, shift).withResidual(residual)
          .withActivation(a, a == Activation.LEAKY_RELU ? 0.1f : a.defaultAlpha());
      check(spec, e, x, wt, res, true);
    }
  }

  /**
   * Runs the reference and the plans at every width on one image. {@code exact}: the reference's
   * values too must match bit for bit (small integers, whose sums are exact).
   */
  private static void check(ConvSpec spec, Epilogue e, float[] x, float[] w, float[] res,
      boolean exact) {
    int outN = spec.outChannels() * spec.outSpatial();
    float[] want = new float[outN];
    ConvReference.run(spec, w, 0, e, 1, x, 0, want, 0, res, 0);
    float[] in = ConvPlanTest.toLayout(x, 1, spec.inChannels(), spec.inSpatial(), Layout.NCHWC16);
    float[] resB = ConvPlanTest.toLayout(res, 1, spec.outChannels(), spec.outSpatial(),
        Layout.NCHWC16);
    boolean fused = FusedActivation.of(e.activation()) != FusedActivation.AFTER_STORE;
    float[][] got = new float[WIDTHS.length][];
    for (int k = 0; k < WIDTHS.length; k++) {
      ConvPlan plan = ConvPlan.create(spec, w, 0, e, Layout.NCHWC16, WIDTHS[k]);
      float[] out = new float[plan.outputSize()];
      Arrays.fill(out, Float.NaN);
      plan.run(1, in, 0, out, 0, resB, 0, Executor.serial());
      ConvPlanTest.assertPaddingZero(out, 0, 1, spec.outChannels(), spec.outSpatial(), spec);
      got[k] = new float[outN];
      LayoutConvert.toNchw(1, spec.outChannels(), spec.outSpatial(), out, 0, got[k], 0,
          Executor.serial());
      String what = WIDTHS[k] + " bits vs reference, " + spec + " " + e;
      if (exact && fused) {
        assertSameBits(want, got[k], what);
      } else {
        assertCloseOrBothNaN(want, got[k], what);
      }
    }
    if (fused) {
      assertSameBits(got[0], got[1], "256 bits vs scalar twin, " + spec + " " + e);
      assertSameBits(got[0], got[2], "512 bits vs scalar twin, " + spec + " " + e);
    }
  }

  private static void assertSameBits(float[] want, float[] got, String what) {
    for (int i = 0; i < want.length; i++) {
      // NaN payloads may differ: any NaN matches any NaN
      int a = Float.isNaN(want[i]) ? 0x7fc00000 : Float.floatToRawIntBits(want[i]);
      int b = Float.isNaN(got[i]) ? 0x7fc00000 : Float.floatToRawIntBits(got[i]);
      assertEquals(a, b, what + ": element " + i + " expected " + want[i] + " got " + got[i]);
    }
  }

  private static void assertCloseOrBothNaN(float[] want, float[] got, String what) {
    for (int i = 0; i < want.length; i++) {
      float a = want[i];
      float b = got[i];
      boolean ok = Float.isNaN(a) ? Float.isNaN(b) : Math.abs(b - a) <= 1e-4 + 1e-4 * Math.abs(a);
      if (!ok) {
        throw new AssertionError(what + ": element " + i + " expected " + a + " got " + b);
      }
    }
  }
}

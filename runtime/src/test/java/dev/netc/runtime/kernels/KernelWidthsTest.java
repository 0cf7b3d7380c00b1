package dev.netc.runtime.kernels;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;

import dev.netc.runtime.exec.Executor;
import java.util.Arrays;
import java.util.Random;
import net.jqwik.api.Arbitraries;
import net.jqwik.api.Arbitrary;
import net.jqwik.api.ForAll;
import net.jqwik.api.Property;
import net.jqwik.api.Provide;
import net.jqwik.api.constraints.IntRange;
import org.junit.jupiter.api.Test;

/**
 * Both widths of the generated conv and depthwise micro-kernels, whichever one this host uses:
 * 256 and 512 bits against {@link ConvReference} and the scalar twin, and against each other bit
 * for bit (each pixel sums the same products in the same order at either width). Where 512-bit
 * vectors are not native (AVX2) the Vector API emulates them: correct, slow, so the layers are
 * small and the tries few.
 */
class KernelWidthsTest {
  @Provide
  Arbitrary<Long> seeds() {
    return Arbitraries.longs();
  }

  @Test
  void theWidthIsChosenOncePerProcessFromThePreferredSpecies() {
    String forced = System.getProperty(PackedKernels.BITS_PROPERTY);
    int expected = forced != null ? Integer.parseInt(forced) : EpilogueVector.preferredBits() >= 512 ? 512 : 256;
    assertEquals(expected, PackedKernels.BITS);
  }

  @Test
  void theNativeWidthWinsUnlessForced() {
    assertEquals(512, PackedKernels.choose(true, 512, null), "AVX-512 host");
    assertEquals(256, PackedKernels.choose(true, 256, null), "AVX2 host");
    assertEquals(256, PackedKernels.choose(true, 1024, null) / 2, "wider species still take the 512-bit tiles");
    assertEquals(0, PackedKernels.choose(false, 0, null), "no vectors: the scalar twins");
    assertEquals(512, PackedKernels.choose(true, 256, "512"), "forced 512 on AVX2 (emulated)");
    assertEquals(256, PackedKernels.choose(true, 512, " 256"), "forced 256 on AVX-512");
    assertEquals(0, PackedKernels.choose(true, 512, "0"), "forced scalar");
    assertEquals(0, PackedKernels.choose(false, 0, "512"), "no vectors: nothing to force");
    IllegalStateException e = assertThrows(IllegalStateException.class, () -> PackedKernels.choose(true, 256, "128"));
    assertEquals("-Dnetc.kernel.bits: expected 0, 256 or 512, found \"128\"", e.getMessage());
  }

  @Property(tries = 40)
  void convolutionsMatchAtBothWidths(@ForAll("seeds") long seed,
      @ForAll @IntRange(min = 0, max = 15) int combo, @ForAll Activation act) {
    Random rnd = new Random(seed);
    ConvSpec spec = ConvPlanTest.randomSpec(rnd);
    Layout inLayout = rnd.nextInt(3) == 0 ? Layout.NCHW : Layout.NCHWC16;
    check(spec, inLayout, EpilogueCases.epilogue(rnd, combo, act, spec.outChannels()), rnd);
  }

  /**
   * Rows long enough for the widest tiles at every specialised pixel distance: stride 1 and 2 on
   * blocked (16 and 32 floats) and plain (1 and 2) inputs, and a 1x1 layer's whole image as one run.
   */
  @Property(tries = 40)
  void wideRowsMatchAtBothWidths(@ForAll("seeds") long seed,
      @ForAll @IntRange(min = 0, max = 15) int combo, @ForAll Activation act,
      @ForAll @IntRange(min = 0, max = 1) int k3, @ForAll @IntRange(min = 1, max = 2) int stride,
      @ForAll boolean blocked, @ForAll @IntRange(min = 1, max = 40) int width) {
    Random rnd = new Random(seed);
    int k = 1 + 2 * k3;
    ConvSpec spec = ConvSpec.conv2d(1 + rnd.nextInt(24), 1 + rnd.nextInt(40), 1 + rnd.nextInt(5),
        width, k, k, stride, stride, k3, k3, k3, k3, 1, 1, 1);
    Layout inLayout = blocked ? Layout.NCHWC16 : Layout.NCHW;
    check(spec, inLayout, EpilogueCases.epilogue(rnd, combo, act, spec.outChannels()), rnd);
  }

  @Property(tries = 25)
  void depthwiseLayersMatchAtBothWidths(@ForAll("seeds") long seed,
      @ForAll @IntRange(min = 0, max = 15) int combo, @ForAll Activation act,
      @ForAll @IntRange(min = 1, max = 40) int channels, @ForAll @IntRange(min = 1, max = 3) int stride,
      @ForAll @IntRange(min = 1, max = 5) int kernel, @ForAll @IntRange(min = 1, max = 2) int dilation) {
    Random rnd = new Random(seed);
    int pad = rnd.nextInt(kernel);
    ConvAxis ah = ConvAxis.of(1 + rnd.nextInt(14) + kernel * dilation, kernel, stride, pad,
        rnd.nextInt(kernel), dilation);
    ConvAxis aw = ConvAxis.of(1 + rnd.nextInt(20) + kernel * dilation, kernel, stride,
        rnd.nextInt(kernel), pad, dilation);
    ConvSpec spec = ConvSpec.conv2d(channels, channels, channels, ah, aw);
    check(spec, Layout.NCHWC16, EpilogueCases.epilogue(rnd, combo, act, channels), rnd);
  }

  /** The 3-wide stride-1 depthwise kernel: 6 pixels a step at 512 bits, 3 at 256, tails of each. */
  @Property(tries = 25)
  void depthwise3x3Stride1MatchesAtBothWidths(@ForAll("seeds") long seed,
      @ForAll @IntRange(min = 0, max = 15) int combo, @ForAll Activation act,
      @ForAll @IntRange(min = 1, max = 40) int channels, @ForAll @IntRange(min = 1, max = 9) int h,
      @ForAll @IntRange(min = 1, max = 27) int w) {
    Random rnd = new Random(seed);
    ConvSpec spec = ConvSpec.conv2d(channels, channels, h, w, 3, 3, 1, 1, 1, 1, 1, 1, 1, 1, channels);
    check(spec, Layout.NCHWC16, EpilogueCases.epilogue(rnd, combo, act, channels), rnd);
  }

  /** Runs the reference and the plans at 0, 256 and 512 bits on one image; compares. */
  private static void check(ConvSpec spec, Layout inLayout, Epilogue e, Random rnd) {
    int outN = spec.outChannels() * spec.outSpatial();
    float[] x = EpilogueCases.random(rnd, spec.inChannels() * spec.inSpatial());
    float[] w = EpilogueCases.random(rnd, spec.weightSize());
    float[] res = EpilogueCases.random(rnd, outN);
    float[] want = new float[outN];
    ConvReference.run(spec, w, 0, e, 1, x, 0, want, 0, res, 0);
    float[] in = ConvPlanTest.toLayout(x, 1, spec.inChannels(), spec.inSpatial(), inLayout);
    float[] resB = ConvPlanTest.toLayout(res, 1, spec.outChannels(), spec.outSpatial(), Layout.NCHWC16);
    int[] widths = {0, 256, 512};
    float[][] got = new float[widths.length][];
    for (int k = 0; k < widths.length; k++) {
      ConvPlan plan = ConvPlan.create(spec, w, 0, e, inLayout, widths[k]);
      float[] out = new float[plan.outputSize()];
      Arrays.fill(out, Float.NaN);
      plan.run(1, in, 0, out, 0, resB, 0, Executor.serial());
      ConvPlanTest.assertPaddingZero(out, 0, 1, spec.outChannels(), spec.outSpatial(), spec);
      got[k] = new float[outN];
      LayoutConvert.toNchw(1, spec.outChannels(), spec.outSpatial(), out, 0, got[k], 0, Executor.serial());
      EpilogueCases.assertClose(want, 0, got[k], 0, outN, 1e-4, 1e-4,
          widths[k] + " bits vs reference, " + spec + " " + inLayout + " " + e);
    }
    EpilogueCases.assertClose(got[0], 0, got[2], 0, outN, 1e-4, 1e-4, "512 bits vs scalar twin, " + spec + " " + e);
    if (FusedActivation.of(e.activation()) != FusedActivation.AFTER_STORE) {
      for (int i = 0; i < outN; i++) {
        assertEquals(Float.floatToRawIntBits(got[1][i]), Float.floatToRawIntBits(got[2][i]),
            "element " + i + ": 512 bits " + got[2][i] + ", 256 bits " + got[1][i] + ", " + spec + " " + e);
      }
    } else {
      // the activation's array kernel may take Math.exp in one call and SVML in another
      EpilogueCases.assertClose(got[1], 0, got[2], 0, outN, 1e-6, 1e-5, "512 vs 256 bits, " + spec + " " + e);
    }
  }
}

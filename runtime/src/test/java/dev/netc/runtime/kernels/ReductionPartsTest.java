package dev.netc.runtime.kernels;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.netc.runtime.exec.Executor;
import java.util.Random;
import net.jqwik.api.ForAll;
import net.jqwik.api.Property;
import net.jqwik.api.constraints.IntRange;
import org.junit.jupiter.api.Test;

/**
 * Direct convolutions whose reduction (input channels x taps) passes {@link ConvStage#CUT_ABOVE}, run in
 * parts that chain their sums through the output, against {@link ConvReference} (plain NCHW loops, double
 * accumulation) and the scalar path, which does not cut, through {@link ConvPlanTest#check}: 1x1 layers
 * (strided ones through the dense gather), 3x3 layers at stride 2 (narrow outputs through the patches, wider
 * ones direct; at 512 bits padded 7- to 9-wide outputs too) and small stride-1 outputs Winograd leaves alone, with and without padding (so border runs,
 * vertical runs and corner pixels, whose parts start and end at other steps than the rows'), channel counts that
 * are not multiples of 16, every epilogue and activation, and a residual in place in a slice of a wider tensor.
 */
class ReductionPartsTest {

  @Property(tries = 30)
  void cutReductionsMatchTheReference(@ForAll long seed, @ForAll @IntRange(min = 0, max = 15) int combo,
      @ForAll Activation act) {
    Random rnd = new Random(seed);
    ConvSpec spec = randomSpec(rnd);
    Epilogue e = EpilogueCases.epilogue(rnd, combo, act, spec.outChannels());
    ConvPlan plan = ConvPlan.create(spec, new float[spec.weightSize()], 0, e, Layout.NCHWC16);
    int steps = spec.inChannels() * spec.taps();
    assertTrue(plan.reductionPart() > 0 && plan.reductionPart() < steps, "cut: " + spec);
    ConvPlanTest.check(spec, Layout.NCHWC16, e, 1 + rnd.nextInt(2), rnd);
  }

  /** The 512-bit micro-kernels (emulated where the host has no AVX-512: slow, so few and small). */
  @Property(tries = 4)
  void cutReductionsMatchTheReferenceAt512Bits(@ForAll long seed, @ForAll @IntRange(min = 0, max = 15) int combo) {
    Random rnd = new Random(seed);
    // 6x5 outputs at stride 1: too small for Winograd, too narrow for the zero border, so border, vertical and
    // corner runs, each reducing its part of 1620-1881 steps
    ConvSpec spec = ConvSpec.conv2d(180 + rnd.nextInt(30), 1 + rnd.nextInt(40), 6, 6, 3, 3, 1, 1, 1, 1, 1, 0, 1, 1, 1);
    Epilogue e = EpilogueCases.epilogue(rnd, combo, Activation.RELU, spec.outChannels());
    ConvPlanTest.ReferenceCase rc = ConvPlanTest.ReferenceCase.of(spec, e, 1, rnd);
    ConvPlan plan = ConvPlan.create(spec, rc.w(), 0, e, Layout.NCHWC16, 512);
    assertTrue(plan.reductionPart() > 0, spec.toString());
    float[] got = ConvPlanTest.runBlocked(plan, spec, 1, rc.x(), rc.res(), Executor.serial());
    EpilogueCases.assertClose(rc.want(), 0, got, 0, rc.want().length, 1e-4, 1e-4, "512 bits, " + spec + " " + e);
  }

  /** A residual read from the output itself, in a slice of a wider tensor: the parts chain in place. */
  @Property(tries = 10)
  void residualInPlaceIntoASliceOfAWiderTensor(@ForAll long seed) {
    Random rnd = new Random(seed);
    ConvSpec spec = randomSpec(rnd);
    ConvPlanTest.checkResidualInPlace(spec, rnd, plan -> assertTrue(plan.reductionPart() > 0, spec.toString()));
  }

  /** Which layers are cut, and into parts of at most {@link ConvStage#PART_STEPS} steps, multiples of 16. */
  @Test
  void longReductionsOnlyAreCutIntoEvenParts() {
    // ResNet-50's layer4.0.conv2 (512 channels x 9 taps): 5 parts of 928 steps (the last 896)
    assertEquals(928, part(ConvSpec.conv2d(512, 512, 14, 14, 3, 3, 2, 2, 1, 1, 1, 1, 1, 1, 1)));
    // layer4.1.conv1 (2048 -> 512, 1x1): 2 parts of 1024
    assertEquals(1024, part(ConvSpec.conv2d(2048, 512, 7, 7, 1, 1, 1, 1, 0, 0, 0, 0, 1, 1, 1)));
    // layer3.0.conv2 (256 x 9 = 2304): 3 parts of 768
    assertEquals(768, part(ConvSpec.conv2d(256, 256, 28, 28, 3, 3, 2, 2, 1, 1, 1, 1, 1, 1, 1)));
    // 1536 steps and fewer run whole; so do grouped layers
    assertEquals(0, part(ConvSpec.conv2d(1536, 64, 7, 7, 1, 1, 1, 1, 0, 0, 0, 0, 1, 1, 1)));
    assertEquals(0, part(ConvSpec.conv2d(1024, 512, 14, 14, 1, 1, 2, 2, 0, 0, 0, 0, 1, 1, 1)));
    assertEquals(0, part(ConvSpec.conv2d(4096, 64, 7, 7, 1, 1, 1, 1, 0, 0, 0, 0, 1, 1, 2)));
  }

  private static int part(ConvSpec spec) {
    return ConvPlan.create(spec, new float[spec.weightSize()], 0, Epilogue.NONE, Layout.NCHWC16).reductionPart();
  }

  /** A layer with more than 1536 reduction steps that the direct path runs, outputs of 1 to 9 pixels a side. */
  private static ConvSpec randomSpec(Random rnd) {
    int cout = 1 + rnd.nextInt(40);
    switch (rnd.nextInt(3)) {
      case 0 -> {
        // 1x1, stride 1 or 2
        int s = 1 + rnd.nextInt(2);
        int h = 1 + rnd.nextInt(9);
        int w = 1 + rnd.nextInt(9);
        return ConvSpec.conv2d(1540 + rnd.nextInt(600), cout, (h - 1) * s + 1, (w - 1) * s + 1, 1, 1, s, s,
            0, 0, 0, 0, 1, 1, 1);
      }
      case 1 -> {
        // 3x3 stride 2, padding 0 to 1 on each side; outputs under 10 wide (7 at 512 bits, if padded) take the
        // patches (a 1x1 form), wider ones the direct path (and check's border-run form)
        int[] pad = {rnd.nextInt(2), rnd.nextInt(2), rnd.nextInt(2), rnd.nextInt(2)};
        int h = 1 + rnd.nextInt(9);
        int w = 1 + rnd.nextInt(9) + (rnd.nextBoolean() ? 9 : 0);
        return ConvSpec.conv2d(172 + rnd.nextInt(60), cout, 2 * h + 1 - pad[0] - pad[2], 2 * w + 1 - pad[1] - pad[3],
            3, 3, 2, 2, pad[0], pad[1], pad[2], pad[3], 1, 1, 1);
      }
      default -> {
        // 3x3 stride 1 with an output too small for Winograd (under 7 pixels a side), padding 0 to 2
        int[] pad = {rnd.nextInt(3), rnd.nextInt(3), rnd.nextInt(3), rnd.nextInt(3)};
        int h = 1 + rnd.nextInt(6);
        int w = 1 + rnd.nextInt(6);
        if (h + 2 - pad[0] - pad[2] < 1) {
          pad[0] = 0;
          pad[2] = 0;
        }
        if (w + 2 - pad[1] - pad[3] < 1) {
          pad[1] = 0;
          pad[3] = 0;
        }
        return ConvSpec.conv2d(172 + rnd.nextInt(60), cout, h + 2 - pad[0] - pad[2], w + 2 - pad[1] - pad[3],
            3, 3, 1, 1, pad[0], pad[1], pad[2], pad[3], 1, 1, 1);
      }
    }
  }
}

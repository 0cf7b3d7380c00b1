package dev.netc.runtime.kernels;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.netc.runtime.exec.Executor;
import dev.netc.runtime.exec.WorkerPool;
import java.util.Arrays;
import java.util.Random;
import net.jqwik.api.ForAll;
import net.jqwik.api.Property;
import net.jqwik.api.constraints.IntRange;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.Test;

/**
 * 3x3 stride-1 layers by Winograd's F(2x2, 3x3) against {@link ConvReference} (plain NCHW loops,
 * double accumulation) and the direct scalar path, through {@link ConvPlanTest#check}: odd and even
 * output sizes (a last tile row or column half outside), asymmetric padding from 0 to 2, channel
 * counts that are not multiples of 16 (the input's padding channels hold NaN), every epilogue, a
 * residual in place and an output slice, and inputs with NaN and infinities (computed directly,
 * as PyTorch's loops would).
 */
class WinogradStageTest {
  private static final WorkerPool POOL = new WorkerPool(3);

  @AfterAll
  static void stop() {
    POOL.close();
  }

  /** A random layer Winograd applies to: 32 to 70 input channels, outputs from 7x7 to 17x17. */
  static ConvSpec randomSpec(Random rnd) {
    return randomSpec(rnd, 32);
  }

  /** As {@link #randomSpec(Random)}, from {@code cinFrom} input channels (128: plans choose Winograd at either width). */
  static ConvSpec randomSpec(Random rnd, int cinFrom) {
    int outH = 7 + rnd.nextInt(11);
    int outW = 7 + rnd.nextInt(11);
    int[] pad = {rnd.nextInt(3), rnd.nextInt(3), rnd.nextInt(3), rnd.nextInt(3)};
    int cin = cinFrom + rnd.nextInt(39);
    int cout = 1 + rnd.nextInt(80);
    // pad: top, left, bottom, right
    return ConvSpec.conv2d(cin, cout, outH + 2 - pad[0] - pad[2], outW + 2 - pad[1] - pad[3], 3, 3, 1, 1,
        pad[0], pad[1], pad[2], pad[3], 1, 1, 1);
  }

  @Property(tries = 60)
  void layersMatchTheReference(@ForAll long seed, @ForAll @IntRange(min = 0, max = 15) int combo,
      @ForAll Activation act) {
    Random rnd = new Random(seed);
    ConvSpec spec = randomSpec(rnd);
    Epilogue e = EpilogueCases.epilogue(rnd, combo, act, spec.outChannels());
    checkForced(spec, e, 1 + rnd.nextInt(2), PackedKernels.BITS, 2, 1 + rnd.nextInt(2), rnd);
  }

  /**
   * A plan of {@code spec} forced to {@code tile x tile} Winograd tiles with {@code bits}-wide kernels, run on
   * {@code threads}, against the reference.
   */
  private static void checkForced(ConvSpec spec, Epilogue e, int batch, int bits, int tile, int threads, Random rnd) {
    ConvPlanTest.ReferenceCase rc = ConvPlanTest.ReferenceCase.of(spec, e, batch, rnd);
    ConvPlan plan = ConvPlan.create(spec, rc.w(), 0, e, Layout.NCHWC16, bits, tile);
    assertTrue(plan.winograd(), "Winograd applies to " + spec);
    float[] got;
    try (Executor ex = Executor.create(POOL, threads)) {
      got = ConvPlanTest.runBlocked(plan, spec, batch, rc.x(), rc.res(), ex);
    }
    EpilogueCases.assertClose(rc.want(), 0, got, 0, rc.want().length, 1e-4, 1e-4,
        tile + "x" + tile + " tiles, " + bits + " bits, " + spec + " " + e);
  }

  /** F(4x4, 3x3), which the plans choose for outputs of 28x28 and more, on the smaller layers of these tests. */
  @Property(tries = 40)
  void fourByFourTilesMatchTheReference(@ForAll long seed, @ForAll @IntRange(min = 0, max = 15) int combo,
      @ForAll Activation act) {
    Random rnd = new Random(seed);
    ConvSpec spec = randomSpec(rnd);
    int batch = 1 + rnd.nextInt(2);
    Epilogue e = EpilogueCases.epilogue(rnd, combo, act, spec.outChannels());
    checkForced(spec, e, batch, PackedKernels.BITS, 4, 1 + rnd.nextInt(3), rnd);
  }

  /** 16 to 31 input channels, which take Winograd with 4x4 tiles only (outputs from 24x24). */
  @Property(tries = 8)
  void narrowInputsWithFourByFourTilesMatchTheReference(@ForAll long seed, @ForAll @IntRange(min = 0, max = 15) int combo) {
    Random rnd = new Random(seed);
    ConvSpec spec = ConvSpec.conv2d(16 + rnd.nextInt(16), 1 + rnd.nextInt(40), 24 + rnd.nextInt(4), 24 + rnd.nextInt(4),
        3, 3, 1, 1, 1, 1, 1, 1, 1, 1, 1);
    Epilogue e = EpilogueCases.epilogue(rnd, combo, Activation.RELU, spec.outChannels());
    assertTrue(ConvPlan.create(spec, new float[spec.weightSize()], 0, e, Layout.NCHWC16).winograd(), spec.toString());
    ConvPlanTest.check(spec, Layout.NCHWC16, e, 1, rnd);
  }

  /**
   * Layers whose tiles fall into several ranges, cut in the middle of a tile row, on 1 to 3 threads: each range's
   * transformed input is made by the participant that first needs it and reused by its next chunks of that range.
   */
  @Test
  void rangesCutInsideTileRowsMatchTheReference() {
    Random rnd = new Random(11);
    // more tiles than (padded) output channels: 13x11 outputs are 7 x 6 = 42 tiles, in 2 ranges of 21; 21x19 are
    // 11 x 10 = 110 tiles, in 4 ranges of 28 (with 3 and 6 output blocks: a last pair of one block)
    for (int[] hwc : new int[][] {{13, 11, 24}, {21, 19, 40}, {21, 19, 96}}) {
      int cout = hwc[2];
      // 128 input channels: plans take 2x2 tiles at either width
      ConvSpec spec = ConvSpec.conv2d(128, cout, hwc[0], hwc[1], 3, 3, 1, 1, 1, 1, 1, 1, 1, 1, 1);
      assertTrue(WinogradStage.chosen(spec, Layout.NCHWC16, PackedKernels.BITS), "the plans check() makes take it");
      WinogradStage st = new WinogradStage(spec, new float[spec.weightSize()], 0);
      int tilesW = (hwc[1] + 1) / 2;
      assertTrue(st.groups() > 1 && st.rangeTiles() % tilesW != 0, st.groups() + " ranges of " + st.rangeTiles());
      for (int combo = 0; combo < 16; combo += 3) {
        ConvPlanTest.check(spec, Layout.NCHWC16, EpilogueCases.epilogue(rnd, combo, Activation.RELU6, cout), 2, rnd);
      }
    }
  }

  /**
   * A participant reuses its transformed input only within one call, image and range: a second call with another
   * input, on the same executor, and every image of a batch give what each image gives alone.
   */
  @Test
  void transformedInputsAreNotReusedAcrossCallsOrImages() {
    Random rnd = new Random(17);
    // one range (16 tiles for 64 channels): on one thread, every chunk after the first finds a key of the same
    // range, so only the call and the image tell them apart; and two ranges (49 tiles for 48 channels)
    for (int[] shape : new int[][] {{64, 8}, {48, 14}}) {
      int cout = shape[0];
      ConvSpec spec = ConvSpec.conv2d(96, cout, shape[1], shape[1], 3, 3, 1, 1, 1, 1, 1, 1, 1, 1, 1);
      float[] w = EpilogueCases.random(rnd, spec.weightSize());
      Epilogue e = Epilogue.NONE.withBias(EpilogueCases.random(rnd, cout)).withActivation(Activation.RELU);
      ConvPlan plan = ConvPlan.create(spec, w, 0, e, Layout.NCHWC16, PackedKernels.BITS, 2);
      assertTrue(plan.winograd());
      assertEquals(cout == 64 ? 1 : 2, new WinogradStage(spec, w, 0, 2).groups(), "ranges of " + spec);
      int batch = 3;
      float[] x = EpilogueCases.random(rnd, batch * spec.inChannels() * spec.inSpatial());
      float[] in = ConvPlanTest.toLayout(x, batch, spec.inChannels(), spec.inSpatial(), Layout.NCHWC16);
      for (int threads = 1; threads <= 3; threads++) {
        float[] all = new float[batch * plan.outputSize()];
        float[] one = new float[plan.outputSize()];
        try (Executor ex = Executor.create(POOL, threads)) {
          plan.run(batch, in, 0, all, 0, null, 0, ex);
          for (int n = 0; n < batch; n++) {
            plan.run(1, in, n * plan.inputSize(), one, 0, null, 0, ex);
            assertTrue(Arrays.equals(one, 0, one.length, all, n * one.length, (n + 1) * one.length),
                "image " + n + ", " + threads + " threads, " + spec);
            float[] want = new float[spec.outChannels() * spec.outSpatial()];
            ConvReference.run(spec, w, 0, e, 1, x, n * spec.inChannels() * spec.inSpatial(), want, 0, null, 0);
            float[] got = new float[want.length];
            LayoutConvert.toNchw(1, spec.outChannels(), spec.outSpatial(), one, 0, got, 0, Executor.serial());
            EpilogueCases.assertClose(want, 0, got, 0, want.length, 1e-4, 1e-4, "image " + n + " alone, " + spec);
          }
        }
      }
    }
  }

  /** The 512-bit micro-kernels (emulated where the host has no AVX-512: slow, so few and small). */
  @Property(tries = 6)
  void layersMatchTheReferenceAt512Bits(@ForAll long seed, @ForAll @IntRange(min = 0, max = 15) int combo) {
    Random rnd = new Random(seed);
    ConvSpec spec = ConvSpec.conv2d(32 + rnd.nextInt(20), 1 + rnd.nextInt(40), 9, 9, 3, 3, 1, 1, 1, 1, 1, 0, 1, 1, 1);
    Epilogue e = EpilogueCases.epilogue(rnd, combo, Activation.RELU, spec.outChannels());
    checkForced(spec, e, 1, 512, 2 + 2 * rnd.nextInt(2), 1, rnd);
  }

  @Property(tries = 15)
  void residualInPlaceIntoASliceOfAWiderTensor(@ForAll long seed) {
    Random rnd = new Random(seed);
    ConvPlanTest.checkResidualInPlace(randomSpec(rnd, 128), rnd, plan -> assertTrue(plan.winograd()));
  }

  /** NaN and infinities reach exactly the outputs whose window holds them, with the reference's values. */
  @Property(tries = 20)
  void nonFiniteInputsGiveTheReferenceResult(@ForAll long seed) {
    Random rnd = new Random(seed);
    ConvSpec spec = randomSpec(rnd);
    Epilogue e = Epilogue.NONE.withBias(EpilogueCases.random(rnd, spec.outChannels()));
    float[] x = EpilogueCases.random(rnd, spec.inChannels() * spec.inSpatial());
    float[] bad = {Float.NaN, Float.POSITIVE_INFINITY, Float.NEGATIVE_INFINITY};
    for (int k = 0; k < 1 + rnd.nextInt(4); k++) {
      x[rnd.nextInt(x.length)] = bad[rnd.nextInt(3)];
    }
    float[] w = EpilogueCases.random(rnd, spec.weightSize());
    float[] want = new float[spec.outChannels() * spec.outSpatial()];
    ConvReference.run(spec, w, 0, e, 1, x, 0, want, 0, null, 0);
    ConvPlan plan = ConvPlan.create(spec, w, 0, e, Layout.NCHWC16, PackedKernels.BITS, 2 + 2 * rnd.nextInt(2));
    assertTrue(plan.winograd());
    float[] got;
    try (Executor ex = Executor.create(POOL, 1 + rnd.nextInt(3))) {
      got = ConvPlanTest.runBlocked(plan, spec, 1, x, null, ex);
    }
    for (int i = 0; i < want.length; i++) {
      if (Float.isFinite(want[i])) {
        assertTrue(Math.abs(got[i] - want[i]) <= 1e-4 + 1e-4 * Math.abs(want[i]),
            "element " + i + ": expected " + want[i] + " got " + got[i] + ", " + spec);
      } else {
        assertEquals(want[i], got[i], "element " + i + ", " + spec);
      }
    }
  }

  /** The blocked input's padding channels (NaN in these tests) do not send a chunk to the direct fallback. */
  @Test
  void paddingChannelsAreNotCheckedForFiniteness() {
    for (int m : new int[] {2, 4}) {
      Random rnd = new Random(3);
      ConvSpec spec = ConvSpec.conv2d(40, 24, 10, 10, 3, 3, 1, 1, 1, 1, 1, 1, 1, 1, 1);
      WinogradStage st = new WinogradStage(spec, EpilogueCases.random(rnd, spec.weightSize()), 0, m);
      float[] x = EpilogueCases.random(rnd, spec.inChannels() * spec.inSpatial());
      float[] in = ConvPlanTest.toLayout(x, 1, 40, spec.inSpatial(), Layout.NCHWC16);
      float[] v = new float[st.scratchFloats()];
      float[] patch = new float[36 * 16];
      int tiles = (10 + m - 1) / m; // the first tile row, which reads input rows 0 to m
      assertTrue(st.transformInput(in, 0, 0, tiles, 0, 3, v, 0, patch, 0), m + "x" + m);
      in[2 * 100 * 16 + 12 * 16 + 3] = Float.POSITIVE_INFINITY; // channel 35 (a real one) of pixel (1, 2)
      assertFalse(st.transformInput(in, 0, 0, tiles, 0, 3, v, 0, patch, 0), m + "x" + m);
      assertTrue(st.transformInput(in, 0, 0, tiles, 0, 2, v, 0, patch, 0), "blocks 0 and 1 are finite");
    }
  }

  @Test
  void appliesToWideEnoughStride1Layers() {
    assertTrue(WinogradStage.applies(conv(16, 7, 1, 1, 1), Layout.NCHWC16));
    assertFalse(WinogradStage.applies(conv(15, 8, 1, 1, 1), Layout.NCHWC16), "too few input channels");
    assertFalse(WinogradStage.applies(conv(32, 6, 1, 1, 1), Layout.NCHWC16), "a 6x6 output");
    assertFalse(WinogradStage.applies(conv(32, 16, 2, 1, 1), Layout.NCHWC16), "stride 2");
    assertFalse(WinogradStage.applies(conv(32, 16, 1, 2, 1), Layout.NCHWC16), "dilation 2");
    assertFalse(WinogradStage.applies(conv(32, 16, 1, 1, 2), Layout.NCHWC16), "2 groups");
    assertFalse(WinogradStage.applies(conv(32, 16, 1, 1, 1), Layout.NCHW), "an NCHW input");
    assertFalse(ConvPlan.create(conv(32, 16, 1, 1, 1), new float[32 * 32 * 9], 0, Epilogue.NONE, Layout.NCHWC16, 256,
        0).winograd(), "switched off");
    assertEquals(2, WinogradStage.outputTile(conv(32, 23, 1, 1, 1)));
    assertEquals(4, WinogradStage.outputTile(conv(32, 24, 1, 1, 1)));
  }

  /** Which layers the plans take Winograd for by themselves: input channels by tile size and vector width. */
  @Test
  void choosesWinogradWhereItIsFaster() {
    for (int bits : new int[] {256, 512}) {
      assertTrue(WinogradStage.chosen(conv(16, 24, 1, 1, 1), Layout.NCHWC16, bits), "16 channels, 4x4 tiles");
      assertFalse(WinogradStage.chosen(conv(15, 24, 1, 1, 1), Layout.NCHWC16, bits), "15 channels");
      assertFalse(WinogradStage.chosen(conv(16, 23, 1, 1, 1), Layout.NCHWC16, bits), "16 channels, 2x2 tiles");
      assertTrue(WinogradStage.chosen(conv(128, 7, 1, 1, 1), Layout.NCHWC16, bits), "128 channels, 2x2 tiles");
      assertFalse(WinogradStage.chosen(conv(128, 7, 2, 1, 1), Layout.NCHWC16, bits), "stride 2");
    }
    // 2x2 tiles: from 32 input channels at 256 bits, from 64 at 512 (SqueezeNet's 48 at 13x13 goes direct)
    assertTrue(WinogradStage.chosen(conv(32, 13, 1, 1, 1), Layout.NCHWC16, 256));
    assertFalse(WinogradStage.chosen(conv(31, 13, 1, 1, 1), Layout.NCHWC16, 256));
    assertTrue(WinogradStage.chosen(conv(64, 13, 1, 1, 1), Layout.NCHWC16, 512));
    assertFalse(WinogradStage.chosen(conv(63, 13, 1, 1, 1), Layout.NCHWC16, 512));
    assertFalse(ConvPlan.create(conv(48, 13, 1, 1, 1), new float[48 * 32 * 9], 0, Epilogue.NONE, Layout.NCHWC16, 512,
        -1).winograd(), "48 channels at 13x13, 512 bits");
    assertTrue(ConvPlan.create(conv(48, 13, 1, 1, 1), new float[48 * 32 * 9], 0, Epilogue.NONE, Layout.NCHWC16, 256,
        -1).winograd(), "48 channels at 13x13, 256 bits");
    assertTrue(ConvPlan.create(conv(48, 13, 1, 1, 1), new float[48 * 32 * 9], 0, Epilogue.NONE, Layout.NCHWC16, 512,
        2).winograd(), "forced 2x2 tiles");
  }

  /** A padded 3x3 layer, 32 channels in and out, whose output is {@code out x out} at stride 1. */
  private static ConvSpec conv(int cin, int out, int stride, int dilation, int groups) {
    int in = (out - 1) * stride + 2 * dilation + 1 - 2;
    return ConvSpec.conv2d(cin, 32, in, in, 3, 3, stride, stride, 1, 1, 1, 1, dilation, dilation, groups);
  }
}

package dev.netc.runtime.kernels;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.netc.runtime.exec.Executor;
import dev.netc.runtime.exec.WorkerPool;
import java.util.Random;
import net.jqwik.api.ForAll;
import net.jqwik.api.Property;
import net.jqwik.api.constraints.IntRange;
import org.junit.jupiter.api.Test;

/**
 * Strided 2-D convolutions with narrow outputs, which run over each output pixel's input window copied side by side
 * ({@link ConvGather}'s patches kind) as a 1x1 convolution, against {@link ConvReference} (plain NCHW loops, double
 * accumulation) and the scalar path through {@link ConvPlanTest#check}: kernels of 2 to 5 taps a side, strides 2
 * and 3, dilation 1 and 2, asymmetric padding (taps in the padding), channel counts that are not multiples of 16
 * (the input's padding lanes hold NaN), reductions long enough to be cut into parts, every epilogue.
 */
class ConvGatherPatchesTest {
  /** {@link ConvGather#PAD_MIN_OUT_WIDTH} at 256 bits: narrower strided outputs take the patches. */
  private static final int WIDTH_256 = 10;
  private static final WorkerPool POOL = new WorkerPool(1);

  @org.junit.jupiter.api.AfterAll
  static void stop() {
    POOL.close();
  }

  @Property(tries = 40)
  void narrowStridedLayersMatchTheReference(@ForAll long seed, @ForAll @IntRange(min = 0, max = 15) int combo,
      @ForAll Activation act) {
    Random rnd = new Random(seed);
    int k = 2 + rnd.nextInt(4);
    int s = 2 + rnd.nextInt(2);
    int d = 1 + rnd.nextInt(2);
    int[] pad = {rnd.nextInt(k), rnd.nextInt(k), rnd.nextInt(k), rnd.nextInt(k)};
    int outH = 1 + rnd.nextInt(9);
    int outW = 1 + rnd.nextInt(9);
    int span = d * (k - 1) + 1;
    int inH = Math.max(1, (outH - 1) * s + span - pad[0] - pad[2]);
    int inW = Math.max(1, (outW - 1) * s + span - pad[1] - pad[3]);
    int cin = rnd.nextInt(4) == 0 ? 150 + rnd.nextInt(100) : 1 + rnd.nextInt(40);
    ConvSpec spec = ConvSpec.conv2d(cin, 1 + rnd.nextInt(40), inH, inW, k, k, s, s, pad[0], pad[1], pad[2],
        pad[3], d, d, 1);
    ConvGather g = ConvGather.of(spec, Layout.NCHWC16, ConvGather.PAD_MAX_OUT_PIXELS, WIDTH_256,
        ConvGather.PAD_MIN_BORDER_SHARE);
    assertNotNull(g, spec.toString());
    assertTrue(patches(g), spec.toString());
    ConvPlanTest.check(spec, Layout.NCHWC16, EpilogueCases.epilogue(rnd, combo, act, spec.outChannels()),
        1 + rnd.nextInt(2), rnd);
  }

  /**
   * The copy is made in the executor's shared scratch: what an earlier call left there (NaN from a layer of 32
   * channels here, in the lanes that are padding for this one's 20) must not show.
   */
  @Test
  void staleScratchDoesNotReachTheOutput() {
    Random rnd = new Random(5);
    ConvSpec spec = ConvSpec.conv2d(20, 8, 9, 9, 3, 3, 2, 2, 1, 1, 1, 1, 1, 1, 1);
    Epilogue e = Epilogue.NONE;
    float[] x = EpilogueCases.random(rnd, spec.inChannels() * spec.inSpatial());
    float[] w = EpilogueCases.random(rnd, spec.weightSize());
    float[] want = new float[spec.outChannels() * spec.outSpatial()];
    ConvReference.run(spec, w, 0, e, 1, x, 0, want, 0, null, 0);
    ConvPlan plan = ConvPlan.create(spec, w, 0, e, Layout.NCHWC16);
    ConvSpec wider = ConvSpec.conv2d(32, 8, 9, 9, 3, 3, 2, 2, 1, 1, 1, 1, 1, 1, 1);
    ConvPlan before = ConvPlan.create(wider, new float[wider.weightSize()], 0, e, Layout.NCHWC16);
    float[] nan = new float[before.inputSize()];
    java.util.Arrays.fill(nan, Float.NaN);
    float[] out = new float[plan.outputSize()];
    try (Executor ex = Executor.create(POOL, 1)) {
      before.run(1, nan, 0, out, 0, null, 0, ex);
      plan.run(1, ConvPlanTest.toLayout(x, 1, spec.inChannels(), spec.inSpatial(), Layout.NCHWC16), 0, out, 0,
          null, 0, ex);
    }
    float[] got = new float[want.length];
    LayoutConvert.toNchw(1, spec.outChannels(), spec.outSpatial(), out, 0, got, 0, Executor.serial());
    EpilogueCases.assertClose(want, 0, got, 0, want.length, 1e-4, 1e-4, "after a call with NaN inputs");
  }

  /** A batch whose copy would pass {@link ConvPlan#SHARED_MAX_FLOATS} runs in slices, each image as alone. */
  @Test
  void largeBatchesRunInSlices() {
    Random rnd = new Random(23);
    // 6-wide outputs: the patches at either width
    ConvSpec spec = ConvSpec.conv2d(512, 16, 12, 12, 3, 3, 2, 2, 1, 1, 1, 1, 1, 1, 1);
    ConvGather g = kind(spec);
    assertTrue(patches(g) && ConvGather.padMinOutWidth(512) > spec.outWidth());
    int batch = (int) (ConvPlan.SHARED_MAX_FLOATS / g.image()) + 2; // two slices, the second of 2 images
    float[] w = EpilogueCases.random(rnd, spec.weightSize());
    Epilogue e = Epilogue.NONE.withBias(EpilogueCases.random(rnd, 16)).withActivation(Activation.RELU);
    ConvPlan plan = ConvPlan.create(spec, w, 0, e, Layout.NCHWC16);
    float[] in = EpilogueCases.random(rnd, batch * plan.inputSize());
    float[] out = new float[batch * plan.outputSize()];
    float[] alone = new float[plan.outputSize()];
    try (Executor ex = Executor.create(POOL, 1)) {
      plan.run(batch, in, 0, out, 0, null, 0, ex);
      for (int n : new int[] {0, batch - 3, batch - 2, batch - 1}) {
        plan.run(1, in, n * plan.inputSize(), alone, 0, null, 0, ex);
        for (int i = 0; i < alone.length; i++) {
          assertEquals(alone[i], out[n * plan.outputSize() + i], "image " + n + " of " + batch + ", float " + i);
        }
      }
    }
    // and the last image against the reference (its padding lanes are random here: only the real channels count)
    float[] x = new float[spec.inChannels() * spec.inSpatial()];
    LayoutConvert.toNchw(1, spec.inChannels(), spec.inSpatial(), in, (batch - 1) * plan.inputSize(), x, 0,
        Executor.serial());
    float[] want = new float[spec.outChannels() * spec.outSpatial()];
    ConvReference.run(spec, w, 0, e, 1, x, 0, want, 0, null, 0);
    float[] got = new float[want.length];
    LayoutConvert.toNchw(1, 16, spec.outSpatial(), out, (batch - 1) * plan.outputSize(), got, 0, Executor.serial());
    EpilogueCases.assertClose(want, 0, got, 0, want.length, 1e-4, 1e-4, "the last image of " + batch);
  }

  /**
   * At 256 bits, ResNet's stride-2 3x3 layers at 7x7 take the patches, 14x14 ones the zero border; 1x1 ones the
   * dense copy. At 512 bits (7-pixel tiles) the 7x7 ones take the zero border too.
   */
  @Test
  void whichLayersTakeThePatches() {
    ConvSpec l4 = ConvSpec.conv2d(512, 512, 14, 14, 3, 3, 2, 2, 1, 1, 1, 1, 1, 1, 1);
    ConvGather at512 = ConvGather.of(l4, Layout.NCHWC16, ConvGather.PAD_MAX_OUT_PIXELS, 7,
        ConvGather.PAD_MIN_BORDER_SHARE);
    assertTrue(at512 != null && !patches(at512));
    assertTrue(patches(kind(ConvSpec.conv2d(512, 512, 14, 14, 3, 3, 2, 2, 1, 1, 1, 1, 1, 1, 1))));
    assertTrue(patches(kind(ConvSpec.conv2d(256, 512, 14, 14, 3, 3, 2, 2, 1, 1, 1, 1, 1, 1, 1))));
    assertTrue(!patches(kind(ConvSpec.conv2d(256, 256, 28, 28, 3, 3, 2, 2, 1, 1, 1, 1, 1, 1, 1))));
    assertTrue(!patches(kind(ConvSpec.conv2d(1024, 2048, 14, 14, 1, 1, 2, 2, 0, 0, 0, 0, 1, 1, 1))));
    // a 3-D layer padded along a depth of 1 reads padding there: not the patches
    ConvSpec padded3d = new ConvSpec(3, false, 16, 16, 1, ConvAxis.of(1, 1, 1, 1, 0, 1),
        ConvAxis.of(14, 3, 2, 1, 1, 1), ConvAxis.of(14, 3, 2, 1, 1, 1));
    ConvGather g = kind(padded3d);
    assertTrue(g == null || !patches(g), padded3d.toString());
    // 9 taps x 512 channels: one input channel of the 1x1 form per (tap, channel)
    assertEquals(9 * 512, kind(ConvSpec.conv2d(512, 512, 14, 14, 3, 3, 2, 2, 1, 1, 1, 1, 1, 1, 1))
        .stageSpec().inChannels());
  }

  /**
   * The zero border is copied where enough output windows reach into the padding: a 3x3 stride-1 layer at 28x28
   * (its 108 border pixels of 784), a stride-2 one from 28x28 to 14x14 (27 of 196: the top row and left column),
   * but not a stride-2 one from 56x56 to 28x28 (55 of 784).
   */
  @Test
  void whichLayersTakeTheZeroBorder() {
    ConvSpec s1 = ConvSpec.conv2d(128, 128, 28, 28, 3, 3, 1, 1, 1, 1, 1, 1, 1, 1, 1);
    ConvSpec s2at14 = ConvSpec.conv2d(256, 256, 28, 28, 3, 3, 2, 2, 1, 1, 1, 1, 1, 1, 1);
    ConvSpec s2at28 = ConvSpec.conv2d(128, 128, 56, 56, 3, 3, 2, 2, 1, 1, 1, 1, 1, 1, 1);
    assertEquals(108, ConvGather.borderPixels(s1));
    assertEquals(27, ConvGather.borderPixels(s2at14));
    assertEquals(55, ConvGather.borderPixels(s2at28));
    assertEquals(0, ConvGather.borderPixels(ConvSpec.conv2d(16, 16, 9, 9, 3, 3, 1, 1, 0, 0, 0, 0, 1, 1, 1)));
    assertTrue(kind(s1) != null && !patches(kind(s1)));
    assertTrue(kind(s2at14) != null && !patches(kind(s2at14)));
    assertEquals(null, kind(s2at28));
  }

  /** The copy a layer takes with the 256-bit kernels. */
  private static ConvGather kind(ConvSpec spec) {
    return ConvGather.of(spec, Layout.NCHWC16, ConvGather.PAD_MAX_OUT_PIXELS, WIDTH_256,
        ConvGather.PAD_MIN_BORDER_SHARE);
  }

  /** Whether {@code g} is the patches kind of copy. */
  private static boolean patches(ConvGather g) {
    return g.kind() == ConvGather.Kind.PATCHES;
  }
}

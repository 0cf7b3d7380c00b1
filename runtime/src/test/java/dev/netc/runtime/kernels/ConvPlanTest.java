package dev.netc.runtime.kernels;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;
import static org.junit.jupiter.api.Assumptions.assumeTrue;

import dev.netc.runtime.exec.Executor;
import dev.netc.runtime.exec.WorkerPool;
import java.util.Arrays;
import java.util.Random;
import net.jqwik.api.Arbitraries;
import net.jqwik.api.Arbitrary;
import net.jqwik.api.ForAll;
import net.jqwik.api.Property;
import net.jqwik.api.Provide;
import net.jqwik.api.constraints.IntRange;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.Test;

/**
 * Convolution plans, vector path and scalar path, against {@link ConvReference} (plain NCHW loops,
 * double accumulation) on random layers: 1-, 2- and 3-D, plain and transposed, strides,
 * dilations, asymmetric padding, output padding, groups, depthwise with and without multiplier,
 * channel counts that are not multiples of 16, outputs narrower than a tile, both input layouts
 * and every epilogue combination. Padding channels of blocked inputs hold NaN, so a kernel that
 * read them would fail. Tolerances: 1e-4 + 1e-4·|expected| against the reference, and the same
 * between the vector path and its scalar twin: both sum up to a few thousand float products in
 * different orders, so on a result near zero after cancellation (a 3-D layer with 40 channels and
 * 27 taps sums 1080 terms) they may differ by a few 1e-5 while each stays close to the reference.
 */
class ConvPlanTest {
  private static final WorkerPool POOL = new WorkerPool(3);

  @AfterAll
  static void stop() {
    POOL.close();
  }

  @Provide
  Arbitrary<Long> seeds() {
    return Arbitraries.longs();
  }

  @Property(tries = 250)
  void plansMatchTheReference(@ForAll("seeds") long seed,
      @ForAll @IntRange(min = 0, max = 15) int combo, @ForAll Activation act) {
    Random rnd = new Random(seed);
    ConvSpec spec = randomSpec(rnd);
    Layout inLayout = rnd.nextInt(3) == 0 ? Layout.NCHW : Layout.NCHWC16;
    check(spec, inLayout, EpilogueCases.epilogue(rnd, combo, act, spec.outChannels()), 1 + rnd.nextInt(2), rnd);
  }

  @Property(tries = 40)
  void depthwiseLayersMatchTheReference(@ForAll("seeds") long seed,
      @ForAll @IntRange(min = 0, max = 15) int combo, @ForAll Activation act,
      @ForAll @IntRange(min = 1, max = 40) int channels, @ForAll @IntRange(min = 1, max = 3) int stride,
      @ForAll @IntRange(min = 1, max = 5) int kernel, @ForAll @IntRange(min = 1, max = 2) int dilation) {
    Random rnd = new Random(seed);
    int h = 1 + rnd.nextInt(14);
    int w = 1 + rnd.nextInt(14);
    int pad = rnd.nextInt(kernel);
    ConvAxis ah = ConvAxis.of(h + kernel * dilation, kernel, stride, pad, rnd.nextInt(kernel), dilation);
    ConvAxis aw = ConvAxis.of(w + kernel * dilation, kernel, stride, rnd.nextInt(kernel), pad, dilation);
    ConvSpec spec = ConvSpec.conv2d(channels, channels, channels, ah, aw);
    check(spec, Layout.NCHWC16, EpilogueCases.epilogue(rnd, combo, act, channels), 1, rnd);
  }

  /**
   * Strided 1x1 layers without padding (ResNet's downsampling shortcuts) gather the pixels they read
   * into a dense tensor first ({@link ConvGather}): every rank, strides per axis, groups, batch 2.
   */
  @Property(tries = 60)
  void strided1x1LayersMatchTheReference(@ForAll("seeds") long seed,
      @ForAll @IntRange(min = 0, max = 15) int combo, @ForAll Activation act) {
    Random rnd = new Random(seed);
    int rank = 1 + rnd.nextInt(3);
    ConvAxis[] axes = new ConvAxis[3];
    boolean strided = false;
    for (int i = 0; i < 3; i++) {
      if (i < 3 - rank) {
        axes[i] = ConvAxis.unit();
        continue;
      }
      int stride = 1 + rnd.nextInt(3);
      strided |= stride > 1;
      axes[i] = ConvAxis.of(1 + rnd.nextInt(rank == 3 ? 7 : 20), 1, stride, 0, 0, 1);
    }
    if (!strided) {
      axes[2] = ConvAxis.of(axes[2].in(), 1, 2, 0, 0, 1);
    }
    int groups = rnd.nextInt(4) == 0 ? 2 : 1;
    ConvSpec spec = new ConvSpec(rank, false, groups * (1 + rnd.nextInt(40)),
        groups * (1 + rnd.nextInt(40)), groups, axes[0], axes[1], axes[2]);
    assertEquals(!spec.depthwise(), ConvGather.of(spec, Layout.NCHWC16, 0, 1, Integer.MAX_VALUE) != null,
        spec.toString());
    check(spec, Layout.NCHWC16, EpilogueCases.epilogue(rnd, combo, act, spec.outChannels()),
        1 + rnd.nextInt(2), rnd);
  }

  /** MobileNet's 3x3 stride-1 depthwise layers take a specialised kernel: cover it with every epilogue. */
  /**
   * Layers whose weights (1 MB or more) outweigh their input more than 4x run blocks-outer: a 1x1 and a stride-2
   * 3x3 layer on small images, against the reference on 1 to 3 threads; a ResNet 1x1 layer at 56x56 stays
   * rows-outer.
   */
  @Property(tries = 6)
  void blocksOuterLayersMatchTheReference(@ForAll("seeds") long seed) {
    Random rnd = new Random(seed);
    ConvSpec[] specs = {ConvSpec.conv2d(512, 512, 4, 4, 1, 1, 1, 1, 0, 0, 0, 0, 1, 1, 1),
        ConvSpec.conv2d(256, 272, 8, 8, 3, 3, 2, 2, 1, 1, 1, 1, 1, 1, 1)};
    for (ConvSpec spec : specs) {
      assertTrue(ConvPlan.create(spec, new float[spec.weightSize()], 0, Epilogue.NONE, Layout.NCHWC16)
          .blocksOuter(), spec.toString());
      check(spec, Layout.NCHWC16, EpilogueCases.epilogue(rnd, rnd.nextInt(16), Activation.RELU, spec.outChannels()),
          1 + rnd.nextInt(2), rnd);
    }
    ConvSpec wide = ConvSpec.conv2d(256, 64, 56, 56, 1, 1, 1, 1, 0, 0, 0, 0, 1, 1, 1);
    assertFalse(ConvPlan.create(wide, new float[wide.weightSize()], 0, Epilogue.NONE, Layout.NCHWC16)
        .blocksOuter());
  }

  @Property(tries = 30)
  void depthwise3x3Stride1MatchesTheReference(@ForAll("seeds") long seed,
      @ForAll @IntRange(min = 0, max = 15) int combo, @ForAll Activation act,
      @ForAll @IntRange(min = 1, max = 40) int channels, @ForAll @IntRange(min = 1, max = 12) int h,
      @ForAll @IntRange(min = 1, max = 17) int w) {
    Random rnd = new Random(seed);
    ConvSpec spec = ConvSpec.conv2d(channels, channels, h, w, 3, 3, 1, 1, 1, 1, 1, 1, 1, 1, channels);
    check(spec, Layout.NCHWC16, EpilogueCases.epilogue(rnd, combo, act, channels), 1 + rnd.nextInt(2), rnd);
  }

  /** Runs both paths and the reference; compares. */
  static void check(ConvSpec spec, Layout inLayout, Epilogue e, int batch, Random rnd) {
    check(spec, inLayout, e, batch, rnd, true);
  }

  /** Runs the reference, the scalar path and (if {@code withVector}) the vector path; compares. */
  static void check(ConvSpec spec, Layout inLayout, Epilogue e, int batch, Random rnd, boolean withVector) {
    int outN = spec.outChannels() * spec.outSpatial();
    ReferenceCase rc = ReferenceCase.of(spec, e, batch, rnd);
    float[] x = rc.x();
    float[] w = rc.w();
    float[] res = rc.res();
    float[] want = rc.want();

    Executor serial = Executor.serial();
    float[] in = toLayout(x, batch, spec.inChannels(), spec.inSpatial(), inLayout);
    float[] resB = toLayout(res, batch, spec.outChannels(), spec.outSpatial(), Layout.NCHWC16);
    float[][] got = new float[2][];
    for (int path = withVector ? 0 : 1; path < 2; path++) {
      ConvPlan plan = ConvPlan.create(spec, w, 0, e, inLayout, path == 0);
      float[] out = new float[3 + batch * plan.outputSize()];
      Arrays.fill(out, Float.NaN);
      if (withVector) {
        try (Executor ex = Executor.create(POOL, 1 + rnd.nextInt(3))) {
          plan.run(batch, in, 0, out, 3, resB, 0, ex);
        }
      } else {
        plan.run(batch, in, 0, out, 3, resB, 0, serial);
      }
      assertPaddingZero(out, 3, batch, spec.outChannels(), spec.outSpatial(), spec);
      got[path] = new float[batch * outN];
      LayoutConvert.toNchw(batch, spec.outChannels(), spec.outSpatial(), out, 3, got[path], 0, serial);
      EpilogueCases.assertClose(want, 0, got[path], 0, want.length, 1e-4, 1e-4,
          (path == 0 ? "vector" : "scalar") + " vs reference, " + spec + " " + inLayout + " " + e);
    }
    if (withVector) {
      EpilogueCases.assertClose(got[1], 0, got[0], 0, want.length, 1e-4, 1e-4,
          "vector vs scalar twin, " + spec + " " + e);
    }
    if (inLayout == Layout.NCHWC16 && ConvGather.of(spec, inLayout, Integer.MAX_VALUE, 1, Integer.MAX_VALUE) != null
        && ConvGather.of(spec, inLayout, 0, 1, Integer.MAX_VALUE) == null) {
      // a padded layer: also its unpadded form (border runs, as layers with large outputs run), and the
      // padded one whatever its size, copied by each participant and once for all
      for (int padMaxOut : new int[] {0, Integer.MAX_VALUE}) {
        for (boolean each : new boolean[] {true, false}) {
          ConvPlan plan = ConvPlan.create(spec, w, 0, e, inLayout, withVector, padMaxOut, 1, each);
          float[] out = new float[batch * plan.outputSize()];
          plan.run(batch, in, 0, out, 0, resB, 0, serial);
          float[] nchw = new float[batch * outN];
          LayoutConvert.toNchw(batch, spec.outChannels(), spec.outSpatial(), out, 0, nchw, 0, serial);
          EpilogueCases.assertClose(want, 0, nchw, 0, want.length, 1e-4, 1e-4,
              "padMaxOut " + padMaxOut + (each ? ", own copies" : ", one shared copy") + " vs reference, " + spec
                  + " " + e);
        }
      }
    }
  }

  /**
   * A padded layer whose participants each copy the input into their own scratch, once per call and image: every
   * image of a batch, and each image alone in later calls (the same slot, other data, another padded plan run in
   * between), gives the reference's result on 1-3 threads and on both chunk orders. A copy reused across images, or
   * across calls, fails here on one thread; so does a copy made for every chunk instead of once per image.
   */
  @Test
  void ownPaddedCopiesAreNotReusedAcrossCallsOrImages() {
    Random rnd = new Random(23);
    // stride 2 from 14x14 (rows-outer) and 32 -> 928 channels at 6x6 (blocks-outer: 1 MB of weights)
    for (ConvSpec spec : new ConvSpec[] {ConvSpec.conv2d(48, 40, 14, 14, 3, 3, 2, 2, 1, 1, 1, 1, 1, 1, 1),
        ConvSpec.conv2d(32, 928, 6, 6, 3, 3, 1, 1, 1, 1, 1, 1, 1, 1, 1)}) {
      float[] w = EpilogueCases.random(rnd, spec.weightSize());
      Epilogue e = Epilogue.NONE.withBias(EpilogueCases.random(rnd, spec.outChannels())).withActivation(Activation.RELU);
      ConvPlan plan = ConvPlan.create(spec, w, 0, e, Layout.NCHWC16, true, Integer.MAX_VALUE, 1, true);
      assertTrue(plan.copiesEach(), "own copies for " + spec);
      assumeTrue("null".equals(ConvPlan.CHUNK_ORDER), "chunk order forced by -Dnetc.conv.order");
      assertEquals(spec.outChannels() > 512, plan.blocksOuter(), "chunk order of " + spec);
      ConvSpec otherSpec = ConvSpec.conv2d(16, 16, 8, 8, 3, 3, 2, 2, 1, 1, 1, 1, 1, 1, 1);
      ConvPlan other = ConvPlan.create(otherSpec, EpilogueCases.random(rnd, otherSpec.weightSize()), 0,
          Epilogue.NONE, Layout.NCHWC16, true, Integer.MAX_VALUE, 1, true);
      assertTrue(other.copiesEach(), "own copies for " + otherSpec);
      float[] otherIn = EpilogueCases.random(rnd, other.inputSize());
      float[] otherOut = new float[other.outputSize()];
      int batch = 3;
      float[] x = EpilogueCases.random(rnd, batch * spec.inChannels() * spec.inSpatial());
      float[] in = toLayout(x, batch, spec.inChannels(), spec.inSpatial(), Layout.NCHWC16);
      for (int threads = 1; threads <= 3; threads++) {
        float[] all = new float[batch * plan.outputSize()];
        float[] one = new float[plan.outputSize()];
        try (Executor ex = Executor.create(POOL, threads)) {
          long before = plan.copiesMade();
          plan.run(batch, in, 0, all, 0, null, 0, ex);
          long made = plan.copiesMade() - before;
          // one thread copies each image once; more copy each image they run chunks of once, and a participant
          // that takes over chunks of the ranges before its own may come back to one image (the executor's order)
          assertTrue(threads == 1 ? made == batch : made >= batch && made <= (long) (batch + 1) * threads,
              made + " copies of " + batch + " images, " + threads + " threads, " + spec);
          for (int n = 0; n < batch; n++) {
            float[] want = new float[spec.outChannels() * spec.outSpatial()];
            ConvReference.run(spec, w, 0, e, 1, x, n * spec.inChannels() * spec.inSpatial(), want, 0, null, 0);
            float[] got = new float[want.length];
            LayoutConvert.toNchw(1, spec.outChannels(), spec.outSpatial(), all, n * plan.outputSize(), got, 0,
                Executor.serial());
            EpilogueCases.assertClose(want, 0, got, 0, want.length, 1e-4, 1e-4,
                "image " + n + " of " + batch + ", " + threads + " threads, " + spec);
            other.run(1, otherIn, 0, otherOut, 0, null, 0, ex);
            plan.run(1, in, n * plan.inputSize(), one, 0, null, 0, ex);
            assertTrue(Arrays.equals(one, 0, one.length, all, n * one.length, (n + 1) * one.length),
                "image " + n + " alone, " + threads + " threads, " + spec);
          }
        }
      }
    }
  }

  /**
   * Runs {@code spec}'s plan on 2 images with a bias + residual + ReLU epilogue whose residual is read from the output
   * itself, each image a slice of a wider tensor (48 more floats, which must stay untouched), and compares with the
   * reference. {@code expect} checks which path the plan took.
   */
  static void checkResidualInPlace(ConvSpec spec, Random rnd, java.util.function.Consumer<ConvPlan> expect) {
    Epilogue e = Epilogue.NONE.withBias(EpilogueCases.random(rnd, spec.outChannels())).withResidual(true)
        .withActivation(Activation.RELU);
    ReferenceCase rc = ReferenceCase.of(spec, e, 2, rnd);
    float[] x = rc.x();
    float[] w = rc.w();
    float[] res = rc.res();
    float[] want = rc.want();

    ConvPlan plan = ConvPlan.create(spec, w, 0, e, Layout.NCHWC16);
    expect.accept(plan);
    float[] in = toLayout(x, 2, spec.inChannels(), spec.inSpatial(), Layout.NCHWC16);
    float[] resB = toLayout(res, 2, spec.outChannels(), spec.outSpatial(), Layout.NCHWC16);
    int stride = plan.outputSize() + 48;
    float[] out = new float[5 + 2 * stride];
    Arrays.fill(out, 7f);
    for (int n = 0; n < 2; n++) {
      System.arraycopy(resB, n * plan.outputSize(), out, 5 + n * stride, plan.outputSize());
    }
    try (Executor ex = Executor.create(POOL, 1 + rnd.nextInt(3))) {
      plan.run(2, in, 0, out, 5, stride, out, 5, ex);
    }
    float[] got = new float[want.length];
    for (int n = 0; n < 2; n++) {
      float[] img = Arrays.copyOfRange(out, 5 + n * stride, 5 + n * stride + plan.outputSize());
      LayoutConvert.toNchw(1, spec.outChannels(), spec.outSpatial(), img, 0, got,
          n * spec.outChannels() * spec.outSpatial(), Executor.serial());
      for (int i = plan.outputSize(); i < stride; i++) {
        assertEquals(7f, out[5 + n * stride + i], "float " + i + " past image " + n + "'s slice");
      }
    }
    EpilogueCases.assertClose(want, 0, got, 0, want.length, 1e-4, 1e-4, "in place, " + spec);
  }

  /** Runs {@code plan} on {@code batch} NCHW images {@code x} (residual {@code res}, NCHW or null), returns NCHW. */
  static float[] runBlocked(ConvPlan plan, ConvSpec spec, int batch, float[] x, float[] res, Executor ex) {
    float[] in = toLayout(x, batch, spec.inChannels(), spec.inSpatial(), Layout.NCHWC16);
    float[] resB = res == null ? null
        : toLayout(res, batch, spec.outChannels(), spec.outSpatial(), Layout.NCHWC16);
    float[] out = new float[batch * plan.outputSize()];
    Arrays.fill(out, Float.NaN);
    plan.run(batch, in, 0, out, 0, resB, 0, ex);
    assertPaddingZero(out, 0, batch, spec.outChannels(), spec.outSpatial(), spec);
    float[] got = new float[batch * spec.outChannels() * spec.outSpatial()];
    LayoutConvert.toNchw(batch, spec.outChannels(), spec.outSpatial(), out, 0, got, 0, Executor.serial());
    return got;
  }

  /** Random NCHW input, weights and residual for {@code batch} images of a layer (drawn in that order), and its reference output. */
  record ReferenceCase(float[] x, float[] w, float[] res, float[] want) {
    static ReferenceCase of(ConvSpec spec, Epilogue e, int batch, Random rnd) {
      float[] x = EpilogueCases.random(rnd, batch * spec.inChannels() * spec.inSpatial());
      float[] w = EpilogueCases.random(rnd, spec.weightSize());
      float[] res = EpilogueCases.random(rnd, batch * spec.outChannels() * spec.outSpatial());
      float[] want = new float[res.length];
      ConvReference.run(spec, w, 0, e, batch, x, 0, want, 0, res, 0);
      return new ReferenceCase(x, w, res, want);
    }
  }

  /** {@code x} (NCHW) in {@code layout}; blocked padding channels are NaN. */
  static float[] toLayout(float[] x, int batch, int channels, int spatial, Layout layout) {
    if (layout == Layout.NCHW) {
      return x;
    }
    float[] b = new float[batch * layout.imageSize(channels, spatial)];
    LayoutConvert.toBlocked(batch, channels, spatial, x, 0, b, 0, Executor.serial());
    int padded = Layout.paddedChannels(channels);
    for (int n = 0; n < batch; n++) {
      for (int c = channels; c < padded; c++) {
        for (int p = 0; p < spatial; p++) {
          b[n * padded * spatial + layout.index(c, p, spatial)] = Float.NaN;
        }
      }
    }
    return b;
  }

  static void assertPaddingZero(float[] out, int off, int batch, int channels, int spatial,
      ConvSpec spec) {
    int padded = Layout.paddedChannels(channels);
    for (int n = 0; n < batch; n++) {
      for (int c = channels; c < padded; c++) {
        for (int p = 0; p < spatial; p++) {
          assertEquals(0f, out[off + n * padded * spatial + Layout.NCHWC16.index(c, p, spatial)],
              "padding channel " + c + " of " + spec);
        }
      }
    }
  }

  /** A random valid layer of modest size. */
  static ConvSpec randomSpec(Random rnd) {
    while (true) {
      try {
        ConvSpec s = tryRandomSpec(rnd);
        if (s.macs() <= 3_000_000L) {
          return s;
        }
      } catch (IllegalArgumentException e) {
        // an empty output: draw again
      }
    }
  }

  private static ConvSpec tryRandomSpec(Random rnd) {
    int rank = new int[] {1, 2, 2, 2, 3}[rnd.nextInt(5)];
    boolean transposed = rnd.nextInt(4) == 0;
    int groups;
    int icg;
    int ocg;
    switch (rnd.nextInt(6)) {
      case 0 -> { // depthwise, maybe with a multiplier
        groups = 1 + rnd.nextInt(24);
        icg = 1;
        ocg = 1 + rnd.nextInt(2);
      }
      case 1, 2 -> {
        groups = 1 + rnd.nextInt(4);
        icg = 1 + rnd.nextInt(6);
        ocg = 1 + rnd.nextInt(20);
      }
      default -> {
        groups = 1;
        icg = 1 + rnd.nextInt(40);
        ocg = 1 + rnd.nextInt(40);
      }
    }
    int maxIn = rank == 3 ? 6 : rank == 2 ? 13 : 30;
    ConvAxis d = rank == 3 ? axis(rnd, maxIn, transposed) : ConvAxis.unit();
    ConvAxis h = rank >= 2 ? axis(rnd, maxIn, transposed) : ConvAxis.unit();
    ConvAxis w = axis(rnd, maxIn, transposed);
    return new ConvSpec(rank, transposed, groups * icg, groups * ocg, groups, d, h, w);
  }

  private static ConvAxis axis(Random rnd, int maxIn, boolean transposed) {
    int k = 1 + rnd.nextInt(5);
    int s = 1 + rnd.nextInt(3);
    int dil = 1 + (rnd.nextInt(3) == 0 ? rnd.nextInt(3) : 0);
    int pb = rnd.nextInt(4);
    int pe = rnd.nextInt(4);
    int op = transposed ? rnd.nextInt(Math.max(s, dil)) : 0;
    return new ConvAxis(1 + rnd.nextInt(maxIn), k, s, pb, pe, dil, op);
  }
}

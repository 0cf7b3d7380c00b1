package dev.netc.runtime.kernels;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

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
import org.junit.jupiter.api.Test;

/**
 * {@link ConvChain} against its three layers run one after the other: bit for bit, at 256 and 512 bits, on 1 to 3
 * threads, with and without the expansion and the residual, strides 1 and 2, padded or not, kernels of 3 and 5,
 * channel counts that leave blocks part empty, rows of every small width, and bands from one output row to the whole
 * image; the caller's intermediate arrays stay untouched while a chain runs fused.
 */
class ConvChainTest {
  private static final WorkerPool POOL = new WorkerPool(3);

  @Provide
  Arbitrary<Long> seeds() {
    return Arbitraries.longs();
  }

  @Property(tries = 80)
  void fusedChainsGiveTheLayersBitForBit(@ForAll("seeds") long seed, @ForAll boolean withExpand,
      @ForAll @IntRange(min = 1, max = 40) int cin, @ForAll @IntRange(min = 1, max = 70) int mid,
      @ForAll @IntRange(min = 1, max = 40) int cout, @ForAll @IntRange(min = 1, max = 23) int h,
      @ForAll @IntRange(min = 1, max = 23) int w, @ForAll @IntRange(min = 1, max = 2) int stride,
      @ForAll boolean padded, @ForAll boolean wide, @ForAll @IntRange(min = 0, max = 15) int combo,
      @ForAll @IntRange(min = 1, max = 3) int threads, @ForAll boolean bits512,
      @ForAll @IntRange(min = 0, max = 3) int bandSize) {
    Random rnd = new Random(seed);
    int k = wide ? 5 : 3;
    int pad = padded ? k / 2 : 0;
    if (h + 2 * pad < k || w + 2 * pad < k) {
      return; // no output
    }
    if (!withExpand) {
      mid = cin;
    }
    if (withExpand && cin == 1 && mid == 1 || mid == 1 && cout == 1) {
      return; // a 1x1 layer of one channel to one is a depthwise layer: no chain
    }
    ConvSpec dw = ConvSpec.conv2d(mid, mid, h, w, k, k, stride, stride, pad, pad, pad, pad, 1, 1, mid);
    boolean residual = (combo & 8) != 0; // any array shaped like the output
    int bandFloats = switch (bandSize) {
      case 0 -> 1; // one output row per band
      case 1 -> 16 * w * 4;
      case 2 -> 16 * w * 9;
      default -> 1 << 22; // the minimum number of bands
    };
    check(rnd, withExpand ? cin : 0, dw, cout, residual, combo & 7, threads, bits512 ? 512 : 256, bandFloats);
  }

  /** MobileNetV2's first three blocks at 112x112 and 56x56, in bands of the default size. */
  @Test
  void mobileNetV2BlocksGiveTheLayersBitForBit() {
    Random rnd = new Random(7);
    ConvSpec dw1 = ConvSpec.conv2d(32, 32, 112, 112, 3, 3, 1, 1, 1, 1, 1, 1, 1, 1, 32);
    assertTrue(check(rnd, 0, dw1, 16, false, 7, 2, 512, ConvChain.BAND_FLOATS).bands() >= 4);
    ConvSpec dw2 = ConvSpec.conv2d(96, 96, 112, 112, 3, 3, 2, 2, 1, 1, 1, 1, 1, 1, 96);
    assertTrue(check(rnd, 16, dw2, 24, false, 7, 2, 512, ConvChain.BAND_FLOATS).bands() >= 4);
    ConvSpec dw3 = ConvSpec.conv2d(144, 144, 56, 56, 3, 3, 1, 1, 1, 1, 1, 1, 1, 1, 144);
    assertTrue(check(rnd, 24, dw3, 24, true, 7, 3, 256, ConvChain.BAND_FLOATS).bands() >= 4);
  }

  /** Which layers chain; on the scalar path a chain runs its layers one after the other, with their outputs. */
  @Test
  void unfusedChainsRunTheLayers() {
    ConvSpec e = ConvSpec.conv2d(8, 32, 8, 8, 1, 1, 1, 1, 0, 0, 0, 0, 1, 1, 1);
    ConvSpec d = ConvSpec.conv2d(32, 32, 8, 8, 3, 3, 1, 1, 1, 1, 1, 1, 1, 1, 32);
    ConvSpec p = ConvSpec.conv2d(32, 8, 8, 8, 1, 1, 1, 1, 0, 0, 0, 0, 1, 1, 1);
    assertTrue(ConvChain.applies(e, d, p));
    assertTrue(ConvChain.of(plan(e, 512), plan(d, 512), plan(p, 512)).fused());
    assertFalse(ConvChain.of(plan(e, 0), plan(d, 0), plan(p, 0), 1).fused(), "scalar path");
    ConvSpec grouped = ConvSpec.conv2d(32, 32, 8, 8, 3, 3, 1, 1, 1, 1, 1, 1, 1, 1, 16);
    assertFalse(ConvChain.applies(e, grouped, p));
    ConvSpec strided = ConvSpec.conv2d(8, 32, 16, 16, 1, 1, 2, 2, 0, 0, 0, 0, 1, 1, 1);
    assertFalse(ConvChain.applies(strided, d, p));
    ConvSpec wideIn = ConvSpec.conv2d(512, 512, 14, 14, 1, 1, 1, 1, 0, 0, 0, 0, 1, 1, 1);
    ConvSpec wideDw = ConvSpec.conv2d(512, 512, 14, 14, 3, 3, 1, 1, 1, 1, 1, 1, 1, 1, 512);
    assertTrue(ConvChain.applies(null, wideDw, wideIn), "one 1x1 layer of 1 MB");
    assertFalse(ConvChain.applies(wideIn, wideDw, wideIn), "2 MB of 1x1 weights: every band would read them");
    ConvSpec one = ConvSpec.conv2d(1, 1, 8, 8, 3, 3, 1, 1, 1, 1, 1, 1, 1, 1, 1);
    assertFalse(ConvChain.applies(null, one, ConvSpec.conv2d(1, 1, 8, 8, 1, 1, 1, 1, 0, 0, 0, 0, 1, 1, 1)),
        "a one-channel 1x1 layer runs as a depthwise one");
    Random rnd = new Random(3);
    float[] x = blocked(rnd, 8, 64);
    float[] want = new float[p.outSize(Layout.NCHWC16)];
    float[] got = new float[want.length];
    float[] a = new float[e.outSize(Layout.NCHWC16)];
    float[] b = new float[d.outSize(Layout.NCHWC16)];
    try (Executor ex = Executor.create(POOL, 2)) {
      ConvPlan pe = plan(e, 0);
      ConvPlan pd = plan(d, 0);
      ConvPlan pp = plan(p, 0);
      pe.run(1, x, 0, a, 0, null, 0, ex);
      pd.run(1, a, 0, b, 0, null, 0, ex);
      pp.run(1, b, 0, want, 0, null, 0, ex);
      ConvChain.of(pe, pd, pp).run(1, x, 0, new float[a.length], 0, new float[b.length], 0, got, 0, null, 0, ex);
    }
    assertTrue(nonZero(want), "the layers' outputs are not all zero");
    assertArrayEquals(want, got);
  }

  private static ConvPlan plan(ConvSpec s, int bits) {
    Random rnd = new Random(s.weightSize());
    return ConvPlan.create(s, EpilogueCases.random(rnd, s.weightSize()), 0,
        Epilogue.NONE.withActivation(Activation.RELU6), Layout.NCHWC16, bits);
  }

  /**
   * Builds the chain {@code cin -> mid} (no expansion where {@code cin} is 0) {@code -> dw -> cout}, runs it fused on
   * two images and compares it with the layers; returns the chain.
   */
  private static ConvChain check(Random rnd, int cin, ConvSpec dw, int cout, boolean residual, int combo,
      int threads, int bits, int bandFloats) {
    int mid = dw.inChannels();
    int h = dw.height().in();
    int w = dw.width().in();
    int oh = dw.outHeight();
    int ow = dw.outWidth();
    ConvSpec es = cin == 0 ? null : ConvSpec.conv2d(cin, mid, h, w, 1, 1, 1, 1, 0, 0, 0, 0, 1, 1, 1);
    ConvSpec ps = ConvSpec.conv2d(mid, cout, oh, ow, 1, 1, 1, 1, 0, 0, 0, 0, 1, 1, 1);
    assertTrue(ConvChain.applies(es, dw, ps));
    ConvPlan pe = es == null ? null : layer(rnd, es, combo, Activation.RELU6, false, bits);
    ConvPlan pd = layer(rnd, dw, combo, Activation.RELU6, false, bits);
    ConvPlan pp = layer(rnd, ps, combo, Activation.IDENTITY, residual, bits);
    ConvChain chain = ConvChain.of(pe, pd, pp, bandFloats);
    assertTrue(chain.fused());
    int batch = 2;
    int inImage = cin == 0 ? pd.inputSize() : pe.inputSize();
    // the batch's pixels as one blocked image: each image its own values, padding lanes of the second non-zero
    float[] x = Arrays.copyOf(blocked(rnd, cin == 0 ? mid : cin, batch * h * w), batch * inImage);
    int outImage = pp.outputSize();
    float[] res = residual ? blocked(rnd, cout, batch * oh * ow) : null;
    float[] want = new float[batch * outImage + 5];
    float[] got = new float[want.length];
    Arrays.fill(got, 42f);
    Arrays.fill(want, 42f);
    float[] a = new float[batch * (pe == null ? 1 : pe.outputSize())];
    float[] b = new float[batch * pd.outputSize()];
    float[] untouched = new float[Math.max(a.length, b.length)];
    Arrays.fill(untouched, -3f);
    try (Executor ex = Executor.create(POOL, threads)) {
      float[] dwIn = x;
      if (pe != null) {
        pe.run(batch, x, 0, a, 0, null, 0, ex);
        dwIn = a;
      }
      pd.run(batch, dwIn, 0, b, 0, null, 0, ex);
      pp.run(batch, b, 0, want, 3, res, 0, ex);
      float[] a2 = Arrays.copyOf(untouched, a.length);
      float[] b2 = Arrays.copyOf(untouched, b.length);
      chain.run(batch, x, 0, a2, 0, b2, 0, got, 3, res, 0, ex);
      assertArrayEquals(Arrays.copyOf(untouched, a.length), a2, "expanded array written");
      assertArrayEquals(Arrays.copyOf(untouched, b.length), b2, "depthwise array written");
    }
    for (int i = 0; i < want.length; i++) {
      if (Float.floatToRawIntBits(want[i]) != Float.floatToRawIntBits(got[i])) {
        throw new AssertionError("element " + i + " of " + want.length + ": layers " + want[i] + ", chain " + got[i]
            + " (" + (cin == 0 ? "" : cin + " -> ") + dw + " -> " + cout + ", " + chain.bands() + " bands, " + bits
            + " bits, " + threads + " threads)");
      }
    }
    assertEquals(42f, got[0]);
    if (pe != null && threads == 1 && chain.bands() > 1) {
      // one participant runs the bands in order: each next band moves the input rows it shares with the one before
      assertTrue(chain.rowsReused() > 0, "no expanded rows reused over " + chain.bands() + " bands");
    }
    return chain;
  }

  private static ConvPlan layer(Random rnd, ConvSpec s, int combo, Activation act, boolean residual, int bits) {
    Epilogue e = EpilogueCases.epilogue(rnd, combo, act, s.outChannels()).withResidual(residual);
    return ConvPlan.create(s, EpilogueCases.random(rnd, s.weightSize()), 0, e, Layout.NCHWC16, bits);
  }

  private static boolean nonZero(float[] a) {
    for (float v : a) {
      if (v != 0f) {
        return true;
      }
    }
    return false;
  }

  /** Random values for {@code c} channels of {@code pixels} pixels in blocked layout, the padding lanes zero. */
  private static float[] blocked(Random rnd, int c, int pixels) {
    int blocks = (c + 15) / 16;
    float[] a = new float[blocks * 16 * pixels];
    for (int b = 0; b < blocks; b++) {
      for (int p = 0; p < pixels; p++) {
        for (int j = 0; j < 16 && 16 * b + j < c; j++) {
          a[(b * pixels + p) * 16 + j] = rnd.nextFloat() * 2f - 1f;
        }
      }
    }
    return a;
  }
}

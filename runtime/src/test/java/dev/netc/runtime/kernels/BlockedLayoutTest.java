package dev.netc.runtime.kernels;

import static dev.netc.runtime.ReferenceData.assertClose;
import static org.junit.jupiter.api.Assertions.assertArrayEquals;

import java.util.Random;
import net.jqwik.api.Assume;
import net.jqwik.api.ForAll;
import net.jqwik.api.Property;
import net.jqwik.api.constraints.IntRange;

/**
 * Kernels on the blocked layout NCHWc16 give the NCHW kernels' results in blocked form (with
 * zero padding channels), and their vector paths equal their scalar twins exactly.
 */
class BlockedLayoutTest {
  private static final int B = Layout.BLOCK;

  /** NCHW {@code [n, c, spatial]} to {@code [n, ceil(c/16), spatial, 16]}, padding zero (written here, not with the kernel under test). */
  static float[] toBlocked(float[] x, int n, int c, int spatial) {
    int cb = (c + B - 1) / B * B;
    float[] y = new float[n * cb * spatial];
    for (int b = 0; b < n; b++) {
      for (int ch = 0; ch < c; ch++) {
        for (int p = 0; p < spatial; p++) {
          y[b * cb * spatial + (ch / B) * spatial * B + p * B + ch % B] = x[(b * c + ch) * spatial + p];
        }
      }
    }
    return y;
  }

  private static float[] random(Random r, int len) {
    float[] a = new float[len];
    for (int i = 0; i < len; i++) {
      a[i] = r.nextFloat() * 4 - 2;
    }
    return a;
  }

  @Property(tries = 150)
  void pooling(@ForAll @IntRange(min = 1, max = 2) int n, @ForAll @IntRange(min = 1, max = 40) int c,
      @ForAll @IntRange(min = 1, max = 9) int h, @ForAll @IntRange(min = 1, max = 9) int w,
      @ForAll @IntRange(min = 1, max = 4) int k, @ForAll @IntRange(min = 1, max = 3) int s,
      @ForAll @IntRange(max = 2) int pad, @ForAll @IntRange(min = 1, max = 2) int dil, @ForAll boolean ceil,
      @ForAll boolean countPad, @ForAll long seed) {
    Assume.that(pad <= k / 2);
    int oh = Pooling.outputSize(h, k, s, pad, dil, ceil);
    int ow = Pooling.outputSize(w, k, s, pad, dil, ceil);
    Assume.that(oh >= 1 && ow >= 1);
    Random r = new Random(seed);
    float[] x = random(r, n * c * h * w);
    float[] xb = toBlocked(x, n, c, h * w);
    int planes = n * ((c + B - 1) / B);
    Pooling.Window win = Pooling.Window.of2d(h, w, oh, ow, k, k, s, s, pad, pad, dil, dil);
    Pooling.Window avgWin = Pooling.Window.of2d(h, w, oh, ow, k, k, s, s, pad, pad, 1, 1);
    float[] want = new float[n * c * oh * ow];
    float[] vec = new float[planes * B * oh * ow];
    float[] sca = new float[vec.length];
    Pooling.maxPool(x, 0, want, 0, n, c, win);
    // a dilated window whose taps all fall in the padding is empty: -inf, in padding lanes too
    Assume.that(java.util.stream.IntStream.range(0, want.length).noneMatch(i -> want[i] == Float.NEGATIVE_INFINITY));
    PoolingVector.maxPool(xb, 0, vec, 0, planes, B, win);
    PoolingScalar.maxPool(xb, 0, sca, 0, planes, B, win);
    assertArrayEquals(toBlocked(want, n, c, oh * ow), vec, "max, vector");
    assertArrayEquals(sca, vec, "max, twins");
    Pooling.avgPool(x, 0, want, 0, n, c, avgWin, countPad);
    PoolingVector.avgPool(xb, 0, vec, 0, planes, B, avgWin, countPad);
    PoolingScalar.avgPool(xb, 0, sca, 0, planes, B, avgWin, countPad);
    assertArrayEquals(toBlocked(want, n, c, oh * ow), vec, "avg, vector");
    assertArrayEquals(sca, vec, "avg, twins");
  }

  /** The 3x3 windows at stride 1 and 2 (inception branches, stems) take the column-sharing kernel: every shape. */
  @Property(tries = 150)
  void maxPool3x3(@ForAll @IntRange(min = 1, max = 40) int c, @ForAll @IntRange(min = 1, max = 12) int h,
      @ForAll @IntRange(min = 1, max = 12) int w, @ForAll @IntRange(min = 1, max = 2) int sh,
      @ForAll @IntRange(min = 1, max = 2) int sw, @ForAll @IntRange(max = 1) int ph, @ForAll @IntRange(max = 1) int pw,
      @ForAll boolean ceil, @ForAll long seed) {
    int oh = Pooling.outputSize(h, 3, sh, ph, 1, ceil);
    int ow = Pooling.outputSize(w, 3, sw, pw, 1, ceil);
    Assume.that(oh >= 1 && ow >= 1);
    Random r = new Random(seed);
    float[] x = random(r, c * h * w);
    if (r.nextBoolean()) {
      x[r.nextInt(x.length)] = Float.NaN;
    }
    float[] xb = toBlocked(x, 1, c, h * w);
    int planes = (c + B - 1) / B;
    Pooling.Window win = Pooling.Window.of2d(h, w, oh, ow, 3, 3, sh, sw, ph, pw, 1, 1);
    float[] want = new float[c * oh * ow];
    float[] vec = new float[planes * B * oh * ow];
    Pooling.maxPool(x, 0, want, 0, 1, c, win);
    PoolingVector.maxPool(xb, 0, vec, 0, planes, B, win);
    assertArrayEquals(toBlocked(want, 1, c, oh * ow), vec);
  }

  @Property(tries = 100)
  void adaptiveAndGlobal(@ForAll @IntRange(min = 1, max = 2) int n, @ForAll @IntRange(min = 1, max = 40) int c,
      @ForAll @IntRange(min = 1, max = 9) int h, @ForAll @IntRange(min = 1, max = 9) int w,
      @ForAll @IntRange(min = 1, max = 6) int oh, @ForAll @IntRange(min = 1, max = 6) int ow, @ForAll boolean max,
      @ForAll long seed) {
    Random r = new Random(seed);
    float[] x = random(r, n * c * h * w);
    float[] xb = toBlocked(x, n, c, h * w);
    int planes = n * ((c + B - 1) / B);
    Pooling.Window win = new Pooling.Window(1, h, w, 1, oh, ow, 0, 0, 0, 0, 0, 0, 0, 0, 0, 1, 1, 1);
    float[] want = new float[n * c * oh * ow];
    float[] vec = new float[planes * B * oh * ow];
    float[] sca = new float[vec.length];
    if (max) {
      Pooling.adaptiveMaxPool(x, 0, want, 0, n, c, 1, h, w, 1, oh, ow);
    } else {
      Pooling.adaptiveAvgPool(x, 0, want, 0, n, c, 1, h, w, 1, oh, ow);
    }
    PoolingVector.adaptive(xb, 0, vec, 0, planes, B, win, max);
    PoolingScalar.adaptive(xb, 0, sca, 0, planes, B, win, max);
    assertArrayEquals(toBlocked(want, n, c, oh * ow), vec, "adaptive");
    assertArrayEquals(sca, vec, "adaptive twins");
    float[] global = new float[n * c];
    float[] globalBlocked = new float[planes * B];
    if (max) {
      Pooling.globalMaxPool(x, 0, global, 0, n, c, h * w);
    } else {
      Pooling.globalAvgPool(x, 0, global, 0, n, c, h * w);
    }
    Pooling.globalPoolBlocked(xb, 0, globalBlocked, 0, planes, B, h * w, max);
    assertClose(toBlocked(global, n, c, 1), 0, globalBlocked, 0, globalBlocked.length, 1e-6, 1e-5, "global");
  }

  @Property(tries = 150)
  void channelAffineAndBroadcast(@ForAll Activation act, @ForAll @IntRange(min = 1, max = 2) int n,
      @ForAll @IntRange(min = 1, max = 40) int c, @ForAll @IntRange(min = 1, max = 20) int spatial,
      @ForAll boolean withScale, @ForAll boolean withShift, @ForAll long seed) {
    Random r = new Random(seed);
    float[] x = random(r, n * c * spatial);
    float[] xb = toBlocked(x, n, c, spatial);
    float[] scale = withScale ? random(r, c) : null;
    float[] shift = withShift ? random(r, c) : null;
    float alpha = r.nextFloat();
    float[] want = new float[x.length];
    NormsScalar.channelAffine(x, 0, want, 0, n, c, spatial, scale, shift, act, alpha);
    float[] vec = new float[xb.length];
    float[] sca = new float[xb.length];
    java.util.Arrays.fill(vec, Float.NaN); // garbage in the arena: padding must be rewritten as zeros
    BlockedVector.channelAffine(xb, 0, vec, 0, n, c, spatial, scale, 0, shift, 0, act, alpha);
    BlockedScalar.channelAffine(xb, 0, sca, 0, n, c, spatial, scale, 0, shift, 0, act, alpha);
    float[] wantBlocked = toBlocked(want, n, c, spatial);
    assertClose(wantBlocked, 0, vec, 0, vec.length, 2e-6, 2e-5, "affine + " + act + ", vector");
    assertClose(wantBlocked, 0, sca, 0, sca.length, 0, 0, "affine + " + act + ", scalar");
    float[] gates = random(r, n * c);
    Elementwise.mulChannel(x, 0, gates, 0, c, want, 0, n, c, spatial);
    Blocked.mulChannel(xb, 0, gates, 0, c, vec, 0, n, c, spatial);
    assertArrayEquals(toBlocked(want, n, c, spatial), vec, "per-sample gates");
    Elementwise.addChannel(x, 0, gates, 0, 0, want, 0, n, c, spatial);
    Blocked.addChannel(xb, 0, gates, 0, 0, vec, 0, n, c, spatial);
    assertArrayEquals(toBlocked(want, n, c, spatial), vec, "shared bias");
  }

  @Property(tries = 100)
  void upsampling(@ForAll @IntRange(min = 1, max = 2) int n, @ForAll @IntRange(min = 1, max = 20) int c,
      @ForAll @IntRange(min = 1, max = 6) int h, @ForAll @IntRange(min = 1, max = 6) int w,
      @ForAll @IntRange(min = 1, max = 12) int oh, @ForAll @IntRange(min = 1, max = 12) int ow,
      @ForAll boolean align, @ForAll long seed) {
    Random r = new Random(seed);
    float[] x = random(r, n * c * h * w);
    float[] xb = toBlocked(x, n, c, h * w);
    int planes = n * ((c + B - 1) / B);
    float[] want = new float[n * c * oh * ow];
    float[] got = new float[planes * B * oh * ow];
    Upsample.nearest(x, 0, want, 0, n, c, h, w, oh, ow, 0, 0);
    Upsample.nearestBlocked(xb, 0, got, 0, planes, B, h, w, oh, ow, 0, 0);
    assertArrayEquals(toBlocked(want, n, c, oh * ow), got, "nearest");
    Upsample.bilinear(x, 0, want, 0, n, c, h, w, oh, ow, align, 0, 0);
    Upsample.bilinearBlocked(xb, 0, got, 0, planes, B, h, w, oh, ow, align, 0, 0);
    assertArrayEquals(toBlocked(want, n, c, oh * ow), got, "bilinear");
  }

  @Property(tries = 100)
  void concatSplitShuffle(@ForAll @IntRange(min = 1, max = 2) int n, @ForAll @IntRange(min = 1, max = 25) int c1,
      @ForAll @IntRange(min = 1, max = 25) int c2, @ForAll @IntRange(min = 1, max = 5) int spatial,
      @ForAll @IntRange(min = 1, max = 4) int groups, @ForAll long seed) {
    Random r = new Random(seed);
    float[] a = random(r, n * c1 * spatial);
    float[] b = random(r, n * c2 * spatial);
    int c = c1 + c2;
    float[] want = new float[n * c * spatial];
    Channels.concat(Layout.NCHW, n, spatial, new float[][] {a, b}, new int[2], new int[] {c1, c2}, want, 0);
    float[] got = new float[Layout.NCHWC16.imageSize(c, spatial) * n];
    java.util.Arrays.fill(got, Float.NaN);
    Channels.concat(Layout.NCHWC16, n, spatial, new float[][] {toBlocked(a, n, c1, spatial), toBlocked(b, n, c2, spatial)},
        new int[2], new int[] {c1, c2}, got, 0);
    assertArrayEquals(toBlocked(want, n, c, spatial), got, "concat");
    float[] a2 = new float[Layout.NCHWC16.imageSize(c1, spatial) * n];
    float[] b2 = new float[Layout.NCHWC16.imageSize(c2, spatial) * n];
    java.util.Arrays.fill(b2, Float.NaN);
    Channels.split(Layout.NCHWC16, n, spatial, got, 0, new float[][] {a2, b2}, new int[2], new int[] {c1, c2});
    assertArrayEquals(toBlocked(a, n, c1, spatial), a2, "split 1");
    assertArrayEquals(toBlocked(b, n, c2, spatial), b2, "split 2");
    Assume.that(c % groups == 0);
    float[] shuffled = new float[want.length];
    ChannelShuffle.shuffle(want, 0, shuffled, 0, n, c, groups, spatial);
    float[] shuffledBlocked = new float[got.length];
    Channels.shuffle(Layout.NCHWC16, n, c, groups, spatial, got, 0, shuffledBlocked, 0);
    assertArrayEquals(toBlocked(shuffled, n, c, spatial), shuffledBlocked, "shuffle");
    float[] shuffledNchw = new float[want.length];
    Channels.shuffle(Layout.NCHW, n, c, groups, spatial, want, 0, shuffledNchw, 0);
    assertArrayEquals(shuffled, shuffledNchw, "shuffle NCHW");
  }
}

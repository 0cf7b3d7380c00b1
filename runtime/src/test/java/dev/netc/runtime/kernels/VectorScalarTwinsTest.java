package dev.netc.runtime.kernels;

import static dev.netc.runtime.ReferenceData.assertClose;
import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;

import java.util.Random;
import net.jqwik.api.ForAll;
import net.jqwik.api.Property;
import net.jqwik.api.constraints.IntRange;

/**
 * Every vector path equals its scalar twin on random shapes, including sizes below one vector
 * (16 lanes with AVX-512), odd sizes and tails, and random offsets into larger arrays.
 *
 * <p>Tolerances (|vector - scalar| ≤ abs + rel·|scalar|): exact for copies, products, max and
 * element-wise sums; 2e-6 + 2e-5 for activations (GELU's vector erf is a 1.5e-7 approximation;
 * exp/tanh/log1p differ by ulps); 1e-5 + 1e-4 where the vector path accumulates in float lanes and
 * the scalar twin in double (softmax, norms, sums, dot products), scaled by the reduction length.
 */
class VectorScalarTwinsTest {

  private static float[] random(Random r, int len, float range) {
    float[] a = new float[len];
    for (int i = 0; i < len; i++) {
      a[i] = (r.nextFloat() * 2 - 1) * range;
    }
    return a;
  }

  @Property(tries = 300)
  void activations(@ForAll Activation act, @ForAll @IntRange(max = 70) int len, @ForAll @IntRange(max = 5) int off,
      @ForAll long seed) {
    Random r = new Random(seed);
    float[] x = random(r, len + off, 25f);
    float alpha = 0.01f + r.nextFloat() * 2;
    float[] want = new float[len + off];
    float[] got = new float[len + off];
    act.applyScalar(x, off, want, off, len, alpha);
    ActivationVector.apply(act, x, off, got, off, len, alpha);
    assertClose(want, 0, got, 0, len + off, 2e-6, 2e-5, act + " out of place");
    ActivationVector.applyInPlace(act, x, off, len, alpha);
    assertClose(want, off, x, off, len, 2e-6, 2e-5, act + " in place");
  }

  @Property(tries = 200)
  void softmax(@ForAll @IntRange(min = 1, max = 3) int outer, @ForAll @IntRange(min = 1, max = 40) int dim,
      @ForAll @IntRange(min = 1, max = 40) int inner, @ForAll boolean log, @ForAll long seed) {
    Random r = new Random(seed);
    float[] x = random(r, outer * dim * inner + 3, 10f);
    float[] want = new float[x.length];
    float[] got = new float[x.length];
    SoftmaxScalar.softmax(x, 3, want, 3, outer, dim, inner, log);
    SoftmaxVector.softmax(x, 3, got, 3, outer, dim, inner, log);
    assertClose(want, 0, got, 0, x.length, 1e-6, 1e-5, "softmax log=" + log);
  }

  @Property(tries = 200)
  void channelAffine(@ForAll Activation act, @ForAll @IntRange(min = 1, max = 2) int n,
      @ForAll @IntRange(min = 1, max = 5) int c, @ForAll @IntRange(min = 1, max = 40) int spatial,
      @ForAll boolean withScale, @ForAll boolean withShift, @ForAll long seed) {
    Random r = new Random(seed);
    float[] x = random(r, n * c * spatial, 5f);
    float[] scale = withScale ? random(r, c, 2f) : null;
    float[] shift = withShift ? random(r, c, 2f) : null;
    float alpha = r.nextFloat();
    float[] want = new float[x.length];
    float[] got = new float[x.length];
    NormsScalar.channelAffine(x, 0, want, 0, n, c, spatial, scale, shift, act, alpha);
    NormsVector.channelAffine(x, 0, got, 0, n, c, spatial, scale, shift, act, alpha);
    assertClose(want, 0, got, 0, x.length, 2e-6, 2e-5, "channel affine + " + act);
  }

  @Property(tries = 200)
  void layerNorm(@ForAll @IntRange(min = 1, max = 3) int outer, @ForAll @IntRange(min = 1, max = 100) int size,
      @ForAll boolean affine, @ForAll long seed) {
    Random r = new Random(seed);
    float[] x = random(r, outer * size, 4f);
    for (int i = 0; i < x.length; i++) {
      x[i] += 3f; // a non-zero mean, so that the two-pass variance matters
    }
    float[] g = affine ? random(r, size, 2f) : null;
    float[] b = affine ? random(r, size, 1f) : null;
    float[] want = new float[x.length];
    float[] got = new float[x.length];
    NormsScalar.layerNorm(x, 0, want, 0, outer, size, g, b, 1e-5f);
    NormsVector.layerNorm(x, 0, got, 0, outer, size, g, b, 1e-5f);
    assertClose(want, 0, got, 0, x.length, 1e-5, 1e-4, "layer norm");
  }

  @Property(tries = 200)
  void groupNorm(@ForAll @IntRange(min = 1, max = 2) int n, @ForAll @IntRange(min = 1, max = 4) int groups,
      @ForAll @IntRange(min = 1, max = 4) int perGroup, @ForAll @IntRange(min = 1, max = 30) int spatial,
      @ForAll boolean affine, @ForAll long seed) {
    Random r = new Random(seed);
    int c = groups * perGroup;
    float[] x = random(r, n * c * spatial, 4f);
    float[] g = affine ? random(r, c, 2f) : null;
    float[] b = affine ? random(r, c, 1f) : null;
    float[] want = new float[x.length];
    float[] got = new float[x.length];
    NormsScalar.groupNorm(x, 0, want, 0, n, c, spatial, groups, g, b, 1e-5f);
    NormsVector.groupNorm(x, 0, got, 0, n, c, spatial, groups, g, b, 1e-5f);
    assertClose(want, 0, got, 0, x.length, 1e-5, 1e-4, "group norm");
  }

  @Property(tries = 200)
  void localResponseNorm(@ForAll @IntRange(min = 1, max = 2) int n, @ForAll @IntRange(min = 1, max = 8) int c,
      @ForAll @IntRange(min = 1, max = 40) int spatial, @ForAll @IntRange(min = 1, max = 6) int size,
      @ForAll long seed) {
    Random r = new Random(seed);
    float[] x = random(r, n * c * spatial, 10f);
    float alpha = 1e-4f + r.nextFloat() * 1e-2f;
    float beta = r.nextBoolean() ? 0.75f : 0.5f + r.nextFloat(); // 0.75 takes the square-root path
    float k = 1f + r.nextFloat() * 2;
    float[] want = new float[x.length];
    float[] got = new float[x.length];
    NormsScalar.localResponseNorm(x, 0, want, 0, n, c, spatial, size, alpha, beta, k);
    NormsVector.localResponseNorm(x, 0, got, 0, n, c, spatial, size, alpha, beta, k);
    assertClose(want, 0, got, 0, x.length, 1e-6, 1e-5, "LRN");
  }

  @Property(tries = 200)
  void elementwise(@ForAll Activation act, @ForAll @IntRange(max = 70) int len, @ForAll long seed) {
    Random r = new Random(seed);
    float[] a = random(r, len + 2, 5f);
    float[] b = random(r, len + 1, 5f);
    float[] want = new float[len];
    float[] got = new float[len];
    ElementwiseScalar.mul(a, 2, b, 1, want, 0, len);
    ElementwiseVector.mul(a, 2, b, 1, got, 0, len);
    assertArrayEquals(want, got, "mul is exact");
    ElementwiseScalar.add(a, 2, b, 1, want, 0, len, act, 0.2f);
    ElementwiseVector.add(a, 2, b, 1, got, 0, len, act, 0.2f);
    assertClose(want, 0, got, 0, len, 2e-6, 2e-5, "add + " + act);
  }

  @Property(tries = 200)
  void reductions(@ForAll @IntRange(max = 200) int len, @ForAll @IntRange(max = 3) int off, @ForAll long seed) {
    Random r = new Random(seed);
    float[] x = random(r, len + off, 5f);
    assertEquals(ReductionsScalar.max(x, off, len), ReductionsVector.max(x, off, len), "max is exact");
    float want = ReductionsScalar.sum(x, off, len);
    assertEquals(want, ReductionsVector.sum(x, off, len), 1e-5 * (len + 1) * 5, "sum");
  }

  @Property(tries = 150)
  void matmulNT(@ForAll @IntRange(min = 1, max = 12) int m, @ForAll @IntRange(min = 1, max = 20) int n,
      @ForAll @IntRange(min = 1, max = 40) int k, @ForAll @IntRange(max = 3) int pad, @ForAll boolean bias,
      @ForAll long seed) {
    Random r = new Random(seed);
    int lda = k + pad;
    int ldb = k + 2 * pad;
    int ldy = n + pad;
    float[] a = random(r, 1 + m * lda, 2f);
    float[] b = random(r, 2 + n * ldb, 2f);
    float[] bs = bias ? random(r, n + 1, 1f) : null;
    float alpha = 0.5f + r.nextFloat();
    float[] want = new float[m * ldy];
    float[] got = new float[m * ldy];
    SmallMatmulScalar.matmulNT(m, n, k, alpha, a, 1, lda, b, 2, ldb, bs, 1, want, 0, ldy);
    SmallMatmulVector.matmulNT(m, n, k, alpha, a, 1, lda, b, 2, ldb, bs, 1, got, 0, ldy);
    assertClose(want, 0, got, 0, want.length, 1e-5 * k, 1e-5, "A·Bᵀ");
  }

  @Property(tries = 150)
  void matmulNN(@ForAll @IntRange(min = 1, max = 12) int m, @ForAll @IntRange(min = 1, max = 40) int n,
      @ForAll @IntRange(min = 1, max = 20) int k, @ForAll @IntRange(max = 3) int pad, @ForAll long seed) {
    Random r = new Random(seed);
    int lda = k + pad;
    int ldb = n + 2 * pad;
    int ldy = n + pad;
    float[] a = random(r, m * lda, 2f);
    float[] b = random(r, 3 + k * ldb, 2f);
    float[] want = new float[m * ldy];
    float[] got = new float[m * ldy];
    SmallMatmulScalar.matmulNN(m, n, k, a, 0, lda, b, 3, ldb, want, 0, ldy);
    SmallMatmulVector.matmulNN(m, n, k, a, 0, lda, b, 3, ldb, got, 0, ldy);
    assertClose(want, 0, got, 0, want.length, 1e-5 * k, 1e-5, "A·B");
  }
}

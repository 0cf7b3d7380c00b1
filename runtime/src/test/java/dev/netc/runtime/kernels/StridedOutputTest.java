package dev.netc.runtime.kernels;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;

import dev.netc.runtime.exec.Executor;
import dev.netc.runtime.exec.WorkerPool;
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
 * Convolutions writing into a slice of a wider blocked tensor (output images further apart than
 * their own size, as when a layer writes its place in a channel concatenation): on random layers,
 * batches and epilogues (a residual is read with the same image stride), each path's strided
 * output equals its contiguous output (within 1e-6: where a run starts decides which elements the
 * vector epilogue's transcendental functions take in lanes and which in the scalar tail, a last-bit
 * difference for softplus), the floats between slices are untouched, and the
 * vector path equals its scalar twin within the tolerance of {@link ConvPlanTest}.
 */
class StridedOutputTest {
  private static final WorkerPool POOL = new WorkerPool(3);
  private static final float SENTINEL = 12345f;

  @AfterAll
  static void stop() {
    POOL.close();
  }

  @Provide
  Arbitrary<Long> seeds() {
    return Arbitraries.longs();
  }

  @Property(tries = 120)
  void stridedOutputsEqualContiguousOnesOnBothPaths(@ForAll("seeds") long seed,
      @ForAll @IntRange(min = 0, max = 15) int combo, @ForAll Activation act,
      @ForAll @IntRange(min = 1, max = 3) int batch) {
    Random rnd = new Random(seed);
    ConvSpec spec = ConvPlanTest.randomSpec(rnd);
    Layout inLayout = rnd.nextInt(3) == 0 ? Layout.NCHW : Layout.NCHWC16;
    Epilogue e = EpilogueCases.epilogue(rnd, combo, act, spec.outChannels());
    int image = spec.outSize(Layout.NCHWC16);
    // The slice starts some whole blocks into a wider image, as a concatenation's later inputs do.
    int before = 16 * spec.outSpatial() * rnd.nextInt(3);
    int stride = image + before + 16 * spec.outSpatial() * rnd.nextInt(3);
    int off = 7 + before;
    float[] x = ConvPlanTest.toLayout(EpilogueCases.random(rnd, batch * spec.inChannels() * spec.inSpatial()),
        batch, spec.inChannels(), spec.inSpatial(), inLayout);
    float[] w = EpilogueCases.random(rnd, spec.weightSize());
    float[] res = EpilogueCases.random(rnd, batch * image);
    float[] resStrided = spread(res, batch, image, off, stride);
    float[][] strided = new float[2][];
    for (int path = 0; path < 2; path++) {
      ConvPlan plan = ConvPlan.create(spec, w, 0, e, inLayout, path == 0);
      float[] contiguous = new float[batch * image];
      float[] out = new float[off + batch * stride];
      java.util.Arrays.fill(out, SENTINEL);
      try (Executor ex = Executor.create(POOL, 1 + rnd.nextInt(3))) {
        plan.run(batch, x, 0, contiguous, 0, res, 0, ex);
        plan.run(batch, x, 0, out, off, stride, resStrided, off, ex);
      }
      String what = (path == 0 ? "vector" : "scalar") + ", " + spec + " " + e + ", stride " + stride;
      for (int n = 0; n < batch; n++) {
        EpilogueCases.assertClose(contiguous, n * image, out, off + n * stride, image, 1e-6, 1e-6, what);
      }
      assertUntouched(out, batch, image, off, stride, what);
      strided[path] = out;
    }
    EpilogueCases.assertClose(strided[1], 0, strided[0], 0, strided[0].length, 1e-4, 1e-4,
        "vector vs scalar twin, strided, " + spec + " " + e);
  }

  @Test
  void overlappingImagesAreRefused() {
    ConvSpec spec = ConvSpec.conv2d(3, 16, 4, 4, 1, 1, 1, 1, 0, 0, 0, 0, 1, 1, 1);
    ConvPlan plan = ConvPlan.create(spec, new float[spec.weightSize()], 0, Epilogue.NONE, Layout.NCHW);
    float[] out = new float[4 * plan.outputSize()];
    IllegalArgumentException e = assertThrows(IllegalArgumentException.class,
        () -> plan.run(2, new float[2 * 48], 0, out, 0, plan.outputSize() - 1, null, 0, Executor.serial()));
    assertEquals("output images 255 floats apart overlap: each takes 256", e.getMessage());
  }

  /** {@code batch} contiguous images of {@code image} floats, placed {@code stride} apart from {@code off}. */
  private static float[] spread(float[] a, int batch, int image, int off, int stride) {
    float[] b = new float[off + batch * stride];
    for (int n = 0; n < batch; n++) {
      System.arraycopy(a, n * image, b, off + n * stride, image);
    }
    return b;
  }

  private static void assertUntouched(float[] out, int batch, int image, int off, int stride, String what) {
    for (int i = 0; i < out.length; i++) {
      int rel = i - off;
      boolean inside = rel >= 0 && rel % stride < image && rel / stride < batch;
      if (!inside && out[i] != SENTINEL) {
        throw new AssertionError(what + ": float " + i + " outside every slice was written: " + out[i]);
      }
    }
  }
}

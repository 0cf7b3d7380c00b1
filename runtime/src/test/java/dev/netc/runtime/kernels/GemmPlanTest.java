package dev.netc.runtime.kernels;

import static org.junit.jupiter.api.Assertions.assertThrows;

import dev.netc.runtime.exec.Executor;
import dev.netc.runtime.exec.WorkerPool;
import java.util.Random;
import net.jqwik.api.ForAll;
import net.jqwik.api.Property;
import net.jqwik.api.constraints.IntRange;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.Test;

/**
 * GEMM plans, vector and scalar paths, against {@link GemmReference} (double accumulation) on
 * random shapes: odd sizes, tails shorter than a vector, transposes, several K blocks, batches,
 * every epilogue combination. Tolerance against the reference: 1e-4 + 1e-4·|expected|; between
 * the vector path and its scalar twin (same summation order): 1e-5 + 1e-5·|expected|.
 */
class GemmPlanTest {
  private static final WorkerPool POOL = new WorkerPool(3);

  @AfterAll
  static void stop() {
    POOL.close();
  }

  @Property(tries = 60)
  void runtimeOperandsMatchReference(@ForAll("seeds") long seed,
      @ForAll @IntRange(min = 1, max = 40) int m, @ForAll @IntRange(min = 1, max = 45) int n,
      @ForAll @IntRange(min = 0, max = 700) int k, @ForAll boolean transA, @ForAll boolean transB,
      @ForAll @IntRange(min = 1, max = 3) int batch, @ForAll @IntRange(min = 0, max = 15) int combo,
      @ForAll Activation act) {
    Random rnd = new Random(seed);
    GemmSpec spec = GemmSpec.dense(transA, transB, m, k, n);
    Epilogue e = EpilogueCases.epilogue(rnd, combo, act, n);
    float[] a = EpilogueCases.random(rnd, batch * m * k + 3);
    float[] b = EpilogueCases.random(rnd, batch * k * n + 2);
    float[] res = EpilogueCases.random(rnd, batch * m * n + 1);
    float[] want = new float[batch * m * n + 5];
    GemmReference.run(spec, e, batch, m, a, 3, b, 2, want, 5, res, 1);
    float[] vec = new float[want.length];
    float[] sca = new float[want.length];
    try (Executor ex = Executor.create(POOL, 1 + (int) (seed & 3))) {
      GemmPlan.create(spec, e, true).run(batch, m, a, 3, b, 2, vec, 5, res, 1, ex);
      GemmPlan.create(spec, e, false).run(batch, m, a, 3, b, 2, sca, 5, res, 1, ex);
    }
    int len = batch * m * n;
    EpilogueCases.assertClose(want, 5, vec, 5, len, 1e-4, 1e-4, "vector vs reference");
    EpilogueCases.assertClose(want, 5, sca, 5, len, 1e-4, 1e-4, "scalar vs reference");
    EpilogueCases.assertClose(sca, 5, vec, 5, len, 1e-5, 1e-5, "vector vs scalar twin");
  }

  @Property(tries = 40)
  void linearLayerMatchesReference(@ForAll("seeds") long seed,
      @ForAll @IntRange(min = 1, max = 13) int m, @ForAll @IntRange(min = 1, max = 70) int out,
      @ForAll @IntRange(min = 1, max = 900) int in, @ForAll @IntRange(min = 0, max = 15) int combo,
      @ForAll Activation act) {
    Random rnd = new Random(seed);
    float[] w = EpilogueCases.random(rnd, out * in);
    float[] x = EpilogueCases.random(rnd, m * in);
    float[] res = EpilogueCases.random(rnd, m * out);
    Epilogue e = EpilogueCases.epilogue(rnd, combo, act, out);
    float[] want = new float[m * out];
    GemmReference.run(GemmSpec.linear(in, out), e, 1, m, x, 0, w, 0, want, 0, res, 0);
    for (boolean vector : new boolean[] {true, false}) {
      float[] got = new float[m * out];
      try (Executor ex = Executor.create(POOL, 2)) {
        GemmPlan.withConstantB(GemmSpec.linear(in, out), w, 0, e, vector).run(m, x, 0, got, 0, res, 0, ex);
      }
      EpilogueCases.assertClose(want, 0, got, 0, m * out, 1e-4, 1e-4, "linear, vector=" + vector);
    }
  }

  /**
   * A row computed alone (batch 1: the one-row kernel) equals the same row computed in a 4-row tile
   * (batch 4), bit for bit: the two kernels sum in the same order.
   */
  @Property(tries = 30)
  void oneRowEqualsItsRowInAFullTile(@ForAll("seeds") long seed, @ForAll @IntRange(min = 1, max = 50) int out,
      @ForAll @IntRange(min = 1, max = 2100) int in, @ForAll @IntRange(min = 0, max = 15) int combo,
      @ForAll Activation act) {
    Random rnd = new Random(seed);
    float[] w = EpilogueCases.random(rnd, out * in);
    float[] x = EpilogueCases.random(rnd, 4 * in);
    float[] res = EpilogueCases.random(rnd, 4 * out);
    Epilogue e = EpilogueCases.epilogue(rnd, combo, act, out);
    GemmPlan plan = GemmPlan.withConstantB(GemmSpec.linear(in, out), w, 0, e, true);
    float[] four = new float[4 * out];
    float[] one = new float[out];
    try (Executor ex = Executor.create(POOL, 1)) {
      plan.run(4, x, 0, four, 0, res, 0, ex);
      plan.run(1, x, 0, one, 0, res, 0, ex);
    }
    org.junit.jupiter.api.Assertions.assertArrayEquals(java.util.Arrays.copyOf(four, out), one);
  }

  @Test
  void stridedOperandsOfAttentionShape() {
    // Q·K^T per head: Q and K are [tokens, heads*dh]; head h is a column slice (lda = heads*dh).
    Random rnd = new Random(7);
    int tokens = 11;
    int heads = 3;
    int dh = 10;
    int width = heads * dh;
    float[] q = EpilogueCases.random(rnd, tokens * width);
    float[] kk = EpilogueCases.random(rnd, tokens * width);
    GemmSpec spec = new GemmSpec(false, true, dh, tokens, width, width, tokens, dh, dh, tokens * tokens);
    float[] want = new float[heads * tokens * tokens];
    float[] got = new float[want.length];
    GemmReference.run(spec, Epilogue.NONE, heads, tokens, q, 0, kk, 0, want, 0, null, 0);
    try (Executor ex = Executor.create(POOL, 2)) {
      GemmPlan.create(spec, Epilogue.NONE).run(heads, tokens, q, 0, kk, 0, got, 0, null, 0, ex);
    }
    EpilogueCases.assertClose(want, 0, got, 0, want.length, 1e-4, 1e-4, "attention scores");
  }

  /**
   * Shapes whose row blocks hold several 8-row tiles and a tail of 5 (row block 32 on one thread: 197 = 6 x 32 + 5),
   * an odd panel count, and a one-row product wide enough for the four-panel kernel and its leftovers (23 panels).
   */
  @Test
  void severalTilesPerRowBlockAndWideOneRowProducts() {
    Random rnd = new Random(13);
    int[][] shapes = {{197, 300, 45}, {1, 300, 355}, {2, 130, 355}};
    for (int[] s : shapes) {
      int m = s[0];
      int k = s[1];
      int n = s[2];
      Epilogue e = EpilogueCases.epilogue(rnd, 15, Activation.RELU, n);
      float[] w = EpilogueCases.random(rnd, n * k);
      float[] x = EpilogueCases.random(rnd, m * k);
      float[] res = EpilogueCases.random(rnd, m * n);
      float[][] got = checkConstantB(GemmSpec.linear(k, n), e, m, x, w, res, 1, 1e-4, m + "x" + k + "x" + n);
      EpilogueCases.assertClose(got[1], 0, got[0], 0, m * n, 1e-5, 1e-5, m + "x" + k + "x" + n + ", vector vs scalar");
    }
  }

  @Test
  void longReductionsAccumulateOverSeveralKBlocks() {
    Random rnd = new Random(9);
    int m = 101;
    int k = 2100;
    int n = 35;
    GemmSpec spec = GemmSpec.dense(false, true, m, k, n);
    Epilogue e = EpilogueCases.epilogue(rnd, 15, Activation.TANH, n);
    float[] a = EpilogueCases.random(rnd, m * k);
    float[] b = EpilogueCases.random(rnd, k * n);
    float[] res = EpilogueCases.random(rnd, m * n);
    checkConstantB(spec, e, m, a, b, res, 3, 2e-4, "K=2100");
  }

  /**
   * {@code m} rows of {@code a} times the constant {@code b} on the vector and the scalar path ({@code threads}
   * participants), each against the reference within {@code tol + tol·|expected|}; returns {vector, scalar}.
   */
  private static float[][] checkConstantB(GemmSpec spec, Epilogue e, int m, float[] a, float[] b, float[] res,
      int threads, double tol, String what) {
    int n = spec.n();
    float[] want = new float[m * n];
    GemmReference.run(spec, e, 1, m, a, 0, b, 0, want, 0, res, 0);
    float[][] got = new float[2][m * n];
    for (int path = 0; path < 2; path++) {
      boolean vector = path == 0;
      try (Executor ex = Executor.create(POOL, threads)) {
        GemmPlan.withConstantB(spec, b, 0, e, vector).run(m, a, 0, got[path], 0, res, 0, ex);
      }
      EpilogueCases.assertClose(want, 0, got[path], 0, m * n, tol, tol, what + ", vector=" + vector);
    }
    return got;
  }

  @Test
  void missingResidualIsRejected() {
    GemmPlan p = GemmPlan.create(GemmSpec.dense(4, 4), Epilogue.NONE.withResidual(true));
    assertThrows(IllegalArgumentException.class,
        () -> p.run(1, 4, new float[16], 0, new float[16], 0, new float[16], 0, null, 0, Executor.serial()));
  }

  @net.jqwik.api.Provide
  net.jqwik.api.Arbitrary<Long> seeds() {
    return net.jqwik.api.Arbitraries.longs();
  }
}

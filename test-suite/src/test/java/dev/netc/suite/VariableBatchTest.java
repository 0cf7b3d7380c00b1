package dev.netc.suite;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.netc.compiler.Compilation;
import dev.netc.compiler.Compiler;
import dev.netc.compiler.emit.java.CompiledNetwork;
import dev.netc.compiler.emit.java.NetworkSession;
import dev.netc.compiler.ir.Graph;
import dev.netc.compiler.ir.Input;
import dev.netc.compiler.ir.TensorType;
import dev.netc.compiler.ops.Value;
import dev.netc.runtime.InputException;
import java.util.Arrays;
import java.util.List;
import java.util.Map;
import java.util.SplittableRandom;
import java.util.stream.Stream;
import org.junit.jupiter.api.DynamicTest;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestFactory;

/**
 * A session opened for batch {@link #N} runs any batch from 1 to {@code N}: on stdlib models (made smaller where
 * their size would only slow the test), the first {@code n} items of a batch, for {@code n} = 1, 3 and {@code N}
 * in an order that would expose stale activations, give what a session opened for {@code n} gives, and per item
 * what the item gives alone. Bitwise, as a rule (the kernels treat items alike), but compared to float rounding
 * ({@link #ATOL}, {@link #RTOL}): a vector math function the JIT has not yet compiled rounds a last bit otherwise
 * than once compiled (LeNet-5's tanh gives another last bit in its first passes), so bitwise would test the JIT. Wrong batch sizes are refused with an
 * {@link InputException} that says why.
 */
class VariableBatchTest {
  static final int N = 4;
  static final double ATOL = 1e-6;
  static final double RTOL = 1e-5;
  /** The batches run, in this order, on one session. */
  private static final int[] ORDER = {N, 1, 3, N, 3, 1};

  /** A stdlib model, its parameters and input shapes for the test, and its token-id inputs (name to vocabulary). */
  record Model(String name, Map<String, Value> params, Map<String, List<Integer>> shapes, Map<String, Integer> ids) {}

  static final List<Model> MODELS = List.of(
      new Model("lenet5", Map.of(), Map.of(), Map.of()),
      new Model("squeezenet1_1", Map.of(), Map.of("image", List.of(3, 64, 64)), Map.of()),
      new Model("mobilenet_v3_small", Map.of(), Map.of("image", List.of(3, 96, 96)), Map.of()),
      new Model("transformer_encoder", Map.of("vocab", new Value.Int(50), "layers", new Value.Int(2), "hidden",
          new Value.Int(64), "heads", new Value.Int(4), "tokens", new Value.Int(12), "positions", new Value.Int(16)),
          Map.of(), Map.of("input_ids", 50, "token_type_ids", 2)),
      new Model("lstm_lm", Map.of("vocab", new Value.Int(40), "hidden", new Value.Int(24), "steps", new Value.Int(6)),
          Map.of(), Map.of("words", 40)));

  @TestFactory
  Stream<DynamicTest> smallerBatchesMatchEachItemAlone() {
    return MODELS.stream().map(m -> DynamicTest.dynamicTest(m.name(), () -> check(m)));
  }

  private static void check(Model m) {
    Compilation.Network n = network(m);
    Graph g = n.graph();
    CompiledNetwork net = n.compiled();
    Object model = net.randomWeights(11);
    float[][] all = inputs(g, m, N, 5);
    try (NetworkSession s = net.newSession(model, N, 2)) {
      float[][][] alone = new float[N][][];
      for (int i = 0; i < N; i++) alone[i] = run(s, g, items(g, all, i, i + 1), 1);
      double worst = 0;
      for (int k : ORDER) {
        float[][] got = run(s, g, items(g, all, 0, k), k);
        for (int o = 0; o < got.length; o++) {
          TensorType t = outType(g, o);
          for (int i = 0; i < k; i++) {
            float[] mine = t.batched() ? Arrays.copyOfRange(got[o], (int) (i * t.elements()), (int) ((i + 1) * t.elements()))
                : got[o];
            worst = Math.max(worst, close(alone[i][o], mine, m.name() + ": output " + o + " of item " + i
                + " in a batch of " + k + " (session for " + N + ") differs from the item alone"));
          }
        }
        try (NetworkSession exact = net.newSession(model, k, 2)) {
          float[][] want = run(exact, g, items(g, all, 0, k), k);
          for (int o = 0; o < got.length; o++) {
            worst = Math.max(worst, close(want[o], got[o], m.name() + ": output " + o + " at batch " + k + " differs "
                + "between a session for " + N + " and one for " + k));
          }
        }
      }
      System.out.printf("%s: batches of 1 to %d differ from each item alone and from a session of their size by %.3g at most%n", m.name(), N,
          worst);
    }
  }

  /** {@code got} within {@link #ATOL} + {@link #RTOL}·|want| of {@code want}; the largest difference. */
  private static double close(float[] want, float[] got, String what) {
    assertEquals(want.length, got.length, what + ": length");
    double worst = 0;
    for (int i = 0; i < want.length; i++) {
      double d = Math.abs((double) got[i] - want[i]);
      assertTrue(d <= ATOL + RTOL * Math.abs(want[i]), what + ": [" + i + "] " + want[i] + " vs " + got[i]);
      worst = Math.max(worst, d);
    }
    return worst;
  }

  @Test
  void wrongBatchSizesAreRefusedWithTheReason() {
    Model m = MODELS.getFirst();
    Compilation.Network n = network(m);
    Graph g = n.graph();
    CompiledNetwork net = n.compiled();
    Object model = net.randomWeights(1);
    int size = Math.toIntExact(g.node(g.inputs().getFirst()).type().elements());
    int outSize = Math.toIntExact(outType(g, 0).elements());
    try (NetworkSession s = net.newSession(model, N, 2)) {
      float[][] out = {new float[outSize * 2]};
      assertMessage(s, new float[][] {new float[size * (N + 1)]}, out,
          "input image: 5 items, more than the batch of 4 this session was opened for");
      assertMessage(s, new float[][] {new float[0]}, out, "input image: empty; expected 1 or more items of 1024 floats "
          + "([1, 32, 32])");
      assertMessage(s, new float[][] {new float[size * 2 + 3]}, out, "input image: 2051 floats is not a whole number "
          + "of items of 1024 floats ([1, 32, 32])");
      assertMessage(s, new float[][] {new float[size * 3]}, out, "output " + g.outputs().getFirst().name()
          + ": expected 3 items of 10 floats, the batch of this call (30 floats), got 20");
      s.forward(new float[][] {new float[size * 2]}, out);
    }
  }

  private static void assertMessage(NetworkSession s, float[][] in, float[][] out, String message) {
    InputException e = assertThrows(InputException.class, () -> s.forward(in, out));
    assertEquals(message, e.getMessage());
  }

  private static Compilation.Network network(Model m) {
    return Compiler.compile(Compiler.Options.file(Repo.root().resolve("stdlib-models").resolve(m.name() + ".net"))
        .withNetwork(m.name()).withParams(m.params()).withInputShapes(m.shapes())).networks().getFirst();
  }

  private static TensorType outType(Graph g, int o) { return g.node(g.outputs().get(o).node()).type(); }

  /** Runs {@code k} items, outputs sized for {@code k}. */
  private static float[][] run(NetworkSession s, Graph g, float[][] in, int k) {
    float[][] out = new float[g.outputs().size()][];
    for (int o = 0; o < out.length; o++) out[o] = new float[Math.toIntExact(outType(g, o).elements(k))];
    s.forward(in, out);
    return out;
  }

  /** Items {@code [from, to)} of every batched input; unbatched inputs whole. */
  private static float[][] items(Graph g, float[][] all, int from, int to) {
    float[][] in = new float[all.length][];
    for (int i = 0; i < all.length; i++) {
      TensorType t = g.node(g.inputs().get(i)).type();
      int size = Math.toIntExact(t.elements());
      in[i] = t.batched() ? Arrays.copyOfRange(all[i], from * size, to * size) : all[i];
    }
    return in;
  }

  /** Seeded inputs for {@code batch} items: values in [-1, 1), token ids below their vocabulary. */
  private static float[][] inputs(Graph g, Model m, int batch, long seed) {
    SplittableRandom r = new SplittableRandom(seed);
    float[][] in = new float[g.inputs().size()][];
    for (int i = 0; i < in.length; i++) {
      TensorType t = g.node(g.inputs().get(i)).type();
      Integer vocab = m.ids().get(((Input) g.node(g.inputs().get(i)).op()).inputName());
      in[i] = new float[Math.toIntExact(t.elements(batch))];
      for (int k = 0; k < in[i].length; k++) in[i][k] = vocab != null ? r.nextInt(vocab) : (float) r.nextDouble(-1, 1);
    }
    assertTrue(in.length > 0, m.name() + " has no inputs");
    return in;
  }
}

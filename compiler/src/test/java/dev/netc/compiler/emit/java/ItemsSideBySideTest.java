package dev.netc.compiler.emit.java;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.netc.compiler.ir.Graph;
import dev.netc.compiler.opt.Pipeline;
import dev.netc.compiler.plan.Planner;
import dev.netc.runtime.Tensor;
import dev.netc.runtime.exec.Executor;
import dev.netc.runtime.exec.WorkerPool;
import java.lang.reflect.Constructor;
import java.lang.reflect.Field;
import java.lang.reflect.Method;
import java.util.Arrays;
import java.util.LinkedHashMap;
import java.util.Map;
import org.junit.jupiter.api.Test;

/**
 * A session on several threads runs a call of at least as many items as threads side by side, each item through a
 * one-thread copy of the session (its {@code sides}): every item's outputs are bit for bit those of the item run alone
 * on one thread, for any number of items from 1 to the session's batch (the ones left over, and calls of fewer items
 * than threads, layer by layer on every thread), with several inputs and outputs, recurrent layers' own state, and
 * layer by layer under
 * {@code -Dnetc.exec.sideBySide=false}. Sessions are opened on pools of their own, so the tests do not depend on the
 * machine's processors. Unforced, a session follows the compiler's choice ({@link JavaEmitter#itemsSideBySide}).
 */
class ItemsSideBySideTest {
  /** Two batched inputs and two outputs, so that the copies in and out must keep each port's own offsets. */
  static final String PAIR = """
      network pair {
        input a: [4, 10, 10]
        input b: [4, 10, 10]
        @a
        conv1: conv(4, 3, pad: 1); bn1: batchnorm; relu
        add(@b)
        conv2: conv(8, 3, stride: 2, pad: 1); relu
        head pooled { global_avgpool; flatten }
        head logits { flatten; fc: linear(6) }
      }
      """;

  /** Inputs named like the locals of the generated {@code dispatch}: the class must still compile. */
  static final String LOCAL_NAMES = """
      network locals {
        input n: [4, 6, 6]
        input rest: [4, 6, 6]
        @n
        add(@rest)
        conv(4, 3, pad: 1); relu
        head i { global_avgpool; flatten }
      }
      """;

  /** Recurrent layers keep per-session state arrays, sized for the items a pass of the session runs. */
  static final String RECURRENT = """
      network seqs {
        input x: [6, 8]
        lstm(12, layers: 2)
        gru(8, layers: 3)
        norm: layernorm
      }
      """;

  @Test
  void everyItemOfABatchIsTheItemAloneOnTwoAndThreeThreads() throws Exception {
    for (String source : new String[] {AllocationTest.NET, PAIR, LOCAL_NAMES, RECURRENT}) {
      Graph g = Generated.graph(source);
      CompiledNetwork net = Generated.compile(g);
      Object model = net.randomWeights(3);
      int batch = 7;
      Map<String, Tensor> inputs = Generated.inputs(g, batch, 4);
      float[][][] alone = new float[batch][][];
      for (int i = 0; i < batch; i++) alone[i] = Generated.run(net, model, g, 1, 1, items(inputs, i, i + 1));
      for (int threads : new int[] {2, 3}) {
        try (WorkerPool pool = new WorkerPool(threads)) {
          Object session = Generated.sideBySide("true", () -> open(model, batch, pool, threads));
          String what = g.name() + " on " + threads + " threads";
          assertEquals(threads, ((Object[]) field(session, "sides")).length, what + ": one side session per thread");
          // The arena holds the items left over, fewer than the threads.
          assertEquals(arena(session, threads - 1), ((float[]) field(session, "arena")).length, what + ": arena");
          // A first call of exactly as many items as threads leaves none over: nothing runs in the arena, and the
          // first side session (every thread tries it first) ran an item.
          float[][] first = forward(session, g, items(inputs, 0, threads), threads);
          assertTrue(allZero((float[]) field(session, "arena")), what + ": no item ran layer by layer");
          assertFalse(allZero((float[]) field(((Object[]) field(session, "sides"))[0], "arena")),
              what + ": a side session ran");
          check(alone, first, threads, what);
          for (int k = 1; k <= batch; k++) check(alone, forward(session, g, items(inputs, 0, k), k), k, what);
          ((AutoCloseable) session).close();
        }
      }
    }
  }

  @Test
  void oneThreadOneItemOrThePropertyMeanLayerByLayer() throws Exception {
    Graph g = Generated.graph(PAIR);
    CompiledNetwork net = Generated.compile(g);
    Object model = net.randomWeights(3);
    Map<String, Tensor> inputs = Generated.inputs(g, 4, 4);
    try (WorkerPool pool = new WorkerPool(2)) {
      Object sides = Generated.sideBySide("true", () -> open(model, 4, pool, 2));
      assertNotNull(field(sides, "sides"), "-Dnetc.exec.sideBySide=true");
      float[][] sideBySide = forward(sides, g, inputs, 4);
      assertNull(field(Generated.sideBySide("true", () -> open(model, 4, pool, 1)), "sides"), "one thread");
      assertNull(field(Generated.sideBySide("true", () -> open(model, 1, pool, 2)), "sides"), "a session for one item");
      Object layers = Generated.sideBySide("false", () -> open(model, 4, pool, 2));
      assertNull(field(layers, "sides"), "-Dnetc.exec.sideBySide=false");
      assertEquals(arena(layers, 4), ((float[]) field(layers, "arena")).length, "arena of the whole batch");
      float[][] layerByLayer = forward(layers, g, inputs, 4);
      for (int o = 0; o < sideBySide.length; o++) assertArrayEquals(layerByLayer[o], sideBySide[o], "output " + o);
    }
  }

  /**
   * Unforced, a session runs items side by side where the compiler chose to: a network whose pass writes more
   * activation floats than it has weights (convolutions on a 24x24 image), and not one whose weights outweigh its
   * activations (two wide linear layers on 64 features).
   */
  @Test
  void unforcedTheCompilersChoiceHolds() throws Exception {
    String wide = """
        network wide {
          input x: [64]
          fc1: linear(512); relu
          fc2: linear(10)
        }
        """;
    String[] sources = {AllocationTest.NET, wide};
    boolean[] sideBySide = {true, false};
    try (WorkerPool pool = new WorkerPool(2)) {
      for (int k = 0; k < sources.length; k++) {
        Graph g = Generated.graph(sources[k]);
        boolean chosen = JavaEmitter.itemsSideBySide(Planner.plan(Pipeline.run(g)));
        assertEquals(sideBySide[k], chosen, g.name() + ": the compiler's choice");
        Object model = Generated.compile(g).randomWeights(1);
        Object session = Generated.sideBySide(null, () -> open(model, 4, pool, 2));
        assertEquals(chosen, field(session, "sides") != null, g.name() + ": side by side as chosen");
      }
    }
  }

  /** Item {@code i} of a call of {@code k} items is item {@code i} alone. */
  private static void check(float[][][] alone, float[][] got, int k, String what) {
    for (int o = 0; o < got.length; o++) {
      int size = alone[0][o].length;
      assertEquals(size * k, got[o].length, what + ": output " + o + " of a call of " + k);
      for (int i = 0; i < k; i++) {
        assertArrayEquals(alone[i][o], Arrays.copyOfRange(got[o], i * size, (i + 1) * size),
            what + ": output " + o + " of item " + i + " of a call of " + k);
      }
    }
  }

  /** A generated session for {@code batch} items on {@code threads} threads of {@code pool}. */
  private static Object open(Object model, int batch, WorkerPool pool, int threads) throws Exception {
    Class<?> type = Class.forName(model.getClass().getName() + "$Session", true, model.getClass().getClassLoader());
    // An inner class: its constructor takes the model first.
    Constructor<?> open = type.getDeclaredConstructor(model.getClass(), int.class, Executor.class);
    open.setAccessible(true);
    return open.newInstance(model, batch, threads == 1 ? Executor.serial() : Executor.create(pool, threads));
  }

  /** The generated {@code forward(inputs..., outputs...)} on a call of {@code k} items. */
  private static float[][] forward(Object session, Graph g, Map<String, Tensor> inputs, int k) throws Exception {
    int ins = g.inputs().size();
    int outs = g.outputs().size();
    Class<?>[] floats = new Class<?>[ins + outs];
    Arrays.fill(floats, float[].class);
    Method forward = session.getClass().getMethod("forward", floats);
    Object[] args = new Object[ins + outs];
    int a = 0;
    for (Tensor t : inputs.values()) args[a++] = t.data();
    float[][] out = new float[outs][];
    for (int o = 0; o < outs; o++) {
      out[o] = new float[Math.toIntExact(g.node(g.outputs().get(o).node()).type().elements(k))];
      args[ins + o] = out[o];
    }
    forward.invoke(session, args);
    return out;
  }

  /** Items {@code from} to {@code to} of every (batched) input. */
  private static Map<String, Tensor> items(Map<String, Tensor> all, int from, int to) {
    Map<String, Tensor> m = new LinkedHashMap<>();
    all.forEach((name, t) -> {
      int size = t.data().length / t.shape().dim(0);
      int[] dims = t.shape().dims().clone();
      dims[0] = to - from;
      m.put(name, new Tensor(dev.netc.runtime.Shape.of(dims), Arrays.copyOfRange(t.data(), from * size, to * size)));
    });
    return m;
  }

  private static boolean allZero(float[] a) {
    for (float v : a) if (v != 0) return false;
    return true;
  }

  private static Object field(Object session, String name) throws Exception {
    Field f = session.getClass().getDeclaredField(name);
    f.setAccessible(true);
    return f.get(session);
  }

  /** The arena floats of a session holding {@code items} items: the model's per-item and fixed constants. */
  private static int arena(Object session, int items) throws Exception {
    Class<?> model = session.getClass().getDeclaringClass();
    Field perItem = model.getDeclaredField("BATCHED_ARENA");
    Field fixed = model.getDeclaredField("FIXED_ARENA");
    perItem.setAccessible(true);
    fixed.setAccessible(true);
    return perItem.getInt(null) * items + fixed.getInt(null);
  }
}

package dev.netc.compiler.emit.java;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertNull;

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
import java.util.concurrent.Callable;
import org.junit.jupiter.api.Test;

/**
 * A session on several threads runs a batch of at least as many items as threads side by side, one item per thread
 * at a time ({@code lanes}): every item's outputs are bit for bit those of the item run alone on one thread, for any
 * number of items from 1 to the session's batch (the ones left over run first, one at a time on every thread), with
 * several inputs and outputs, and with the lanes turned off by {@code -Dnetc.exec.lanes=false}. With lanes the
 * session's own activations hold one item. Unforced, lanes follow the compiler's choice for the network
 * ({@link JavaEmitter#itemsSideBySide}).
 */
class LanesTest {
  /** Two batched inputs and two outputs, so that the lanes' copies in and out must keep each port's own offsets. */
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

  @Test
  void everyItemOfABatchIsTheItemAlone() throws Exception {
    for (String source : new String[] {AllocationTest.NET, PAIR}) {
      Graph g = Generated.graph(source);
      CompiledNetwork net = Generated.compile(g);
      Object model = net.randomWeights(3);
      int batch = 5;
      Map<String, Tensor> inputs = Generated.inputs(g, batch, 4);
      float[][][] alone = new float[batch][][];
      for (int i = 0; i < batch; i++) alone[i] = Generated.run(net, model, g, 1, 1, items(g, inputs, i, i + 1));
      try (NetworkSession s = forced("true", () -> net.newSession(model, batch, 2))) {
        Object session = generated(s);
        assertEquals(2, ((Object[]) field(session, "lanes")).length, g.name() + ": one lane per thread");
        // The items left over run one at a time: the session's own arena holds one item.
        assertEquals(arena(session, 1), ((float[]) field(session, "arena")).length, g.name() + ": arena of one item");
        for (int k = 1; k <= batch; k++) {
          float[][] got = forward(s, g, items(g, inputs, 0, k), k);
          for (int o = 0; o < got.length; o++) {
            int size = got[o].length / k;
            for (int i = 0; i < k; i++) {
              assertArrayEquals(alone[i][o], Arrays.copyOfRange(got[o], i * size, (i + 1) * size),
                  g.name() + ": output " + o + " of item " + i + " of " + k);
            }
          }
        }
      }
    }
  }

  /**
   * Three threads (a pool of its own) and a batch of 5: two items are left over and run one at a time on every thread
   * before the three lanes take one each; a call of 4 leaves one over, and a call of 2 (fewer than the threads) is
   * one pass on every thread.
   */
  @Test
  void itemsLeftOverRunOneAtATimeFirst() throws Exception {
    Graph g = Generated.graph(PAIR);
    CompiledNetwork net = Generated.compile(g);
    Object model = net.randomWeights(5);
    int batch = 5;
    Map<String, Tensor> inputs = Generated.inputs(g, batch, 6);
    float[][][] alone = new float[batch][][];
    for (int i = 0; i < batch; i++) alone[i] = Generated.run(net, model, g, 1, 1, items(g, inputs, i, i + 1));
    try (WorkerPool pool = new WorkerPool(3)) {
      Class<?> type = Class.forName(model.getClass().getName() + "$Session", true, model.getClass().getClassLoader());
      // An inner class: its constructor takes the model first.
      Constructor<?> open = type.getDeclaredConstructor(model.getClass(), int.class, Executor.class);
      open.setAccessible(true);
      Object session = forced("true", () -> open.newInstance(model, batch, Executor.create(pool, 3)));
      assertEquals(3, ((Object[]) field(session, "lanes")).length);
      Class<?>[] floats = new Class<?>[g.inputs().size() + g.outputs().size()];
      Arrays.fill(floats, float[].class);
      Method forward = type.getMethod("forward", floats);
      for (int k : new int[] {5, 4, 2, 3}) {
        float[][] in = items(g, inputs, 0, k).values().stream().map(Tensor::data).toArray(float[][]::new);
        Object[] args = new Object[floats.length];
        System.arraycopy(in, 0, args, 0, in.length);
        for (int o = 0; o < g.outputs().size(); o++) args[in.length + o] = new float[alone[0][o].length * k];
        forward.invoke(session, args);
        for (int o = 0; o < g.outputs().size(); o++) {
          float[] got = (float[]) args[in.length + o];
          int size = alone[0][o].length;
          for (int i = 0; i < k; i++) {
            assertArrayEquals(alone[i][o], Arrays.copyOfRange(got, i * size, (i + 1) * size),
                "output " + o + " of item " + i + " of " + k + " on 3 threads");
          }
        }
      }
      ((AutoCloseable) session).close();
    }
  }

  @Test
  void oneThreadOneItemOrThePropertyMeanNoLanes() throws Exception {
    Graph g = Generated.graph(PAIR);
    CompiledNetwork net = Generated.compile(g);
    Object model = net.randomWeights(3);
    Map<String, Tensor> inputs = Generated.inputs(g, 4, 4);
    float[][] withLanes;
    try (NetworkSession s = forced("true", () -> net.newSession(model, 4, 2))) {
      assertNotNull(field(generated(s), "lanes"), "-Dnetc.exec.lanes=true");
      withLanes = forward(s, g, inputs, 4);
    }
    try (NetworkSession s = forced("true", () -> net.newSession(model, 4, 1))) {
      assertNull(field(generated(s), "lanes"), "one thread");
    }
    try (NetworkSession s = forced("true", () -> net.newSession(model, 1, 2))) {
      assertNull(field(generated(s), "lanes"), "a session for one item");
    }
    try (NetworkSession s = forced("false", () -> net.newSession(model, 4, 2))) {
      Object session = generated(s);
      assertNull(field(session, "lanes"), "-Dnetc.exec.lanes=false");
      assertEquals(arena(session, 4), ((float[]) field(session, "arena")).length, "arena of the whole batch");
      float[][] layerByLayer = forward(s, g, inputs, 4);
      for (int o = 0; o < withLanes.length; o++) assertArrayEquals(layerByLayer[o], withLanes[o], "output " + o);
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
    for (int k = 0; k < sources.length; k++) {
      Graph g = Generated.graph(sources[k]);
      boolean chosen = JavaEmitter.itemsSideBySide(Planner.plan(Pipeline.run(g)));
      assertEquals(sideBySide[k], chosen, g.name() + ": the compiler's choice");
      CompiledNetwork net = Generated.compile(g);
      try (NetworkSession s = forced(null, () -> net.newSession(net.randomWeights(1), 4, 2))) {
        assertEquals(chosen, field(generated(s), "lanes") != null, g.name() + ": lanes as chosen");
      }
    }
  }

  /** What {@code open} returns with {@code netc.exec.lanes} set to {@code value} (null: unset), which it then restores. */
  private static <T> T forced(String value, Callable<T> open) throws Exception {
    String before = System.getProperty("netc.exec.lanes");
    if (value == null) System.clearProperty("netc.exec.lanes");
    else System.setProperty("netc.exec.lanes", value);
    try {
      return open.call();
    } finally {
      if (before == null) System.clearProperty("netc.exec.lanes");
      else System.setProperty("netc.exec.lanes", before);
    }
  }

  private static float[][] forward(NetworkSession s, Graph g, Map<String, Tensor> inputs, int batch) {
    float[][] in = inputs.values().stream().map(Tensor::data).toArray(float[][]::new);
    float[][] out = new float[g.outputs().size()][];
    for (int i = 0; i < out.length; i++) {
      out[i] = new float[Math.toIntExact(g.node(g.outputs().get(i).node()).type().elements(batch))];
    }
    s.forward(in, out);
    return out;
  }

  /** Items {@code from} to {@code to} of every (batched) input. */
  private static Map<String, Tensor> items(Graph g, Map<String, Tensor> all, int from, int to) {
    Map<String, Tensor> m = new LinkedHashMap<>();
    all.forEach((name, t) -> {
      int size = t.data().length / t.shape().dim(0);
      int[] dims = t.shape().dims().clone();
      dims[0] = to - from;
      m.put(name, new Tensor(dev.netc.runtime.Shape.of(dims), Arrays.copyOfRange(t.data(), from * size, to * size)));
    });
    return m;
  }

  /** The generated session behind the in-memory driver's adapter. */
  private static Object generated(NetworkSession s) throws Exception {
    var component = s.getClass().getRecordComponents()[0].getAccessor();
    component.setAccessible(true);
    return component.invoke(s);
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

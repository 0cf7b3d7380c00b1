package dev.netc.compiler.emit.java;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.netc.compiler.ir.Graph;
import dev.netc.runtime.Tensor;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.concurrent.atomic.AtomicReference;
import org.junit.jupiter.api.Test;

/**
 * A session misused from two threads at once, or after {@code close()}: every call returns the right answer or
 * throws {@link IllegalStateException}; none returns a wrong answer.
 */
class SessionMisuseTest {
  @Test
  void twoThreadsOnOneSessionGetTheRightAnswerOrAnException() throws Exception {
    Graph g = Generated.graph(AllocationTest.NET);
    CompiledNetwork net = Generated.compile(g);
    Object model = net.randomWeights(9);
    int threads = 2;
    float[][][] in = new float[threads][][];
    float[][] expected = new float[threads][];
    for (int t = 0; t < threads; t++) {
      in[t] = Generated.inputs(g, 2, 40 + t).values().stream().map(Tensor::data).toArray(float[][]::new);
      expected[t] = runAlone(net, model, g, in[t]);
    }
    assertTrue(!java.util.Arrays.equals(expected[0], expected[1]), "the two threads' inputs must differ");
    AtomicInteger right = new AtomicInteger();
    AtomicInteger refused = new AtomicInteger();
    AtomicReference<Throwable> wrong = new AtomicReference<>();
    CountDownLatch start = new CountDownLatch(1);
    try (NetworkSession s = net.newSession(model, 2, 1)) {
      List<Thread> ts = new ArrayList<>();
      for (int t = 0; t < threads; t++) {
        int me = t;
        ts.add(Thread.ofPlatform().start(() -> {
          float[][] out = {new float[expected[me].length]};
          try {
            start.await();
            for (int r = 0; r < 3000 && wrong.get() == null; r++) {
              try {
                s.forward(in[me], out);
              } catch (IllegalStateException e) {
                refused.incrementAndGet();
                continue;
              }
              if (!java.util.Arrays.equals(expected[me], out[0])) {
                wrong.compareAndSet(null, new AssertionError("wrong answer on repetition " + r));
              } else {
                right.incrementAndGet();
              }
            }
          } catch (Throwable e) {
            wrong.compareAndSet(null, e);
          }
        }));
      }
      start.countDown();
      for (Thread t : ts) t.join();
    }
    if (wrong.get() != null) throw new AssertionError("a misused session misbehaved", wrong.get());
    assertEquals(6000, right.get() + refused.get());
    assertTrue(right.get() > 0, "some calls must succeed");
  }

  @Test
  void forwardAfterCloseThrowsAndClosingTwiceIsHarmless() {
    Graph g = Generated.graph(AllocationTest.NET);
    CompiledNetwork net = Generated.compile(g);
    Object model = net.randomWeights(9);
    float[][] in = Generated.inputs(g, 1, 5).values().stream().map(Tensor::data).toArray(float[][]::new);
    float[][] out = {new float[Math.toIntExact(g.node(g.outputs().getFirst().node()).type().elements(1))]};
    NetworkSession s = net.newSession(model, 1, 2);
    s.forward(in, out);
    s.close();
    s.close();
    IllegalStateException e = assertThrows(IllegalStateException.class, () -> s.forward(in, out));
    assertTrue(e.getMessage().contains("Session.forward called after close"), e.getMessage());
  }

  private static float[] runAlone(CompiledNetwork net, Object model, Graph g, float[][] in) {
    float[][] out = {new float[Math.toIntExact(g.node(g.outputs().getFirst().node()).type().elements(2))]};
    try (NetworkSession s = net.newSession(model, 2, 1)) {
      s.forward(in, out);
    }
    return out[0];
  }
}

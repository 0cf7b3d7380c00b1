package dev.netc.compiler.emit.java;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;

import dev.netc.compiler.ir.Graph;
import dev.netc.runtime.Tensor;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import org.junit.jupiter.api.Test;

/**
 * One model shared by many threads, each with its own session: every thread gets the bit-identical outputs a
 * single session computes, on every repetition.
 */
class SharedModelTest {
  @Test
  void threadsSharingOneModelGetBitIdenticalResults() throws Exception {
    Graph g = Generated.graph(AllocationTest.NET);
    CompiledNetwork net = Generated.compile(g);
    Object model = net.randomWeights(9);
    Map<String, Tensor> inputs = Generated.inputs(g, 3, 10);
    float[] expected = Generated.run(net, model, g, 3, 2, inputs)[0];
    ExecutorService pool = Executors.newFixedThreadPool(6);
    try {
      List<Future<List<float[]>>> results = new ArrayList<>();
      for (int t = 0; t < 6; t++) {
        int threads = 1 + t % 2;
        results.add(pool.submit(() -> {
          List<float[]> outs = new ArrayList<>();
          float[][] in = inputs.values().stream().map(Tensor::data).toArray(float[][]::new);
          try (NetworkSession s = net.newSession(model, 3, threads)) {
            for (int r = 0; r < 25; r++) {
              float[][] out = {new float[expected.length]};
              s.forward(in, out);
              outs.add(out[0]);
            }
          }
          return outs;
        }));
      }
      for (Future<List<float[]>> f : results) {
        for (float[] got : f.get()) assertArrayEquals(expected, got);
      }
    } finally {
      pool.shutdownNow();
    }
  }
}

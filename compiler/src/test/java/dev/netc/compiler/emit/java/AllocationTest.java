package dev.netc.compiler.emit.java;

import static org.junit.jupiter.api.Assertions.assertEquals;

import dev.netc.compiler.ir.Graph;
import dev.netc.runtime.Tensor;
import java.lang.management.ManagementFactory;
import java.util.Map;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.api.Tag;
import org.junit.jupiter.params.provider.ValueSource;

/**
 * {@code forward} allocates nothing in steady state: once warmed up, repeated calls leave the allocated-bytes
 * counters of the calling thread and of the worker pool's threads unchanged. Warm-up lasts until the JIT has
 * compiled the hot paths (code not yet compiled by C2 boxes Vector API values), up to a bound after which the
 * test fails with the bytes the last round allocated.
 *
 * <p>Not covered yet, because the runtime kernels themselves allocate a little per call there: a convolution
 * reading an NCHW map after global pooling (a squeeze-and-excite gate's convs) and a softmax along an axis with
 * nothing after it.
 */
@Tag("allocation")
class AllocationTest {
  static final String NET = """
      block Basic(planes: int, stride: int = 1) {
        residual {
          conv1: conv(planes, 3, stride: stride, pad: 1, bias: false); bn1: batchnorm; relu
          conv2: conv(planes, 3, pad: 1, bias: false); bn2: batchnorm
        } shortcut when (stride != 1 or in.channels != planes) {
          downsample: [conv(planes, 1, stride: stride, bias: false), batchnorm]
        }
        relu
      }
      network alloc {
        input image: [3, 24, 24]
        conv1: conv(16, 3, pad: 1, bias: false); bn1: batchnorm; relu
        maxpool(3, stride: 2, pad: 1)
        layer1: Basic(16)
        layer2: Basic(32, stride: 2)
        inverted: residual {
          conv(96, 1, bias: false); batchnorm; relu6
          conv(96, 3, pad: 1, groups: 96, bias: false); batchnorm; relu6
          conv(32, 1, bias: false); batchnorm
        }
        concat { [conv(8, 1), relu6]; [avgpool(3, stride: 1, pad: 1), conv(8, 1, groups: 8)] }
        se: gate { global_avgpool }
        norm: groupnorm(4)
        adaptive_avgpool(2)
        head logits { flatten; fc: linear(10) }
      }
      """;

  @ParameterizedTest(name = "{0} thread(s)")
  @ValueSource(ints = {1, 2})
  void steadyStateForwardAllocatesNothing(int threads) {
    Graph g = Generated.graph(NET);
    CompiledNetwork net = Generated.compile(g);
    assertEquals(1, net.source().toString().split("ConvChain.of\\(", -1).length - 1, "the inverted block runs as a chain");
    Object model = net.randomWeights(5);
    Map<String, Tensor> inputs = Generated.inputs(g, 2, 6);
    float[][] in = inputs.values().stream().map(Tensor::data).toArray(float[][]::new);
    float[][] out = {new float[2 * 10]};
    com.sun.management.ThreadMXBean mx = (com.sun.management.ThreadMXBean) ManagementFactory.getThreadMXBean();
    try (NetworkSession s = net.newSession(model, 2, threads)) {
      long[] ids = threadIds();
      // Reading the counters allocates their result array: measure that once and take it off.
      long overhead = allocated(mx, ids) - allocated(mx, ids);
      long allocated = -1;
      for (int round = 0; round < 60 && allocated != 0; round++) {
        for (int i = 0; i < 500; i++) s.forward(in, out);
        long before = allocated(mx, ids);
        for (int i = 0; i < 200; i++) s.forward(in, out);
        allocated = allocated(mx, ids) - before + overhead;
      }
      assertEquals(0, allocated, "bytes allocated by 200 forward passes after warm-up");
    }
  }

  /** A session for 4 items running 3, then 1, then 3...: no call allocates, whatever batch it runs. */
  @ParameterizedTest(name = "{0} thread(s)")
  @ValueSource(ints = {1, 2})
  void smallerBatchesAllocateNothing(int threads) {
    Graph g = Generated.graph(NET);
    CompiledNetwork net = Generated.compile(g);
    Object model = net.randomWeights(5);
    float[][] three = Generated.inputs(g, 3, 6).values().stream().map(Tensor::data).toArray(float[][]::new);
    float[][] one = Generated.inputs(g, 1, 7).values().stream().map(Tensor::data).toArray(float[][]::new);
    float[][] outThree = {new float[3 * 10]};
    float[][] outOne = {new float[10]};
    com.sun.management.ThreadMXBean mx = (com.sun.management.ThreadMXBean) ManagementFactory.getThreadMXBean();
    try (NetworkSession s = net.newSession(model, 4, threads)) {
      long[] ids = threadIds();
      long overhead = allocated(mx, ids) - allocated(mx, ids);
      long allocated = -1;
      for (int round = 0; round < 60 && allocated != 0; round++) {
        for (int i = 0; i < 250; i++) {
          s.forward(three, outThree);
          s.forward(one, outOne);
        }
        long before = allocated(mx, ids);
        for (int i = 0; i < 100; i++) {
          s.forward(three, outThree);
          s.forward(one, outOne);
        }
        allocated = allocated(mx, ids) - before + overhead;
      }
      assertEquals(0, allocated, "bytes allocated by 200 forward passes of 3 and 1 items (session for 4) after warm-up");
    }
  }

  private static long allocated(com.sun.management.ThreadMXBean mx, long[] ids) {
    long sum = 0;
    for (long b : mx.getThreadAllocatedBytes(ids)) sum += b;
    return sum;
  }

  /** This thread and the worker pool's. */
  private static long[] threadIds() {
    return Thread.getAllStackTraces().keySet().stream()
        .filter(t -> t == Thread.currentThread() || t.getName().startsWith("netc-worker"))
        .mapToLong(Thread::threadId).toArray();
  }
}

package dev.netc.bench;

import dev.netc.runtime.exec.Executor;
import dev.netc.runtime.exec.WorkerPool;
import dev.netc.runtime.kernels.Activation;
import dev.netc.runtime.kernels.ConvPlan;
import dev.netc.runtime.kernels.ConvSpec;
import dev.netc.runtime.kernels.Epilogue;
import dev.netc.runtime.kernels.Layout;
import java.util.Random;
import java.util.concurrent.TimeUnit;
import org.openjdk.jmh.annotations.Benchmark;
import org.openjdk.jmh.annotations.BenchmarkMode;
import org.openjdk.jmh.annotations.Fork;
import org.openjdk.jmh.annotations.Level;
import org.openjdk.jmh.annotations.Mode;
import org.openjdk.jmh.annotations.OutputTimeUnit;
import org.openjdk.jmh.annotations.Param;
import org.openjdk.jmh.annotations.Scope;
import org.openjdk.jmh.annotations.Setup;
import org.openjdk.jmh.annotations.State;
import org.openjdk.jmh.annotations.TearDown;

/**
 * Depthwise 3x3 convolution on 144 x 56 x 56 (MobileNetV2), bias + ReLU6, blocked layout. The
 * layer's 3.6 MB of activations fit the 32 MiB L3, so a loop over one buffer pair measures L3
 * speed: {@code cold = true} rotates through {@value #ROTATE} input/output pairs (58 MB) so that
 * every call reads and writes DRAM, as a layer does inside a network.
 *
 * <p>{@code offset} places the tensors that many floats into their arrays. The arrays (1.8 MB) are
 * G1 humongous objects, which start on a region boundary, so their data start 16 bytes after a
 * 64-byte line: at offset 0 every second 32-byte vector load of a pixel's 16 channels straddles two
 * lines; at offset 4 none does. The runtime cannot see addresses; a memory planner can choose
 * offsets.
 */
@State(Scope.Benchmark)
@BenchmarkMode(Mode.AverageTime)
@OutputTimeUnit(TimeUnit.MICROSECONDS)
@Fork(value = 1, jvmArgsAppend = {"--add-modules", "jdk.incubator.vector"})
public class DepthwiseBench {
  static final int ROTATE = 16;

  @Param({"1", "2"})
  public int threads;

  @Param({"false", "true"})
  public boolean cold;

  @Param({"0", "4"})
  public int offset;

  private ConvPlan plan;
  private float[][] in;
  private float[][] out;
  private int next;
  private WorkerPool pool;
  private Executor ex;

  /** Random weights and inputs, the plan, threads. */
  @Setup(Level.Trial)
  public void setup() {
    ConvSpec spec = Workloads.DEPTHWISE;
    Random rnd = new Random(3);
    float[] w = new float[spec.weightSize()];
    for (int i = 0; i < w.length; i++) {
      w[i] = rnd.nextFloat() - 0.5f;
    }
    plan = ConvPlan.create(spec, w, 0,
        Epilogue.NONE.withBias(new float[spec.outChannels()]).withActivation(Activation.RELU6),
        Layout.NCHWC16);
    int copies = cold ? ROTATE : 1;
    in = new float[copies][offset + plan.inputSize()];
    out = new float[copies][offset + plan.outputSize()];
    for (float[] x : in) {
      for (int i = 0; i < x.length; i++) {
        x[i] = rnd.nextFloat();
      }
    }
    pool = new WorkerPool(threads);
    ex = pool.newExecutor();
  }

  /** Stops the threads. */
  @TearDown(Level.Trial)
  public void tearDown() {
    ex.close();
    pool.close();
  }

  /** One forward call of the layer. */
  @Benchmark
  public float[] depthwise() {
    int i = next;
    next = i + 1 == in.length ? 0 : i + 1;
    plan.run(1, in[i], offset, out[i], offset, null, 0, ex);
    return out[i];
  }
}

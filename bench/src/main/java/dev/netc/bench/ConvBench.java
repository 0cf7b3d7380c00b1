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
 * Convolution layers at batch 1 with a bias + ReLU epilogue, blocked (NCHWc16) activations; the
 * stem reads the NCHW model input directly. See {@link Workloads} for the shapes.
 */
@State(Scope.Benchmark)
@BenchmarkMode(Mode.AverageTime)
@OutputTimeUnit(TimeUnit.MICROSECONDS)
@Fork(value = 1, jvmArgsAppend = {"--add-modules", "jdk.incubator.vector"})
public class ConvBench {
  @Param({"conv3x3", "conv1x1", "stem", "conv3x3s2", "conv1x1k2048"})
  public String layer;

  @Param({"1", "2"})
  public int threads;

  private ConvPlan plan;
  private float[] in;
  private float[] out;
  private WorkerPool pool;
  private Executor ex;

  /** Random weights and input, the plan, threads. */
  @Setup(Level.Trial)
  public void setup() {
    ConvSpec spec = Workloads.conv(layer);
    Random rnd = new Random(2);
    float[] w = new float[spec.weightSize()];
    for (int i = 0; i < w.length; i++) {
      w[i] = rnd.nextFloat() - 0.5f;
    }
    float[] bias = new float[spec.outChannels()];
    Layout inLayout = layer.equals("stem") ? Layout.NCHW : Layout.NCHWC16;
    plan = ConvPlan.create(spec, w, 0,
        Epilogue.NONE.withBias(bias).withActivation(Activation.RELU), inLayout);
    in = new float[plan.inputSize()];
    for (int i = 0; i < in.length; i++) {
      in[i] = rnd.nextFloat();
    }
    out = new float[plan.outputSize()];
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
  public float[] conv() {
    plan.run(1, in, 0, out, 0, null, 0, ex);
    return out;
  }
}

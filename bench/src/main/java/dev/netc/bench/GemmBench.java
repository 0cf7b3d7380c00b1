package dev.netc.bench;

import dev.netc.runtime.exec.Executor;
import dev.netc.runtime.exec.WorkerPool;
import dev.netc.runtime.kernels.Epilogue;
import dev.netc.runtime.kernels.GemmPlan;
import dev.netc.runtime.kernels.GemmSpec;
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
 * SGEMM {@code C = A·B}, 1024 x 1024 x 1024, on 1 and 2 threads: {@code sgemm} packs both operands
 * in every call (a general matrix product), {@code sgemmPackedB} uses a B packed once at load
 * (a linear layer's weights).
 */
@State(Scope.Benchmark)
@BenchmarkMode(Mode.AverageTime)
@OutputTimeUnit(TimeUnit.MICROSECONDS)
@Fork(value = 1, jvmArgsAppend = {"--add-modules", "jdk.incubator.vector"})
public class GemmBench {
  @Param({"1", "2"})
  public int threads;

  private float[] a;
  private float[] b;
  private float[] c;
  private GemmPlan general;
  private GemmPlan packed;
  private WorkerPool pool;
  private Executor ex;

  /** Random operands, plans, threads. */
  @Setup(Level.Trial)
  public void setup() {
    int n = Workloads.GEMM;
    Random rnd = new Random(1);
    a = new float[n * n];
    b = new float[n * n];
    c = new float[n * n];
    for (int i = 0; i < n * n; i++) {
      a[i] = rnd.nextFloat() - 0.5f;
      b[i] = rnd.nextFloat() - 0.5f;
    }
    general = GemmPlan.create(GemmSpec.dense(n, n), Epilogue.NONE);
    packed = GemmPlan.withConstantB(GemmSpec.dense(n, n), b, 0, Epilogue.NONE);
    pool = new WorkerPool(threads);
    ex = pool.newExecutor();
  }

  /** Stops the threads. */
  @TearDown(Level.Trial)
  public void tearDown() {
    ex.close();
    pool.close();
  }

  /** Both operands packed per call. */
  @Benchmark
  public float[] sgemm() {
    general.run(1, Workloads.GEMM, a, 0, b, 0, c, 0, null, 0, ex);
    return c;
  }

  /** B packed once at load time. */
  @Benchmark
  public float[] sgemmPackedB() {
    packed.run(Workloads.GEMM, a, 0, c, 0, null, 0, ex);
    return c;
  }
}

package dev.netc.bench;

import dev.netc.runtime.exec.CallFrame;
import dev.netc.runtime.exec.Executor;
import dev.netc.runtime.exec.ParallelTask;
import dev.netc.runtime.exec.WorkerPool;
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
 * STREAM triad {@code a[i] = b[i] + s * c[i]} over three 32 MiB arrays (past the L3): the memory
 * bandwidth that memory-bound kernels (depthwise convolution) are compared with, on 1 and 2
 * threads through the runtime's executor.
 */
@State(Scope.Benchmark)
@BenchmarkMode(Mode.AverageTime)
@OutputTimeUnit(TimeUnit.MICROSECONDS)
@Fork(value = 1, jvmArgsAppend = {"--add-modules", "jdk.incubator.vector"})
public class TriadBench {
  private static final int CHUNK = 1 << 16;

  @Param({"1", "2"})
  public int threads;

  private float[] a;
  private float[] b;
  private float[] c;
  private WorkerPool pool;
  private Executor ex;
  private final ParallelTask triad = TriadBench::chunk;

  /** Allocates and touches the arrays, starts the threads. */
  @Setup(Level.Trial)
  public void setup() {
    a = new float[Workloads.TRIAD];
    b = new float[Workloads.TRIAD];
    c = new float[Workloads.TRIAD];
    for (int i = 0; i < Workloads.TRIAD; i++) {
      b[i] = i % 7;
      c[i] = i % 5;
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

  /** One pass over the arrays. */
  @Benchmark
  public float[] triad() {
    CallFrame f = ex.frame();
    f.dst = a;
    f.src = b;
    f.aux = c;
    ex.invoke(triad, Workloads.TRIAD / CHUNK);
    return a;
  }

  private static void chunk(CallFrame f, int chunk, float[] scratch) {
    float[] a = f.dst;
    float[] b = f.src;
    float[] c = f.aux;
    int from = chunk * CHUNK;
    for (int i = from; i < from + CHUNK; i++) {
      a[i] = b[i] + 3f * c[i];
    }
  }
}

package dev.netc.bench;

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
 * The cost of one parallel call of the worker pool: {@code chunks} equal chunks of a dependent
 * floating-point chain {@code iters} steps long (100 steps: ~0.13 µs, 2500: ~4.6 µs on a Zen 3
 * core), run by an executor of {@code threads} participants. The pool's overhead per call is
 * {@code t(2) - t(1) / 2}: arming the job, the helper's join, claiming every chunk, and the wait
 * for the last chunk. Each chunk writes its own cache line, so chunks share nothing but the pool's
 * counters. Not part of {@code bench/run.sh}: run it alone with
 * {@code java -jar bench/target/benchmarks.jar ExecutorBench -f 1 -wi 3 -i 5 -w 1s -r 1s}.
 */
@State(Scope.Benchmark)
@BenchmarkMode(Mode.AverageTime)
@OutputTimeUnit(TimeUnit.MICROSECONDS)
@Fork(1)
public class ExecutorBench {
  /** Doubles between two chunks' results: 128 bytes, so no two chunks write one cache line. */
  private static final int PAD = 16;

  @Param({"1", "2"})
  public int threads;

  @Param({"2", "8", "32", "64"})
  public int chunks;

  @Param({"100", "2500"})
  public int iters;

  private WorkerPool pool;
  private Executor ex;
  private ParallelTask task;
  private double[] sums;

  /** The pool, the executor and the task. */
  @Setup(Level.Trial)
  public void setup() {
    pool = new WorkerPool(threads);
    ex = pool.newExecutor();
    sums = new double[64 * PAD];
    double[] s = sums;
    int n = iters;
    task = (frame, chunk, scratch) -> s[(chunk & 63) * PAD] += chain(n);
  }

  /** Stops the threads. */
  @TearDown(Level.Trial)
  public void tearDown() {
    ex.close();
    pool.close();
  }

  /** A chain of {@code n} dependent multiply-adds: fixed work that the JIT cannot shorten. */
  static double chain(int n) {
    double a = 1.0;
    for (int i = 0; i < n; i++) {
      a = a * 1.0000001 + 1e-9;
    }
    return a;
  }

  /** One parallel call. */
  @Benchmark
  public double call() {
    ex.invoke(task, chunks);
    return sums[0];
  }
}

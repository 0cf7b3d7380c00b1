package dev.netc.bench;

import dev.netc.cli.PeakFlops;
import java.util.Locale;
import java.util.concurrent.TimeUnit;
import jdk.incubator.vector.VectorSpecies;
import org.openjdk.jmh.annotations.Benchmark;
import org.openjdk.jmh.annotations.BenchmarkMode;
import org.openjdk.jmh.annotations.Fork;
import org.openjdk.jmh.annotations.Mode;
import org.openjdk.jmh.annotations.OutputTimeUnit;
import org.openjdk.jmh.annotations.Scope;
import org.openjdk.jmh.annotations.State;
import org.openjdk.jmh.annotations.Threads;

/**
 * The FP32 FMA peak of this machine as the Vector API reaches it: {@link PeakFlops#chains}'
 * {@value PeakFlops#CHAINS} independent FMA chains (the loop {@code netc profile} measures too), data in registers,
 * on one thread and on two. Every kernel figure in the report is a fraction of this number measured in the same run.
 * Its {@code main} prints the peak outside JMH ({@code bench/fma-peak.sh} runs it beside a C intrinsics loop).
 */
@BenchmarkMode(Mode.AverageTime)
@OutputTimeUnit(TimeUnit.MICROSECONDS)
@Fork(value = 1, jvmArgsAppend = {"--add-modules", "jdk.incubator.vector"})
public class PeakFmaBench {
  /** The machine's preferred (widest native) species, the one the peak is measured at. */
  public static final VectorSpecies<Float> SPECIES = PeakFlops.SPECIES;

  /** Per-thread inputs, so that the JIT cannot fold the loop. */
  @State(Scope.Thread)
  public static class Inputs {
    float mul = 0.9999999f;
    float add = 1e-7f;
  }

  /** FLOPs of one call: chains x iterations x lanes x 2. */
  public static double flopsPerCall() {
    return PeakFlops.flopsPerCall();
  }

  /** One thread. */
  @Benchmark
  @Threads(1)
  public float fma1(Inputs in) {
    return PeakFlops.chains(in.mul, in.add, PeakFlops.ITERATIONS);
  }

  /** Two threads, each running its own chains: the machine's two-core peak. */
  @Benchmark
  @Threads(2)
  public float fma2(Inputs in) {
    return PeakFlops.chains(in.mul, in.add, PeakFlops.ITERATIONS);
  }

  /** Prints the peak on 1 thread and on each count given ({@code 1 2} by default), 0.4 s windows. */
  public static void main(String[] args) {
    String[] counts = args.length == 0 ? new String[] {"1", "2"} : args;
    for (String a : counts) {
      int t = Integer.parseInt(a);
      System.out.printf(Locale.ROOT, "Java %d-chain FMA, %s, %d thread%s: %.1f GFLOP/s%n", PeakFlops.CHAINS,
          PeakFlops.width(), t, t == 1 ? "" : "s", PeakFlops.gflops(t, 0.4));
    }
  }
}

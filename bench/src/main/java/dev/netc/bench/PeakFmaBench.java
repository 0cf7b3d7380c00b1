package dev.netc.bench;

import java.util.concurrent.TimeUnit;
import jdk.incubator.vector.FloatVector;
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
 * The FP32 FMA peak of this machine as the Vector API reaches it: a loop of
 * {@value Workloads#PEAK_CHAINS} independent FMA chains (more than latency x FMA ports), data in
 * registers, on one thread and on two. Every kernel figure in the report is a fraction of this
 * number measured in the same run.
 */
@BenchmarkMode(Mode.AverageTime)
@OutputTimeUnit(TimeUnit.MICROSECONDS)
@Fork(value = 1, jvmArgsAppend = {"--add-modules", "jdk.incubator.vector"})
public class PeakFmaBench {
  /** The machine's preferred (widest native) species. */
  public static final VectorSpecies<Float> SPECIES = FloatVector.SPECIES_PREFERRED;

  /** Per-thread inputs, so that the JIT cannot fold the loop. */
  @State(Scope.Thread)
  public static class Inputs {
    float[] seed = new float[SPECIES.length()];
    float mul = 0.9999999f;
    float add = 1e-7f;

    /** Fills the seed. */
    public Inputs() {
      for (int i = 0; i < seed.length; i++) {
        seed[i] = 1f + i * 1e-3f;
      }
    }
  }

  /** FLOPs of one call: chains x iterations x lanes x 2. */
  public static double flopsPerCall() {
    return 2.0 * Workloads.PEAK_CHAINS * Workloads.PEAK_ITERATIONS * SPECIES.length();
  }

  /** One thread. */
  @Benchmark
  @Threads(1)
  public float fma1(Inputs in) {
    return chains(in);
  }

  /** Two threads, each running its own chains: the machine's two-core peak. */
  @Benchmark
  @Threads(2)
  public float fma2(Inputs in) {
    return chains(in);
  }

  static float chains(Inputs in) {
    FloatVector m = FloatVector.broadcast(SPECIES, in.mul);
    FloatVector c = FloatVector.broadcast(SPECIES, in.add);
    FloatVector a0 = FloatVector.fromArray(SPECIES, in.seed, 0);
    FloatVector a1 = a0.add(1f), a2 = a0.add(2f), a3 = a0.add(3f), a4 = a0.add(4f), a5 = a0.add(5f);
    FloatVector a6 = a0.add(6f), a7 = a0.add(7f), a8 = a0.add(8f), a9 = a0.add(9f);
    FloatVector a10 = a0.add(10f), a11 = a0.add(11f);
    for (int i = 0; i < Workloads.PEAK_ITERATIONS; i++) {
      a0 = a0.fma(m, c);
      a1 = a1.fma(m, c);
      a2 = a2.fma(m, c);
      a3 = a3.fma(m, c);
      a4 = a4.fma(m, c);
      a5 = a5.fma(m, c);
      a6 = a6.fma(m, c);
      a7 = a7.fma(m, c);
      a8 = a8.fma(m, c);
      a9 = a9.fma(m, c);
      a10 = a10.fma(m, c);
      a11 = a11.fma(m, c);
    }
    return a0.add(a1).add(a2).add(a3).add(a4).add(a5).add(a6).add(a7).add(a8).add(a9).add(a10)
        .add(a11).reduceLanes(jdk.incubator.vector.VectorOperators.ADD);
  }
}

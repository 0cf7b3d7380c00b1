package dev.netc.cli;

import java.util.ArrayList;
import java.util.List;
import jdk.incubator.vector.FloatVector;
import jdk.incubator.vector.VectorOperators;
import jdk.incubator.vector.VectorSpecies;

/**
 * The machine's peak for {@code netc profile}, measured rather than looked up: fused multiply-adds on the widest
 * float vectors the JVM offers, eight independent chains per thread (enough to hide the FMA latency), on as many
 * threads as the profile runs; the best of three rounds. Kernels cannot beat it, so a layer's GFLOP/s over it is
 * the fraction of the peak it reaches.
 */
final class PeakFlops {
  private PeakFlops() {}

  private static final VectorSpecies<Float> SPECIES = FloatVector.SPECIES_PREFERRED;
  private static final long ITERATIONS = 4_000_000;

  /** GFLOP/s of {@code threads} threads together (FLOPs counted 2 per fused multiply-add and lane). */
  static double gflops(int threads) {
    double best = 0;
    for (int round = 0; round < 3; round++) best = Math.max(best, round(threads));
    return best;
  }

  private static double round(int threads) {
    List<Thread> ts = new ArrayList<>();
    float[] sink = new float[threads];
    long start = System.nanoTime();
    for (int t = 0; t < threads; t++) {
      int k = t;
      ts.add(Thread.ofPlatform().start(() -> sink[k] = chains(ITERATIONS)));
    }
    for (Thread t : ts) {
      try {
        t.join();
      } catch (InterruptedException e) {
        Thread.currentThread().interrupt();
        return 0;
      }
    }
    long nanos = System.nanoTime() - start;
    double flops = 2.0 * 8 * SPECIES.length() * ITERATIONS * threads;
    return sink[0] == 42f ? 0 : flops / nanos;
  }

  /** Eight chains of fused multiply-adds; the result keeps the JIT from dropping them. */
  static float chains(long iterations) {
    FloatVector b = FloatVector.broadcast(SPECIES, 0.9999999f), c = FloatVector.broadcast(SPECIES, 1e-7f);
    FloatVector a0 = FloatVector.broadcast(SPECIES, 1f), a1 = a0.add(c), a2 = a1.add(c), a3 = a2.add(c);
    FloatVector a4 = a3.add(c), a5 = a4.add(c), a6 = a5.add(c), a7 = a6.add(c);
    for (long i = 0; i < iterations; i++) {
      a0 = a0.fma(b, c);
      a1 = a1.fma(b, c);
      a2 = a2.fma(b, c);
      a3 = a3.fma(b, c);
      a4 = a4.fma(b, c);
      a5 = a5.fma(b, c);
      a6 = a6.fma(b, c);
      a7 = a7.fma(b, c);
    }
    return a0.add(a1).add(a2).add(a3).add(a4).add(a5).add(a6).add(a7).reduceLanes(VectorOperators.ADD);
  }
}

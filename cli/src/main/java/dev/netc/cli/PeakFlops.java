package dev.netc.cli;

import java.util.Locale;
import jdk.incubator.vector.FloatVector;
import jdk.incubator.vector.VectorOperators;
import jdk.incubator.vector.VectorSpecies;

/**
 * The machine's FP32 FMA peak, measured rather than looked up: {@value #CHAINS} independent chains of fused
 * multiply-adds on the JVM's preferred (widest native) float vectors, data in registers, on as many threads as the
 * caller runs. Kernels cannot beat it, so a layer's GFLOP/s over it is the fraction of the peak it reaches. One
 * implementation for {@code netc profile} and for the bench module ({@code PeakFmaBench}, {@code VsOrt}).
 *
 * <p>Each chain accumulates in the FMA's addend ({@code a = m * c + a}), as a GEMM micro-kernel does. The other form,
 * {@code a = a * m + c}, is what this loop used to be, and it read 15-25 % low, worse with 12 chains than with 10.
 * Our reading (no disassembler at hand): HotSpot's x86 vector FMA writes its result over the addend, so a
 * loop-invariant addend is copied before every FMA, and 12 accumulators plus the copies do not fit the 16 AVX2
 * registers. On an AMD Zen 3 (3.2 GHz, two 256-bit FMA pipes) the old form gave 72-83 GFLOP/s on one thread, this
 * one 99-101, a C intrinsics loop ({@code bench/fma_peak.c}) 99-102: 32 FLOP per cycle.
 *
 * <p>{@link #gflops(int, double)} warms up until the loop is compiled and two windows agree, then keeps the best of
 * a few windows: a busy moment on a shared machine only ever lowers a window.
 */
public final class PeakFlops {
  /** The widest float vectors the JVM runs natively here. */
  public static final VectorSpecies<Float> SPECIES = FloatVector.SPECIES_PREFERRED;
  /** Independent FMA chains: more than FMA latency x FMA pipes (4 x 2 on Zen 3; 4 x 2 on recent Intel). */
  public static final int CHAINS = 12;
  /** Vector FMAs per chain per {@link #chains} call: about 0.1 ms, short next to a window. */
  public static final int ITERATIONS = 1 << 16;

  private static final int WINDOWS = 3;
  private static final int MAX_WARMUP_WINDOWS = 20;

  /** Non-final, so that the JIT cannot fold the chains into constants. */
  private static volatile float mul = 0.9999999f;
  private static volatile float add = 1e-7f;

  private PeakFlops() {}

  /** FLOPs of one {@link #chains} call: chains x iterations x lanes x 2. */
  public static double flopsPerCall() {
    return 2.0 * CHAINS * ITERATIONS * SPECIES.length();
  }

  /**
   * GFLOP/s of {@code threads} threads together (each its own chains), the best of three windows of
   * {@code windowSeconds} after a warm-up of the same windows until two in a row agree within 2 %.
   */
  public static double gflops(int threads, double windowSeconds) {
    double last = 0;
    for (int w = 0; w < MAX_WARMUP_WINDOWS; w++) {
      double g = window(threads, windowSeconds);
      boolean stable = last > 0 && Math.abs(g - last) <= 0.02 * Math.max(g, last);
      last = g;
      if (stable) break;
    }
    double best = last;
    for (int w = 0; w < WINDOWS; w++) best = Math.max(best, window(threads, windowSeconds));
    return best;
  }

  /** {@link #gflops(int, double)} with 0.1 s windows (about 0.5-1 s in all). */
  public static double gflops(int threads) {
    return gflops(threads, 0.1);
  }

  /** {@code 256-bit vectors (8 floats)}: the width the peak is measured at. */
  public static String width() {
    return String.format(Locale.ROOT, "%d-bit vectors (%d floats)", SPECIES.vectorBitSize(), SPECIES.length());
  }

  /** One window: every thread calls {@link #chains} until the deadline; all calls over the wall time. */
  private static double window(int threads, double seconds) {
    long[] calls = new long[threads];
    float[] sink = new float[threads];
    Thread[] ts = new Thread[threads];
    long t0 = System.nanoTime();
    long end = t0 + (long) (seconds * 1e9);
    for (int i = 0; i < threads; i++) {
      int k = i;
      ts[i] = Thread.ofPlatform().start(() -> {
        float m = mul;
        float c = add;
        do {
          sink[k] += chains(m, c, ITERATIONS);
          calls[k]++;
        } while (System.nanoTime() < end);
      });
    }
    long total = 0;
    for (int i = 0; i < threads; i++) {
      try {
        ts[i].join();
      } catch (InterruptedException e) {
        Thread.currentThread().interrupt();
        return 0;
      }
      total += calls[i];
    }
    long nanos = System.nanoTime() - t0;
    return sink[0] == 42f ? 0 : total * flopsPerCall() / nanos;
  }

  /**
   * {@value #CHAINS} chains of {@code iterations} fused multiply-adds each, {@code a = m * c + a}; the sum of the
   * chains keeps the JIT from dropping them (an FMA rounds once, so it cannot be rewritten as a multiply and adds).
   */
  public static float chains(float m, float c, int iterations) {
    FloatVector vm = FloatVector.broadcast(SPECIES, m);
    FloatVector vc = FloatVector.broadcast(SPECIES, c);
    FloatVector a0 = FloatVector.broadcast(SPECIES, 1f);
    FloatVector a1 = a0.add(1f), a2 = a0.add(2f), a3 = a0.add(3f), a4 = a0.add(4f), a5 = a0.add(5f);
    FloatVector a6 = a0.add(6f), a7 = a0.add(7f), a8 = a0.add(8f), a9 = a0.add(9f), a10 = a0.add(10f);
    FloatVector a11 = a0.add(11f);
    for (int i = 0; i < iterations; i++) {
      a0 = vm.fma(vc, a0);
      a1 = vm.fma(vc, a1);
      a2 = vm.fma(vc, a2);
      a3 = vm.fma(vc, a3);
      a4 = vm.fma(vc, a4);
      a5 = vm.fma(vc, a5);
      a6 = vm.fma(vc, a6);
      a7 = vm.fma(vc, a7);
      a8 = vm.fma(vc, a8);
      a9 = vm.fma(vc, a9);
      a10 = vm.fma(vc, a10);
      a11 = vm.fma(vc, a11);
    }
    return a0.add(a1).add(a2).add(a3).add(a4).add(a5).add(a6).add(a7).add(a8).add(a9).add(a10).add(a11)
        .reduceLanes(VectorOperators.ADD);
  }
}

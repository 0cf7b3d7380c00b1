package dev.netc.cli;

import dev.netc.compiler.Compilation;
import dev.netc.compiler.emit.java.CompiledNetwork;
import dev.netc.compiler.emit.java.NetworkSession;
import dev.netc.compiler.ir.Graph;
import dev.netc.runtime.io.TensorFileException;
import dev.netc.viz.Profile;
import java.io.IOException;
import java.nio.file.NoSuchFileException;
import java.nio.file.Path;
import java.util.Arrays;

/**
 * Runs a profiling build of a network ({@code netc profile}, {@code netc report --profile}): the generated class
 * compiled with a timestamp around each plan step (normal builds have none), warmed up as {@code netc bench} does,
 * then {@code passes} timed passes whose per-step medians make the {@link Profile}, beside the machine's measured
 * peak.
 */
final class Profiling {
  private Profiling() {}

  static Profile measure(Compilation.Network network, Path weights, int batch, int threads, double warmupSeconds,
      int passes) {
    Footprint.check(network, batch, "--batch");
    Threads.sizePool(threads);
    CompiledNetwork net;
    try {
      net = CompiledNetwork.compileProfiled(network.plan(), network.emitOptions());
    } catch (UnsupportedOperationException e) {
      throw CliException.user("network " + network.name() + " cannot be compiled to Java yet: " + e.getMessage());
    }
    Object model = model(net, weights);
    Graph g = network.graph();
    float[][] in = RandomInputs.arrays(g, batch, 1);
    float[][] out = new float[g.outputs().size()][];
    for (int i = 0; i < out.length; i++) {
      out[i] = new float[Math.toIntExact(g.node(g.outputs().get(i).node()).type().elements(batch))];
    }
    // The peak before and after the passes, the better of the two: a busy moment deflates one measurement.
    double peak = PeakFlops.gflops(threads);
    int steps = network.plan().steps().size();
    long[][] perPass = new long[passes][];
    long[] pass = new long[passes];
    try (NetworkSession s = net.newSession(model, batch, threads)) {
      BenchCommand.warmUp(() -> s.forward(in, out), System::nanoTime, warmupSeconds, what -> { });
      long[] nanos = s.stepNanos();
      for (int p = 0; p < passes; p++) {
        Arrays.fill(nanos, 0);
        long t0 = System.nanoTime();
        s.forward(in, out);
        pass[p] = System.nanoTime() - t0;
        perPass[p] = Arrays.copyOf(nanos, steps);
      }
    } catch (dev.netc.runtime.InputException e) {
      throw CliException.user(e.getMessage());
    }
    Arrays.sort(pass);
    long median = passes % 2 == 1 ? pass[passes / 2] : (pass[passes / 2 - 1] + pass[passes / 2]) / 2;
    return new Profile(network.plan(), batch, threads, passes, Profile.medians(perPass), median,
        Math.max(peak, PeakFlops.gflops(threads)));
  }

  private static Object model(CompiledNetwork net, Path weights) {
    if (weights == null) return net.randomWeights(0);
    try {
      return net.load(weights);
    } catch (NoSuchFileException e) {
      throw CliException.user("weights file not found: " + weights);
    } catch (TensorFileException e) {
      throw CliException.user(e.getMessage());
    } catch (IOException e) {
      throw CliException.user("cannot read weights " + weights + ": " + Outputs.reason(e, weights));
    }
  }
}

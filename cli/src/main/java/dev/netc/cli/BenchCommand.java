package dev.netc.cli;

import dev.netc.compiler.Compilation;
import dev.netc.compiler.Compiler;
import dev.netc.compiler.emit.java.CompiledNetwork;
import dev.netc.compiler.emit.java.JavaEmitter;
import dev.netc.compiler.emit.java.NetworkSession;
import dev.netc.compiler.ir.Graph;
import dev.netc.compiler.ir.TensorType;
import dev.netc.runtime.io.Json;
import java.io.IOException;
import java.io.PrintWriter;
import java.nio.file.NoSuchFileException;
import java.nio.file.Path;
import java.util.Arrays;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.SplittableRandom;
import java.util.concurrent.Callable;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Option;
import picocli.CommandLine.Parameters;
import picocli.CommandLine.ParentCommand;

/**
 * {@code netc bench FILE}: compiles a network to Java in memory, loads weights (or seeded random ones), warms up
 * for a while, then times single forward passes and reports the median and 90th-percentile latency, items per
 * second and achieved GFLOP/s (2 × MACs per item × batch / median time). Inputs are seeded random values.
 */
@Command(name = "bench", mixinStandardHelpOptions = true,
    description = "Benchmark a network's generated Java: median and p90 latency, throughput, GFLOP/s.")
final class BenchCommand implements Callable<Integer> {
  @ParentCommand Main main;

  @Parameters(paramLabel = "FILE", description = "The .net file.")
  Path file;

  @Mixin NetworkOptions networkOptions;

  @Option(names = "--weights", paramLabel = "W", description = "A safetensors file (default: random weights, seed 0).")
  Path weights;

  @Option(names = "--batch", paramLabel = "N", description = "Items per forward pass (default: ${DEFAULT-VALUE}).")
  int batch = 1;

  @Option(names = "--threads", paramLabel = "N", description = "Threads per forward pass (default: all processors).")
  int threads = Runtime.getRuntime().availableProcessors();

  @Option(names = "--warmup", paramLabel = "S", description = "Seconds of warm-up (default: ${DEFAULT-VALUE}).")
  double warmup = 3;

  @Option(names = "--iterations", paramLabel = "N", description = "Timed passes (default: ${DEFAULT-VALUE}).")
  int iterations = 30;

  @Option(names = "--format", paramLabel = "text|json", description = "Output format (default: ${DEFAULT-VALUE}).")
  String format = "text";

  /** The longest progress line so far, to blank it out. */
  private int width;

  @Override
  public Integer call() {
    PrintWriter out = main.spec.commandLine().getOut();
    PrintWriter err = main.spec.commandLine().getErr();
    String usage = usage();
    if (usage != null) {
      err.println("netc bench: " + usage);
      return Main.USAGE;
    }
    // The common worker pool takes its size from this property when it is first used, which is below.
    System.setProperty("netc.threads", String.valueOf(Math.max(threads, Runtime.getRuntime().availableProcessors())));
    Reporter reporter = new Reporter(err, main.useColor());
    return reporter.guard(() -> {
      List<Compilation.Network> nets = Compiler.compile(networkOptions.of(file)).networks();
      if (nets.size() != 1) {
        err.println("netc bench: " + file + " declares " + nets.size() + " networks; choose one with --network");
        return Main.USAGE;
      }
      Graph g = nets.getFirst().graph();
      CompiledNetwork net = nets.getFirst().compiled();
      Object model;
      try {
        model = weights == null ? net.randomWeights(0) : net.load(weights);
      } catch (NoSuchFileException e) {
        err.println("netc bench: weights file not found: " + weights);
        return Main.USER_ERROR;
      } catch (IOException e) {
        err.println("netc bench: " + e.getMessage());
        return Main.USER_ERROR;
      }
      double[] ms = measure(g, net, model, err);
      report(g, ms, out);
      return Main.OK;
    });
  }

  private String usage() {
    if (batch < 1) return "--batch must be at least 1";
    if (threads < 1) return "--threads must be at least 1";
    if (iterations < 1) return "--iterations must be at least 1";
    if (warmup < 0) return "--warmup must not be negative";
    if (!format.equals("text") && !format.equals("json")) return "--format must be text or json, not " + format;
    return null;
  }

  /** Warm-up, then one time per timed pass in milliseconds, with a progress line on stderr. */
  private double[] measure(Graph g, CompiledNetwork net, Object model, PrintWriter err) {
    float[][] in = inputs(g);
    float[][] outs = new float[g.outputs().size()][];
    for (int i = 0; i < outs.length; i++) {
      outs[i] = new float[Math.toIntExact(g.node(g.outputs().get(i).node()).type().elements(batch))];
    }
    double[] ms = new double[iterations];
    try (NetworkSession s = net.newSession(model, batch, threads)) {
      long start = System.nanoTime();
      long passes = 0;
      do {
        s.forward(in, outs);
        passes++;
        progress(err, String.format(Locale.ROOT, "warm-up %.1f / %.1f s (%d passes)", (System.nanoTime() - start) / 1e9,
            warmup, passes));
      } while (System.nanoTime() - start < warmup * 1e9);
      for (int i = 0; i < iterations; i++) {
        long t0 = System.nanoTime();
        s.forward(in, outs);
        ms[i] = (System.nanoTime() - t0) / 1e6;
        progress(err, String.format(Locale.ROOT, "pass %d / %d: %.2f ms", i + 1, iterations, ms[i]));
      }
    }
    err.print("\r" + " ".repeat(width) + "\r");
    err.flush();
    return ms;
  }

  /** Rewrites the progress line in place (padded over the previous one). */
  private void progress(PrintWriter err, String what) {
    String line = "netc bench " + file.getFileName() + ": " + what;
    err.print("\r" + line + " ".repeat(Math.max(0, width - line.length())));
    width = Math.max(width, line.length());
    err.flush();
  }

  /** Seeded values in [-1, 1); an unbatched [K, 5] input gets K boxes inside the first input's image. */
  private float[][] inputs(Graph g) {
    SplittableRandom r = new SplittableRandom(1);
    float[][] in = new float[g.inputs().size()][];
    int side = 16;
    for (int i = 0; i < in.length; i++) {
      TensorType t = g.node(g.inputs().get(i)).type();
      if (i == 0 && t.rank() >= 2) side = Math.min(t.dim(t.rank() - 1), t.dim(t.rank() - 2));
      in[i] = new float[Math.toIntExact(t.elements(batch))];
      boolean boxes = !t.batched() && t.rank() == 2 && t.dim(1) == 5;
      for (int k = 0; k < in[i].length; k++) in[i][k] = (float) r.nextDouble(-1, 1);
      if (boxes) {
        for (int k = 0; k < t.dim(0); k++) {
          int x0 = r.nextInt(0, Math.max(1, side / 2));
          int y0 = r.nextInt(0, Math.max(1, side / 2));
          float[] row = {r.nextInt(0, batch), x0, y0, x0 + r.nextInt(1, Math.max(2, side / 2)),
              y0 + r.nextInt(1, Math.max(2, side / 2))};
          System.arraycopy(row, 0, in[i], k * 5, 5);
        }
      }
    }
    return in;
  }

  private void report(Graph g, double[] ms, PrintWriter out) {
    double[] sorted = ms.clone();
    Arrays.sort(sorted);
    int n = sorted.length;
    double median = n % 2 == 1 ? sorted[n / 2] : (sorted[n / 2 - 1] + sorted[n / 2]) / 2;
    double p90 = sorted[Math.max(0, (int) Math.ceil(0.9 * n) - 1)];
    long macs = JavaEmitter.macs(g);
    double throughput = batch / (median / 1e3);
    double gflops = 2.0 * macs * batch / (median / 1e3) / 1e9;
    if (format.equals("json")) {
      Map<String, Object> m = new LinkedHashMap<>();
      m.put("network", g.name());
      m.put("batch", batch);
      m.put("threads", threads);
      m.put("warmup_s", warmup);
      m.put("iterations", iterations);
      m.put("macs_per_item", macs);
      m.put("median_ms", median);
      m.put("p90_ms", p90);
      m.put("throughput", throughput);
      m.put("gflops", gflops);
      out.println(Json.write(m));
    } else {
      out.printf(Locale.ROOT, "%s: batch %d, %d thread%s, %d passes after %.1f s of warm-up%n", g.name(), batch,
          threads, threads == 1 ? "" : "s", iterations, warmup);
      out.printf(Locale.ROOT, "  median %.2f ms, p90 %.2f ms, %.1f items/s, %.1f GFLOP/s (%.3f GMACs per item)%n",
          median, p90, throughput, gflops, macs / 1e9);
    }
    out.flush();
  }
}

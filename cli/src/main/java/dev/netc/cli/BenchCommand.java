package dev.netc.cli;

import dev.netc.compiler.Compilation;
import dev.netc.compiler.Compiler;
import dev.netc.compiler.emit.java.CompiledNetwork;
import dev.netc.compiler.emit.java.JavaEmitter;
import dev.netc.compiler.emit.java.NetworkSession;
import dev.netc.compiler.ir.Graph;
import dev.netc.runtime.exec.Executor;
import dev.netc.runtime.io.Json;
import dev.netc.runtime.io.TensorFileException;
import dev.netc.runtime.kernels.ConvChain;
import java.io.IOException;
import java.io.PrintWriter;
import java.nio.file.NoSuchFileException;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.concurrent.Callable;
import java.util.function.Consumer;
import java.util.function.LongSupplier;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Option;
import picocli.CommandLine.Parameters;
import picocli.CommandLine.ParentCommand;

/**
 * {@code netc bench FILE}: compiles a network to Java in memory, loads weights (or seeded random ones), warms up
 * until the latency is stable, then times single forward passes and reports their spread (min, median, p90, max,
 * interquartile range), items per second and achieved GFLOP/s (2 × MACs per item × batch / median time), with the
 * kernels this machine runs. Inputs are seeded and valid for what they feed ({@link RandomInputs}: token ids for an
 * embedding). A warning says when the timed passes vary by more than 10 %.
 *
 * <p>Warm-up runs windows of passes (each about 0.2 s, at least 3 passes) and stops, after at least 1 s, when the
 * medians of the last three windows are within 3 % of each other, or at the {@code --warmup} cap. Progress lines ({@code \r}) go to
 * standard error only when it is a terminal.
 */
@Command(name = "bench", mixinStandardHelpOptions = true, sortOptions = false,
    description = "Benchmark a network's generated Java: latency spread, throughput, GFLOP/s, kernels used.")
final class BenchCommand implements Callable<Integer> {
  /** Warm-up stops when the last windows' medians are this close (max / min - 1). */
  static final double STABLE = 0.03;
  /** Windows compared for stability. */
  static final int STABLE_WINDOWS = 3;
  /** Timed passes that vary more than this ((p90 - p10) / median) get a warning. */
  static final double NOISY = 0.10;
  static final double MAX_WARMUP_S = 3600;
  static final int MAX_ITERATIONS = 1_000_000;
  /** Seconds per warm-up window. */
  private static final double WINDOW_S = 0.2;
  /** Warm-up lasts at least this long (or the whole cap, if shorter): the JIT's last tier needs time to arrive. */
  private static final double MIN_WARMUP_S = 1;

  @ParentCommand Main main;

  @Parameters(paramLabel = "FILE", description = "The .net file.")
  Path file;

  @Mixin NetworkOptions networkOptions;

  @Option(names = "--weights", paramLabel = "W", description = "A safetensors file (default: random weights, seed 0).")
  Path weights;

  @Option(names = "--batch", paramLabel = "N", description = "Items per forward pass (default: ${DEFAULT-VALUE}).")
  int batch = 1;

  @Option(names = "--session-batch", paramLabel = "M",
      description = "Open the session for M items and run --batch of them per pass (default: --batch): what a "
          + "service that batches whatever has arrived pays for a smaller batch.")
  Integer sessionBatch;

  @Option(names = "--threads", paramLabel = "N",
      description = "Threads per forward pass (default: all processors; at most 4 per processor).")
  Integer threads;

  @Option(names = "--warmup", paramLabel = "S",
      description = "At most S seconds of warm-up; it ends sooner once latency is stable (default: ${DEFAULT-VALUE}, "
          + "at most 3600; 0: none).")
  double warmup = 10;

  @Option(names = "--iterations", paramLabel = "N",
      description = "Timed passes (default: ${DEFAULT-VALUE}, at most 1000000).")
  int iterations = 30;

  @Option(names = "--format", paramLabel = "text|json", description = "Output format (default: ${DEFAULT-VALUE}).")
  String format = "text";

  @Option(names = "--device", paramLabel = "cpu|cuda", description = "Where to run (default: ${DEFAULT-VALUE}).")
  String device = "cpu";

  /** The longest progress line so far, to blank it out. */
  private int width;
  private boolean progress;

  /** How warm-up ended. */
  record Warmup(double seconds, long passes, boolean stable, double lastVariation) {}

  /** The timed passes, sorted, in milliseconds, and their order statistics. */
  record Times(double[] sorted) {
    double quantile(double q) { return sorted[Math.max(0, (int) Math.ceil(q * sorted.length) - 1)]; }

    double min() { return sorted[0]; }

    double max() { return sorted[sorted.length - 1]; }

    double median() {
      int n = sorted.length;
      return n % 2 == 1 ? sorted[n / 2] : (sorted[n / 2 - 1] + sorted[n / 2]) / 2;
    }

    /** (p90 - p10) / median: how much the passes vary, as a fraction. */
    double variation() { return (quantile(0.9) - quantile(0.1)) / median(); }
  }

  @Override
  public Integer call() {
    PrintWriter out = main.spec.commandLine().getOut();
    PrintWriter err = main.spec.commandLine().getErr();
    validate();
    if (!device.equals("cpu") && !device.equals("cuda")) {
      throw CliException.usage("--device " + device + ": expected cpu or cuda");
    }
    int n = Threads.of(threads, err);
    progress = Terminal.stderr();
    Reporter reporter = new Reporter(err, main.useColor());
    return reporter.guard(() -> {
      Compilation c = Compiler.compile(networkOptions.of(file));
      reporter.print(c.warnings());
      List<Compilation.Network> nets = c.networks();
      if (nets.size() != 1) {
        throw CliException.usage(file + " declares " + nets.size() + " networks"
            + (nets.isEmpty() ? "" : "; choose one with --network"));
      }
      Compilation.Network network = nets.getFirst();
      if (device.equals("cuda")) {
        if (opened() != batch) {
          throw CliException.usage("--session-batch with --device cuda: a CUDA session runs only the batch it was "
              + "opened for");
        }
        return CudaDevice.bench(network, weights, batch, iterations, warmup, out);
      }
      Graph g = network.graph();
      Footprint.check(network, opened(), sessionBatch == null ? "--batch" : "--session-batch");
      Threads.sizePool(n);
      CompiledNetwork net = CompiledRun.compiled(network);
      Object model = model(net);
      KernelInfo kernels = KernelInfo.current();
      float[][] in = RandomInputs.arrays(g, batch, 1);
      float[][] outs = new float[g.outputs().size()][];
      for (int i = 0; i < outs.length; i++) {
        outs[i] = new float[Math.toIntExact(g.node(g.outputs().get(i).node()).type().elements(batch))];
      }
      Warmup w;
      double[] ms = new double[iterations];
      try (NetworkSession s = net.newSession(model, opened(), n)) {
        w = warmUp(() -> s.forward(in, outs), System::nanoTime, warmup, what -> progress(err, what));
        for (int i = 0; i < iterations; i++) {
          long t0 = System.nanoTime();
          s.forward(in, outs);
          ms[i] = (System.nanoTime() - t0) / 1e6;
          progress(err, String.format(Locale.ROOT, "pass %d / %d: %s ms", i + 1, iterations, ms(ms[i])));
        }
      } catch (dev.netc.runtime.InputException e) {
        throw CliException.user(e.getMessage());
      }
      clearProgress(err);
      double[] sorted = ms.clone();
      Arrays.sort(sorted);
      Times t = new Times(sorted);
      report(g, n, w, t, kernels, sideBySide(network, n), network.plan().chains().size(), out);
      warn(w, t, err);
      return Main.OK;
    });
  }

  /**
   * How the generated session runs this benchmark's items, as its constructor and {@code dispatch} decide: side by
   * side (each thread whole items, one at a time; the compiler's choice for the network, or
   * {@code -Dnetc.exec.sideBySide}), layer by layer on every thread, or null where there is no choice (one thread, a
   * session opened for fewer items than threads, a call of fewer, or a network that cannot run side by side).
   */
  private Boolean sideBySide(Compilation.Network network, int threads) {
    if (threads < 2 || opened() < threads || batch < threads || !JavaEmitter.sideBySidePossible(network.plan())) {
      return null;
    }
    Boolean forced = Executor.sideBySideForced();
    return forced == null ? JavaEmitter.itemsSideBySide(network.plan()) : forced;
  }

  /** The batch the session is opened for: {@code --session-batch}, else {@code --batch}. */
  private int opened() { return sessionBatch == null ? batch : sessionBatch; }

  /** Argument ranges, before anything is compiled: a value out of range is a usage error (exit code 2). */
  private void validate() {
    if (batch < 1) throw CliException.usage("--batch must be at least 1, got " + batch);
    if (sessionBatch != null && sessionBatch < batch) {
      throw CliException.usage("--session-batch must be at least --batch (" + batch + "), got " + sessionBatch);
    }
    if (iterations < 1 || iterations > MAX_ITERATIONS) {
      throw CliException.usage("--iterations must be between 1 and " + MAX_ITERATIONS + ", got " + iterations);
    }
    checkWarmup(warmup);
    if (!format.equals("text") && !format.equals("json")) {
      throw CliException.usage("--format must be text or json, not " + format);
    }
  }

  /** {@code --warmup} of bench and profile: a finite number of seconds up to {@link #MAX_WARMUP_S} (else exit 2). */
  static void checkWarmup(double warmup) {
    if (!Double.isFinite(warmup) || warmup < 0 || warmup > MAX_WARMUP_S) {
      throw CliException.usage("--warmup must be a number of seconds between 0 and " + (int) MAX_WARMUP_S + ", got "
          + warmup);
    }
  }

  private Object model(CompiledNetwork net) {
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

  /**
   * Windows of passes until the medians of the last {@link #STABLE_WINDOWS} windows are within {@link #STABLE} of
   * each other, after at least {@link #MIN_WARMUP_S} (or the whole cap, if shorter), or until {@code capSeconds}
   * have passed. {@code clock} gives nanoseconds (the tests drive it).
   */
  static Warmup warmUp(Runnable pass, LongSupplier clock, double capSeconds, Consumer<String> progress) {
    if (capSeconds == 0) return new Warmup(0, 0, false, Double.NaN);
    long start = clock.getAsLong();
    long cap = (long) (capSeconds * 1e9);
    long min = (long) (Math.min(MIN_WARMUP_S, capSeconds) * 1e9);
    long passes = 0;
    List<Double> medians = new ArrayList<>();
    double last = Double.NaN;
    double variation = Double.NaN;
    while (clock.getAsLong() - start < cap) {
      int size = Double.isNaN(last) ? 1 : (int) Math.clamp(Math.ceil(WINDOW_S * 1e3 / Math.max(last, 1e-3)), 3, 1000);
      double[] window = new double[size];
      int done = 0;
      while (done < size && clock.getAsLong() - start < cap) {
        long t0 = clock.getAsLong();
        pass.run();
        window[done++] = (clock.getAsLong() - t0) / 1e6;
        passes++;
      }
      double[] w = Arrays.copyOf(window, done);
      Arrays.sort(w);
      last = w[w.length / 2];
      if (done == size && size > 1) medians.add(last);
      if (medians.size() >= STABLE_WINDOWS) {
        List<Double> tail = medians.subList(medians.size() - STABLE_WINDOWS, medians.size());
        variation = tail.stream().mapToDouble(d -> d).max().orElseThrow()
            / tail.stream().mapToDouble(d -> d).min().orElseThrow() - 1;
        if (variation <= STABLE && clock.getAsLong() - start >= min) {
          return new Warmup((clock.getAsLong() - start) / 1e9, passes, true, variation);
        }
      }
      progress.accept(String.format(Locale.ROOT, "warm-up %.1f s, %d passes, %s ms%s", (clock.getAsLong() - start)
          / 1e9, passes, ms(last), Double.isNaN(variation) ? "" : String.format(Locale.ROOT,
          " (windows vary %.1f %%)", 100 * variation)));
    }
    return new Warmup((clock.getAsLong() - start) / 1e9, passes, false, variation);
  }

  /** Rewrites the progress line in place (padded over the previous one), only on a terminal. */
  private void progress(PrintWriter err, String what) {
    if (!progress) return;
    String line = "netc bench " + file.getFileName() + ": " + what;
    err.print("\r" + line + " ".repeat(Math.max(0, width - line.length())));
    width = Math.max(width, line.length());
    err.flush();
  }

  private void clearProgress(PrintWriter err) {
    if (!progress || width == 0) return;
    err.print("\r" + " ".repeat(width) + "\r");
    err.flush();
  }

  private void report(Graph g, int n, Warmup w, Times t, KernelInfo kernels, Boolean sideBySide, int chains,
      PrintWriter out) {
    double median = t.median();
    // a chain runs its layers one after the other on the scalar path, as under -Dnetc.conv.chain=false
    boolean chainsFused = chains > 0 && ConvChain.enabled() && kernels.convBits() != 0;
    long macs = JavaEmitter.macs(g);
    double throughput = batch / (median / 1e3);
    double gflops = 2.0 * macs * batch / (median / 1e3) / 1e9;
    if (format.equals("json")) {
      Map<String, Object> m = new LinkedHashMap<>();
      m.put("network", g.name());
      m.put("batch", batch);
      m.put("session_batch", opened());
      m.put("threads", n);
      m.put("warmup_cap_s", warmup);
      m.put("warmup_s", w.seconds());
      m.put("warmup_passes", w.passes());
      m.put("warmup_stable", w.stable());
      m.put("iterations", iterations);
      m.put("macs_per_item", macs);
      m.put("min_ms", t.min());
      m.put("p25_ms", t.quantile(0.25));
      m.put("median_ms", median);
      m.put("p75_ms", t.quantile(0.75));
      m.put("p90_ms", t.quantile(0.9));
      m.put("max_ms", t.max());
      m.put("variation", t.variation());
      m.put("throughput", throughput);
      m.put("gflops", gflops);
      m.put("vector_api", kernels.vector());
      m.put("vector_bits", kernels.preferredBits());
      if (kernels.packedVector() != null) m.put("packed_kernels_vector", kernels.packedVector());
      if (sideBySide != null) m.put("items_side_by_side", sideBySide);
      m.put("conv_chains", chains);
      m.put("conv_chains_fused", chainsFused);
      m.put("conv_kernel_bits", kernels.convBits());
      m.put("gemm_kernel_bits", kernels.gemmBits());
      if (kernels.forced() != null) m.put("kernel_bits_forced", kernels.forced());
      out.println(Json.write(m));
    } else {
      out.printf(Locale.ROOT, "%s: batch %d%s, %d thread%s, %d pass%s after %s%n", g.name(), batch,
          opened() == batch ? "" : " (session for " + opened() + ")", n, n == 1 ? "" : "s", iterations,
          iterations == 1 ? "" : "es", warmupText(w));
      out.printf(Locale.ROOT, "  median %s ms (min %s, p90 %s, max %s; IQR %s-%s), %.1f items/s, %.1f GFLOP/s (%.3g"
          + " GMACs per item)%n", ms(median), ms(t.min()), ms(t.quantile(0.9)), ms(t.max()), ms(t.quantile(0.25)),
          ms(t.quantile(0.75)), throughput, gflops, macs / 1e9);
      out.println("  kernels: " + kernels.describe());
      if (Boolean.TRUE.equals(sideBySide)) {
        out.printf(Locale.ROOT, "  items side by side: each of the %d threads runs whole items, one at a time "
            + "(-Dnetc.exec.sideBySide=false: every layer on every thread)%n", n);
      } else if (Boolean.FALSE.equals(sideBySide)) {
        out.println("  items layer by layer: every thread takes part of every layer (-Dnetc.exec.sideBySide=true: each "
            + "thread whole items)");
      }
      if (chains > 0) {
        out.printf(Locale.ROOT, "  conv chains: %d depthwise layer%s with the 1x1 layers around %s, %s%n", chains,
            chains == 1 ? "" : "s", chains == 1 ? "it" : "them", chainsFused
                ? "one call each, band of rows by band of rows (-Dnetc.conv.chain=false: layer by layer)"
                : "layer by layer (-Dnetc.conv.chain=false or the scalar path)");
      }
    }
    out.flush();
  }

  private String warmupText(Warmup w) {
    if (warmup == 0) return "no warm-up";
    return String.format(Locale.ROOT, "%.1f s of warm-up (%d passes, %s)", w.seconds(), w.passes(), w.stable()
        ? "stable" : "stopped at the " + fmt(warmup) + " s cap" + (Double.isNaN(w.lastVariation()) ? ""
            : String.format(Locale.ROOT, ", windows still varied %.1f %%", 100 * w.lastVariation())));
  }

  /** Milliseconds with three or more significant digits: {@code 0.0812}, {@code 8.12}, {@code 81.2}, {@code 812}. */
  static String ms(double v) {
    return String.format(Locale.ROOT, v >= 100 ? "%.0f" : v >= 10 ? "%.1f" : v >= 1 ? "%.2f" : "%.3g", v);
  }

  private static String fmt(double s) { return s == Math.rint(s) ? String.valueOf((long) s) : String.valueOf(s); }

  /** One line on standard error when the timed passes vary by more than {@link #NOISY}. */
  private void warn(Warmup w, Times t, PrintWriter err) {
    String line = warning(t, !w.stable() && warmup > 0);
    if (line == null) return;
    err.println(line);
    err.flush();
  }

  /** The warning for passes that vary by more than {@link #NOISY}, or null. */
  static String warning(Times t, boolean warmupCapped) {
    if (t.sorted().length < 2 || !(t.variation() > NOISY)) return null;
    return String.format(Locale.ROOT, "netc bench: warning: the timed passes vary by %.0f %% (p10 %s ms, p90 %s ms):"
        + " the machine is busy or the network is too short to time alone; close other programs, raise --iterations%s",
        100 * t.variation(), ms(t.quantile(0.1)), ms(t.quantile(0.9)), warmupCapped ? " or --warmup" : "");
  }
}

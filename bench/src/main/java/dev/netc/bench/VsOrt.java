package dev.netc.bench;

import ai.onnxruntime.OnnxTensor;
import ai.onnxruntime.OnnxValue;
import ai.onnxruntime.OrtEnvironment;
import ai.onnxruntime.OrtException;
import ai.onnxruntime.OrtSession;
import dev.netc.cli.KernelInfo;
import dev.netc.cli.PeakFlops;
import dev.netc.compiler.emit.java.CompiledNetwork;
import dev.netc.compiler.emit.java.JavaEmitter;
import dev.netc.compiler.emit.java.NetworkSession;
import dev.netc.onnx.OnnxExport;
import java.io.IOException;
import java.nio.FloatBuffer;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Locale;
import java.util.Map;

/**
 * netc's generated Java against ONNX Runtime in one JVM, on the same seeded random weights: each stdlib model is
 * compiled as {@code netc run} compiles it and exported to ONNX by our own exporter ({@link OnnxExport}) with the
 * same weights; both engines run the same input (each item of a batch its own) with the same thread count, every
 * output of every item is compared, then they alternate in blocks of passes (warm-up, then timed passes) and the
 * medians and their ratio are printed, one line per (model, batch, threads), after the host, the kernels netc
 * selected and the FMA peak ({@link PeakFlops}) of each thread count. {@code bash bench/vs-ort.sh} builds and runs
 * it and summarises the lines ({@link VsOrtReport}; bench/README.md).
 *
 * <p>Arguments: model names (stdlib-models/NAME.net; default resnet18 resnet50 googlenet mobilenet_v2
 * squeezenet1_1 vgg16), {@code --threads 1,2}, {@code --batch 1,16} (default 1), {@code --passes N} timed passes
 * per engine at least (default 24), {@code --seconds S} of timed passes of both engines together at least (default
 * 6; more passes for the fast models),
 * {@code --block N} passes per engine before the other one runs (default 4), {@code --warmup S} seconds of
 * alternating warm-up at least (default 6), {@code --tsv FILE} to append the lines ({@link VsOrtReport#COLUMNS}),
 * {@code --ort-spin 1} to let ONNX Runtime's idle threads spin (its own default; off here by default: its
 * spinning worker takes a core from netc while the engines alternate on a 2-core machine, and ONNX Runtime
 * measured no slower without it, bench/README.md).
 */
public final class VsOrt {
  private static final List<String> MODELS =
      List.of("resnet18", "resnet50", "googlenet", "mobilenet_v2", "squeezenet1_1", "vgg16");

  private VsOrt() {}

  /** Settings from the command line. */
  private record Options(List<String> models, int[] threads, int[] batches, int passes, double seconds, int block,
      double warmup, Path tsv, boolean ortSpin) {}

  /**
   * One (model, batch, threads) result: times are per pass of {@code batch} items, {@code gmacs} per item, the
   * outputs of all items compared.
   */
  record Result(String model, int batch, int threads, double gmacs, double netcMs, double ortMs, double maxDiff,
      double maxAbs, double[] netcTimes, double[] ortTimes) {
    double ratio() {
      return netcMs / ortMs;
    }
  }

  /** What the run's lines share: the host, its native width, the kernels netc selected, the peak per thread count. */
  record Host(String cpu, int cpus, int nativeBits, String kernels, String ortVersion, boolean ortSpin,
      int[] threads, double[] peaks) {
    double peak(int t) {
      return peaks[Arrays.stream(threads).boxed().toList().indexOf(t)];
    }
  }

  public static void main(String[] args) throws Exception {
    Options o = parse(args);
    KernelInfo kernels = KernelInfo.current();
    System.out.printf(Locale.ROOT, "host: %s, %d CPUs; native width %d bits; ONNX Runtime %s%n", cpu(),
        Runtime.getRuntime().availableProcessors(), PeakFlops.SPECIES.vectorBitSize(),
        OrtEnvironment.getEnvironment().getVersion());
    System.out.println("netc kernels: " + kernels.describe());
    System.out.printf(Locale.ROOT, "batch %s; at least %d timed passes per engine and %.0f s of them in all, in blocks"
        + " of %d, alternating; warm-up >= %.0f s; ONNX Runtime's idle threads %s%n", join(o.batches()), o.passes(),
        o.seconds(), o.block(), o.warmup(), o.ortSpin() ? "spin" : "do not spin");
    double[] peak = new double[o.threads().length];
    for (int i = 0; i < peak.length; i++) {
      peak[i] = peak(o.threads()[i]);
      System.out.printf(Locale.ROOT, "FMA peak (%d chains, %s), %d thread%s: %.1f GFLOP/s%n", PeakFlops.CHAINS,
          PeakFlops.width(), o.threads()[i], o.threads()[i] == 1 ? "" : "s", peak[i]);
    }
    Host host = new Host(cpu(), Runtime.getRuntime().availableProcessors(), PeakFlops.SPECIES.vectorBitSize(),
        kernels.describe(), OrtEnvironment.getEnvironment().getVersion(), o.ortSpin(), o.threads(), peak);
    System.out.println("model          b  thr  GMACs  netc ms (p25-p75)      ORT ms (p25-p75)       netc/ORT  max|diff|"
        + "  max|ORT|  netc/ORT GFLOP/s, % of peak");
    List<Result> all = new ArrayList<>();
    for (String m : o.models()) {
      for (Result r : model(m, o)) {
        double p = host.peak(r.threads());
        all.add(r);
        double gn = 2 * r.gmacs() * r.batch() / r.netcMs() * 1e3;
        double go = 2 * r.gmacs() * r.batch() / r.ortMs() * 1e3;
        System.out.println(line(r) + String.format(Locale.ROOT, "  %5.1f %3.0f%% / %5.1f %3.0f%%", gn, 100 * gn / p, go,
            100 * go / p) + (r.batch() == 1 ? "" : String.format(Locale.ROOT, "  items/s %.1f / %.1f",
            r.batch() / r.netcMs() * 1e3, r.batch() / r.ortMs() * 1e3)));
        if (o.tsv() != null) {
          VsOrtReport.append(o.tsv(), host, r);
        }
      }
    }
    boolean bad = all.stream().anyMatch(r -> !agree(r));
    if (bad) {
      System.out.println("MISMATCH: the engines' outputs differ beyond 1e-3 * max|ORT| + 1e-4 (see max|diff|)");
      System.exit(1);
    }
  }

  /** Compiles, exports and times one model at every thread count. */
  private static List<Result> model(String name, Options o) throws IOException, OrtException {
    PeerModel m = PeerModel.load(name, false);
    double gmacs = JavaEmitter.macs(m.network().graph()) / 1e9;
    List<Result> results = new ArrayList<>();
    for (int batch : o.batches()) {
      long[] shape = m.shape(batch);
      // Every item its own random input, so that a batch path that mixed items up would not agree.
      float[] in = m.randomInput(batch);
      int outLen = m.outputLength(batch);
      for (int t : o.threads()) {
        results.add(run(name, m.net(), m.model(), m.onnx(), m.inputName(), shape, in, outLen, gmacs, t, o));
      }
    }
    return results;
  }

  /** One engine pair at one batch size and thread count: outputs compared, then timed alternately. */
  private static Result run(String name, CompiledNetwork net, Object model, byte[] onnx, String inputName,
      long[] shape, float[] in, int outLen, double gmacs, int t, Options o) throws OrtException {
    int batch = Math.toIntExact(shape[0]);
    OrtEnvironment env = OrtEnvironment.getEnvironment();
    try (NetworkSession s = net.newSession(model, batch, t);
        OrtSession.SessionOptions opts = new OrtSession.SessionOptions()) {
      opts.setIntraOpNumThreads(t);
      opts.setInterOpNumThreads(1);
      opts.setExecutionMode(OrtSession.SessionOptions.ExecutionMode.SEQUENTIAL);
      opts.setOptimizationLevel(OrtSession.SessionOptions.OptLevel.ALL_OPT);
      if (!o.ortSpin()) {
        opts.addConfigEntry("session.intra_op.allow_spinning", "0");
      }
      try (OrtSession ort = env.createSession(onnx, opts);
          OnnxTensor x = OnnxTensor.createTensor(env, FloatBuffer.wrap(in), shape)) {
        float[][] ins = {in};
        float[][] outs = {new float[outLen]};
        Runnable netc = () -> s.forward(ins, outs);
        float[] ortOut = new float[outLen];
        Runnable peer = () -> ortRun(ort, inputName, x, ortOut);
        netc.run();
        peer.run();
        // Every output of every item of the batch.
        double maxDiff = 0;
        double maxAbs = 0;
        for (int i = 0; i < outLen; i++) {
          double d = Math.abs(outs[0][i] - ortOut[i]);
          maxDiff = Double.isNaN(d) ? Double.NaN : Math.max(maxDiff, d);
          maxAbs = Math.max(maxAbs, Math.abs(ortOut[i]));
        }
        long end = System.nanoTime() + (long) (o.warmup() * 1e9);
        int warm = 0;
        while (warm < 3 || System.nanoTime() < end) {
          block(netc, o.block(), null, 0);
          block(peer, o.block(), null, 0);
          warm++;
        }
        // at least o.passes() passes each and o.seconds() of timed passes in all: a fast model's few passes would
        // otherwise fall inside one burst of the host's load
        double[] a = new double[o.passes()];
        double[] b = new double[o.passes()];
        int done = 0;
        long until = System.nanoTime() + (long) (o.seconds() * 1e9);
        for (int round = 0; done < o.passes() || System.nanoTime() < until; round++) {
          int k = done < o.passes() ? Math.min(o.block(), o.passes() - done) : o.block();
          if (done + k > a.length) {
            a = Arrays.copyOf(a, 2 * (done + k));
            b = Arrays.copyOf(b, 2 * (done + k));
          }
          if (round % 2 == 0) {
            block(netc, k, a, done);
            block(peer, k, b, done);
          } else {
            block(peer, k, b, done);
            block(netc, k, a, done);
          }
          done += k;
        }
        a = Arrays.copyOf(a, done);
        b = Arrays.copyOf(b, done);
        return new Result(name, batch, t, gmacs, median(a), median(b), maxDiff, maxAbs, a, b);
      }
    }
  }

  /** The FMA peak on {@code threads} threads in GFLOP/s: {@link PeakFlops}, the best of 0.4 s windows. */
  static double peak(int threads) {
    return PeakFlops.gflops(threads, 0.4);
  }

  /** Runs {@code k} passes, their times in ms into {@code into[at ..]} when not null. */
  private static void block(Runnable pass, int k, double[] into, int at) {
    for (int i = 0; i < k; i++) {
      long t0 = System.nanoTime();
      pass.run();
      long t1 = System.nanoTime();
      if (into != null) {
        into[at + i] = (t1 - t0) / 1e6;
      }
    }
  }

  private static void ortRun(OrtSession ort, String inputName, OnnxTensor x, float[] out) {
    try (OrtSession.Result r = ort.run(Map.of(inputName, x))) {
      OnnxValue v = r.get(0);
      FloatBuffer fb = ((OnnxTensor) v).getFloatBuffer();
      fb.get(out);
    } catch (OrtException e) {
      throw new IllegalStateException("ONNX Runtime: " + e.getMessage(), e);
    }
  }

  static boolean agree(Result r) {
    return r.maxDiff() <= 1e-4 + 1e-3 * r.maxAbs();
  }

  static double median(double[] xs) {
    return quantile(xs, 0.5);
  }

  static double quantile(double[] xs, double q) {
    double[] s = xs.clone();
    Arrays.sort(s);
    double pos = q * (s.length - 1);
    int lo = (int) Math.floor(pos);
    int hi = (int) Math.ceil(pos);
    return s[lo] + (s[hi] - s[lo]) * (pos - lo);
  }

  private static String line(Result r) {
    return String.format(Locale.ROOT, "%-14s %2d %3d %6.3f %8.2f (%6.2f-%6.2f)  %8.2f (%6.2f-%6.2f)  %7.2f  %9.2e %9.2e%s",
        r.model(), r.batch(), r.threads(), r.gmacs(), r.netcMs(), quantile(r.netcTimes(), 0.25), quantile(r.netcTimes(), 0.75),
        r.ortMs(), quantile(r.ortTimes(), 0.25), quantile(r.ortTimes(), 0.75), r.ratio(), r.maxDiff(), r.maxAbs(),
        agree(r) ? "" : "  MISMATCH");
  }

  private static String join(int[] xs) {
    return String.join(",", Arrays.stream(xs).mapToObj(Integer::toString).toList());
  }

  private static Options parse(String[] args) {
    List<String> models = new ArrayList<>();
    int[] threads = {1, 2};
    int[] batches = {1};
    int passes = 24;
    double seconds = 6;
    int block = 4;
    double warmup = 6;
    Path tsv = null;
    boolean ortSpin = false;
    for (int i = 0; i < args.length; i++) {
      String a = args[i];
      if (a.startsWith("--") && i + 1 >= args.length) {
        usage(a + " needs a value");
      }
      switch (a) {
        case "--threads" -> threads = Arrays.stream(args[++i].split(",")).mapToInt(Integer::parseInt).toArray();
        case "--batch" -> batches = Arrays.stream(args[++i].split(",")).mapToInt(Integer::parseInt).toArray();
        case "--passes" -> passes = Integer.parseInt(args[++i]);
        case "--seconds" -> seconds = Double.parseDouble(args[++i]);
        case "--block" -> block = Integer.parseInt(args[++i]);
        case "--warmup" -> warmup = Double.parseDouble(args[++i]);
        case "--tsv" -> tsv = Path.of(args[++i]);
        case "--ort-spin" -> ortSpin = args[++i].equals("1");
        default -> {
          if (a.startsWith("--")) {
            usage("unknown option " + a);
          }
          models.add(a);
        }
      }
    }
    if (passes < 1 || block < 1 || !(seconds >= 0) || threads.length == 0 || Arrays.stream(threads).anyMatch(t -> t < 1)
        || batches.length == 0 || Arrays.stream(batches).anyMatch(b -> b < 1)) {
      usage("--passes, --block, --threads and --batch must be positive, --seconds not negative");
    }
    return new Options(models.isEmpty() ? MODELS : models, threads, batches, passes, seconds, block, warmup, tsv,
        ortSpin);
  }

  private static void usage(String why) {
    System.err.println("vs-ort: " + why + "; usage: VsOrt [MODEL...] [--threads 1,2] [--batch 1,16] [--passes N] [--seconds S]"
        + " [--block N] [--warmup S] [--tsv FILE] [--ort-spin 0|1]");
    System.exit(2);
  }

  private static String cpu() {
    try {
      return Files.readAllLines(Path.of("/proc/cpuinfo")).stream().filter(l -> l.startsWith("model name"))
          .findFirst().map(l -> l.substring(l.indexOf(':') + 1).strip()).orElse("unknown CPU");
    } catch (IOException | RuntimeException e) {
      return "unknown CPU";
    }
  }

  /** {@code -Dnetc.root}, or the nearest folder up from the working directory holding {@code stdlib-models}. */
  static Path root() {
    String prop = System.getProperty("netc.root");
    if (prop != null && !prop.isBlank()) {
      return Path.of(prop);
    }
    Path p = Path.of("").toAbsolutePath();
    while (p != null && !Files.isDirectory(p.resolve("stdlib-models"))) {
      p = p.getParent();
    }
    if (p == null) {
      throw new IllegalStateException("no stdlib-models/ above " + Path.of("").toAbsolutePath());
    }
    return p;
  }
}

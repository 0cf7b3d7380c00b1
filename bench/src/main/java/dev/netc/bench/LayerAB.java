package dev.netc.bench;

import dev.netc.runtime.exec.Executor;
import dev.netc.runtime.exec.WorkerPool;
import dev.netc.runtime.kernels.Activation;
import dev.netc.runtime.kernels.ConvPlan;
import dev.netc.runtime.kernels.ConvSpec;
import dev.netc.runtime.kernels.Epilogue;
import dev.netc.runtime.kernels.Layout;
import java.net.URL;
import java.net.URLClassLoader;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Random;
import java.util.function.ToLongBiFunction;

/**
 * Convolution layers of two runtime builds, or of one build under two sets of system properties, timed in windows
 * that alternate in one JVM (bench/README.md, "Sixth round on a Zen 5 host"). On this kind of shared host a slow or
 * quiet spell outlasts a JVM run, so two layers compared in separate runs differ by more than most changes do; in
 * alternating windows of one run both sides see the same spell.
 *
 * <pre>
 * java --add-modules jdk.incubator.vector -cp bench/target/benchmarks.jar dev.netc.bench.LayerAB \
 *     [--threads 2] [--cold] [--rounds 6] [--a CP] [--b CP] [--props-a "k=v ..."] [--props-b "k=v ..."] \
 *     CIN,COUT,HW,K,STRIDE...
 * </pre>
 *
 * <p>Each side loads the runtime from its class path ({@code CP}: jars or class folders, {@code :}-separated; the
 * default, {@code -}, is the runtime this class runs with) in a class loader of its own, after setting its properties, so that the
 * runtime's {@code static final} switches ({@code -Dnetc.conv.*}) read them. A layer is a 2-D convolution of
 * {@code K x K} kernels, padding {@code K / 2}, on a {@code HW x HW} NCHWc16 input (NCHW for 3 input channels), with a
 * bias and ReLU, batch 1, seeded random weights. {@code --cold} gives each side enough copies of the layer (160 MB of
 * weights at most 64 copies) that every call reads its weights from memory. Output per layer: each side's best
 * window, B's best over A's, and the median and quartiles of B / A over the windows.
 */
public final class LayerAB {
  private LayerAB() {}

  public static void main(String[] args) throws Exception {
    int threads = 2;
    int rounds = 6;
    boolean cold = false;
    String cpA = "-";
    String cpB = "-";
    String propsA = "";
    String propsB = "";
    List<String> shapes = new ArrayList<>();
    for (int i = 0; i < args.length; i++) {
      switch (args[i]) {
        case "--threads" -> threads = Integer.parseInt(value(args, ++i));
        case "--rounds" -> rounds = Integer.parseInt(value(args, ++i));
        case "--cold" -> cold = true;
        case "--a" -> cpA = value(args, ++i);
        case "--b" -> cpB = value(args, ++i);
        case "--props-a" -> propsA = value(args, ++i);
        case "--props-b" -> propsB = value(args, ++i);
        default -> shapes.add(args[i]);
      }
    }
    if (shapes.isEmpty()) {
      System.err.println("LayerAB: no layer given (CIN,COUT,HW,K,STRIDE, e.g. 1024,256,14,1,1)");
      System.exit(2);
    }
    String joined = String.join(";", shapes);
    ToLongBiFunction<Integer, Integer> a = side(cpA, propsA, joined, threads, cold);
    ToLongBiFunction<Integer, Integer> b = side(cpB, propsB, joined, threads, cold);
    double[][] ratios = compare(a, b, shapes.size(), rounds, 2_000_000_000L);
    System.out.printf("%d threads, %s weights; A: %s %s; B: %s %s%n", threads, cold ? "cold" : "hot", cpA, propsA, cpB,
        propsB);
    System.out.printf("%-20s %10s %10s %8s %8s %12s%n", "layer", "A best us", "B best us", "B/A best", "B/A med",
        "B/A p25-p75");
    for (int s = 0; s < shapes.size(); s++) {
      double[] q = ratios[s];
      System.out.printf("%-20s %10.1f %10.1f %8.3f %8.3f %6.2f-%.2f%n", shapes.get(s), q[0] / 1e3, q[1] / 1e3,
          q[1] / q[0], q[2], q[3], q[4]);
    }
    System.exit(0); // the two sides' worker pools
  }

  private static String value(String[] args, int i) {
    if (i >= args.length) {
      System.err.println("LayerAB: " + args[i - 1] + " needs a value");
      System.exit(2);
    }
    return args[i];
  }

  /**
   * Per layer: A's and B's best window (ns per call), and the median, first and third quartile of B / A over the
   * {@code 3 * rounds} windows, the order of the two sides flipping from window to window, after {@code warmNanos} of
   * both sides alternating.
   */
  static double[][] compare(ToLongBiFunction<Integer, Integer> a, ToLongBiFunction<Integer, Integer> b, int layers,
      int rounds, long warmNanos) {
    int[] reps = new int[layers];
    for (int s = 0; s < layers; s++) {
      for (long t = System.nanoTime(); System.nanoTime() - t < warmNanos; ) {
        a.applyAsLong(s, 5);
        b.applyAsLong(s, 5);
      }
      long one = Math.max(1, Math.min(a.applyAsLong(s, 5), b.applyAsLong(s, 5)));
      reps[s] = (int) Math.max(3, 60_000_000L / one); // windows of about 60 ms
    }
    int windows = 3 * rounds;
    long[][] ta = new long[layers][windows];
    long[][] tb = new long[layers][windows];
    for (int r = 0; r < windows; r++) {
      for (int s = 0; s < layers; s++) {
        if (r % 2 == 0) {
          ta[s][r] = a.applyAsLong(s, reps[s]);
          tb[s][r] = b.applyAsLong(s, reps[s]);
        } else {
          tb[s][r] = b.applyAsLong(s, reps[s]);
          ta[s][r] = a.applyAsLong(s, reps[s]);
        }
      }
    }
    double[][] out = new double[layers][];
    for (int s = 0; s < layers; s++) {
      double[] q = new double[windows];
      for (int r = 0; r < windows; r++) {
        q[r] = (double) tb[s][r] / ta[s][r];
      }
      Arrays.sort(q);
      out[s] = new double[] {Arrays.stream(ta[s]).min().orElseThrow(), Arrays.stream(tb[s]).min().orElseThrow(),
          q[windows / 2], q[windows / 4], q[3 * windows / 4]};
    }
    return out;
  }

  /** One side: its runtime in a class loader of its own, created under its properties. */
  @SuppressWarnings("unchecked")
  static ToLongBiFunction<Integer, Integer> side(String classPath, String props, String shapes, int threads,
      boolean cold) throws Exception {
    List<URL> urls = new ArrayList<>();
    if (classPath.equals("-")) {
      urls.add(ConvPlan.class.getProtectionDomain().getCodeSource().getLocation());
    } else {
      for (String e : classPath.split(":")) {
        urls.add(Path.of(e).toUri().toURL());
      }
    }
    urls.add(LayerAB.class.getProtectionDomain().getCodeSource().getLocation()); // the runner below
    ClassLoader loader = new URLClassLoader(urls.toArray(URL[]::new), ClassLoader.getPlatformClassLoader());
    List<String> set = new ArrayList<>();
    for (String kv : props.isBlank() ? new String[0] : props.trim().split("\\s+")) {
      String[] p = kv.split("=", 2);
      System.setProperty(p[0], p.length > 1 ? p[1] : "");
      set.add(p[0]);
    }
    try {
      return (ToLongBiFunction<Integer, Integer>) loader.loadClass(Runner.class.getName())
          .getConstructor(String.class, int.class, boolean.class).newInstance(shapes, threads, cold);
    } finally {
      set.forEach(System::clearProperty);
    }
  }

  /**
   * The layers of one side, loaded by that side's class loader: {@code applyAsLong(layer, reps)} runs the layer
   * {@code reps} times and answers the nanoseconds per call.
   */
  public static final class Runner implements ToLongBiFunction<Integer, Integer> {
    private final ConvPlan[][] plans;
    private final float[][] ins;
    private final float[][] outs;
    private final Executor ex;
    private int turn;

    public Runner(String shapes, int threads, boolean cold) {
      String[] sh = shapes.split(";");
      plans = new ConvPlan[sh.length][];
      ins = new float[sh.length][];
      outs = new float[sh.length][];
      ex = new WorkerPool(threads).newExecutor();
      for (int s = 0; s < sh.length; s++) {
        int[] p = Arrays.stream(sh[s].split(",")).mapToInt(Integer::parseInt).toArray();
        if (p.length != 5) {
          throw new IllegalArgumentException("layer " + sh[s] + ": expected CIN,COUT,HW,K,STRIDE");
        }
        int c = p[0];
        int k = p[1];
        int pad = p[3] / 2;
        ConvSpec spec = ConvSpec.conv2d(c, k, p[2], p[2], p[3], p[3], p[4], p[4], pad, pad, pad, pad, 1, 1, 1);
        Random rnd = new Random(2);
        float[] w = new float[spec.weightSize()];
        for (int i = 0; i < w.length; i++) {
          w[i] = rnd.nextFloat() - 0.5f;
        }
        Layout layout = c == 3 ? Layout.NCHW : Layout.NCHWC16;
        int copies = cold ? (int) Math.max(2, Math.min(64, (160L << 20) / (4L * Math.max(1, w.length)))) : 1;
        Epilogue e = Epilogue.NONE.withBias(new float[k]).withActivation(Activation.RELU);
        plans[s] = new ConvPlan[copies];
        for (int i = 0; i < copies; i++) {
          plans[s][i] = ConvPlan.create(spec, w, 0, e, layout);
        }
        ins[s] = new float[plans[s][0].inputSize()];
        for (int i = 0; i < ins[s].length; i++) {
          ins[s][i] = rnd.nextFloat();
        }
        outs[s] = new float[plans[s][0].outputSize()];
      }
    }

    @Override
    public long applyAsLong(Integer layer, Integer reps) {
      ConvPlan[] copies = plans[layer];
      long t0 = System.nanoTime();
      for (int r = 0; r < reps; r++) {
        copies[turn++ % copies.length].run(1, ins[layer], 0, outs[layer], 0, null, 0, ex);
      }
      return (System.nanoTime() - t0) / reps;
    }
  }
}

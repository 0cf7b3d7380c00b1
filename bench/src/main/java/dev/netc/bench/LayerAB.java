package dev.netc.bench;

import dev.netc.runtime.exec.Executor;
import dev.netc.runtime.exec.WorkerPool;
import dev.netc.runtime.kernels.Activation;
import dev.netc.runtime.kernels.ConvPlan;
import dev.netc.runtime.kernels.ConvSpec;
import dev.netc.runtime.kernels.Epilogue;
import dev.netc.runtime.kernels.Layout;
import java.io.IOException;
import java.io.InputStream;
import java.net.URL;
import java.net.URLClassLoader;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
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
 * <p>Each side loads the runtime from its class path alone ({@code CP}: jars or class folders, {@code :}-separated,
 * each of which must exist; the default, {@code -}, is the runtime this class runs with) in a class loader of its
 * own, which defines this harness's {@link Runner} from this class's own bytes, so that neither another build's
 * harness nor this jar's runtime can stand in for the side's. The header names the file each side's runtime came
 * from. The side is built, and each of its layers run once, under its properties (the previous values are put back
 * afterwards), so that the runtime's {@code static final} switches ({@code -Dnetc.conv.*}) read them. A layer is a
 * 2-D convolution of {@code K x K} kernels, padding {@code K / 2}, on a {@code HW x HW} NCHWc16 input (NCHW for 3
 * input channels), with a bias and ReLU, batch 1, seeded random weights. {@code --cold} gives each side copies of
 * each layer to cycle through, up to 160 MiB of weights and at most 64 copies: layers of 2.5 MiB of weights or more
 * then read them from memory at every call, smaller ones partly from the last-level cache. Output per layer: each
 * side's best window, B's best over A's, and the median and quartiles of B / A over the {@code 3 * rounds}
 * windows.
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
        default -> {
          if (args[i].startsWith("--") || !args[i].matches("\\d+(,\\d+){4}")) {
            fail("unknown option or not a layer (CIN,COUT,HW,K,STRIDE): " + args[i]);
          }
          shapes.add(args[i]);
        }
      }
    }
    if (shapes.isEmpty()) {
      fail("no layer given (CIN,COUT,HW,K,STRIDE, e.g. 1024,256,14,1,1)");
    }
    if (rounds < 1 || threads < 1) {
      fail("--rounds and --threads: at least 1");
    }
    String joined = String.join(";", shapes);
    ToLongBiFunction<Integer, Integer> a;
    ToLongBiFunction<Integer, Integer> b;
    try {
      a = side(cpA, propsA, joined, threads, cold);
      b = side(cpB, propsB, joined, threads, cold);
    } catch (IllegalArgumentException e) {
      fail(e.getMessage());
      return;
    }
    double[][] ratios = compare(a, b, shapes.size(), rounds, 2_000_000_000L);
    System.out.printf("%d threads, %s weights, %d windows per layer%nA: runtime %s %s%nB: runtime %s %s%n", threads,
        cold ? "cold" : "hot", 3 * rounds, runtimeOf(a), propsA, runtimeOf(b), propsB);
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
      fail(args[i - 1] + " needs a value");
    }
    return args[i];
  }

  private static void fail(String message) {
    System.err.println("LayerAB: " + message);
    System.exit(2);
  }

  /** Where a side's runtime was loaded from. */
  static String runtimeOf(Object side) {
    try {
      Class<?> plan = side.getClass().getClassLoader().loadClass(ConvPlan.class.getName());
      return String.valueOf(plan.getProtectionDomain().getCodeSource().getLocation());
    } catch (ClassNotFoundException e) {
      throw new IllegalStateException(e);
    }
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
      // the quantiles VsOrt reports its passes by
      out[s] = new double[] {Arrays.stream(ta[s]).min().orElseThrow(), Arrays.stream(tb[s]).min().orElseThrow(),
          VsOrt.median(q), VsOrt.quantile(q, 0.25), VsOrt.quantile(q, 0.75)};
    }
    return out;
  }

  /**
   * One side: its runtime in a class loader of its own, built (and each layer run once) under its properties.
   *
   * @throws IllegalArgumentException when an entry of {@code classPath} does not exist
   */
  @SuppressWarnings("unchecked")
  static ToLongBiFunction<Integer, Integer> side(String classPath, String props, String shapes, int threads,
      boolean cold) throws Exception {
    List<URL> urls = new ArrayList<>();
    if (classPath.equals("-")) {
      urls.add(ConvPlan.class.getProtectionDomain().getCodeSource().getLocation());
    } else {
      for (String e : classPath.split(":")) {
        Path path = Path.of(e);
        if (!Files.exists(path)) {
          throw new IllegalArgumentException("runtime class path: no such file or folder: " + e);
        }
        urls.add(path.toUri().toURL());
      }
    }
    ClassLoader loader = new SideLoader(urls.toArray(URL[]::new));
    Map<String, String> before = new LinkedHashMap<>();
    for (String kv : props.isBlank() ? new String[0] : props.trim().split("\\s+")) {
      String[] p = kv.split("=", 2);
      String old = System.setProperty(p[0], p.length > 1 ? p[1] : "");
      before.putIfAbsent(p[0], old);
    }
    try {
      return (ToLongBiFunction<Integer, Integer>) loader.loadClass(Runner.class.getName())
          .getConstructor(String.class, int.class, boolean.class).newInstance(shapes, threads, cold);
    } finally {
      before.forEach((k, v) -> {
        if (v == null) {
          System.clearProperty(k);
        } else {
          System.setProperty(k, v);
        }
      });
    }
  }

  /**
   * A side's class loader: the side's class path alone (over the platform loader), and {@link Runner} defined from
   * this harness's own class file, so that a side whose class path holds another build of the harness (another
   * benchmarks jar) still runs this one.
   */
  private static final class SideLoader extends URLClassLoader {
    SideLoader(URL[] urls) {
      super(urls, ClassLoader.getPlatformClassLoader());
    }

    @Override
    protected Class<?> loadClass(String name, boolean resolve) throws ClassNotFoundException {
      if (!name.equals(Runner.class.getName())) {
        return super.loadClass(name, resolve);
      }
      synchronized (getClassLoadingLock(name)) {
        Class<?> c = findLoadedClass(name);
        if (c == null) {
          String file = name.substring(name.lastIndexOf('.') + 1) + ".class";
          try (InputStream in = LayerAB.class.getResourceAsStream(file)) {
            if (in == null) {
              throw new ClassNotFoundException(name);
            }
            byte[] bytes = in.readAllBytes();
            c = defineClass(name, bytes, 0, bytes.length);
          } catch (IOException e) {
            throw new ClassNotFoundException(name, e);
          }
        }
        return c;
      }
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
        // once under the side's properties: a switch read where a plan first runs reads them too
        plans[s][0].run(1, ins[s], 0, outs[s], 0, null, 0, ex);
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

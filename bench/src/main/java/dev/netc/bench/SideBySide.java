package dev.netc.bench;

import dev.netc.compiler.Compilation;
import dev.netc.compiler.Compiler;
import dev.netc.compiler.emit.java.CompiledNetwork;
import dev.netc.compiler.emit.java.JavaEmitter;
import dev.netc.compiler.emit.java.NetworkSession;
import dev.netc.compiler.ir.Graph;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Locale;
import java.util.SplittableRandom;

/**
 * A batch's items side by side (each thread whole items, one at a time) against layer by layer (every thread part of
 * every layer), in one JVM: two sessions of the same model, one opened with {@code -Dnetc.exec.sideBySide=true} and one
 * with {@code false}, timed in alternating blocks of passes. One line per model: each way's median and quartiles,
 * items/s, the ratio side by side / layer by layer, and which way the compiler chose for the network.
 *
 * <p>{@code java --add-modules jdk.incubator.vector -cp bench/target/benchmarks.jar dev.netc.bench.SideBySide
 * [MODEL...] [--batch 16] [--threads 2] [--rounds 8] [--block 2]}; a model is a name in {@code stdlib-models/} or a
 * {@code .net} file (default: the six of {@link VsOrt} and three whose activations outweigh their weights).
 */
public final class SideBySide {
  private static final List<String> MODELS = List.of("resnet18", "resnet50", "googlenet", "mobilenet_v2",
      "squeezenet1_1", "vgg16", "mobilenet_v3_large", "efficientnet_b0", "densenet121");

  /** Untimed passes each way before the timed rounds (which alternate, so a late compilation hits both ways). */
  private static final int WARMUP = 5;

  private SideBySide() {}

  /** Whether the generated session behind the in-memory driver's adapter has side sessions. */
  static boolean hasSides(NetworkSession s) throws ReflectiveOperationException {
    var accessor = s.getClass().getRecordComponents()[0].getAccessor();
    accessor.setAccessible(true);
    Object session = accessor.invoke(s);
    try {
      var sides = session.getClass().getDeclaredField("sides");
      sides.setAccessible(true);
      return sides.get(session) != null;
    } catch (NoSuchFieldException e) {
      return false; // a network that cannot run side by side has no such field
    }
  }

  /** One model's result: milliseconds per pass of the batch, each way, sorted. */
  record Result(String model, int batch, boolean chosen, double[] sideBySide, double[] layerByLayer) {
    double ratio() { return VsOrt.median(sideBySide) / VsOrt.median(layerByLayer); }
  }

  public static void main(String[] args) throws Exception {
    List<String> models = new ArrayList<>();
    int batch = 16;
    int threads = 2;
    int rounds = 8;
    int block = 2;
    for (int i = 0; i < args.length; i++) {
      switch (args[i]) {
        case "--batch" -> batch = positive(args, ++i);
        case "--threads" -> threads = positive(args, ++i);
        case "--rounds" -> rounds = positive(args, ++i);
        case "--block" -> block = positive(args, ++i);
        default -> {
          if (args[i].startsWith("--")) usage("unknown option " + args[i]);
          models.add(args[i]);
        }
      }
    }
    if (threads < 2 || batch < threads) usage("side by side needs --threads 2 or more and --batch of at least that");
    System.out.printf(Locale.ROOT, "batch %d, %d threads, %d rounds of %d passes each way, alternating%n", batch,
        threads, rounds, block);
    for (String m : models.isEmpty() ? MODELS : models) print(run(m, batch, threads, rounds, block));
  }

  static void print(Result r) {
    System.out.printf(Locale.ROOT, "%-20s side by side %8.2f ms (%.2f-%.2f) %7.1f items/s | layer by layer %8.2f ms "
        + "(%.2f-%.2f) %7.1f items/s | side / layer %.3f | compiler's choice: %s%n", r.model(),
        VsOrt.median(r.sideBySide()), VsOrt.quantile(r.sideBySide(), 0.25), VsOrt.quantile(r.sideBySide(), 0.75),
        r.batch() * 1e3 / VsOrt.median(r.sideBySide()), VsOrt.median(r.layerByLayer()),
        VsOrt.quantile(r.layerByLayer(), 0.25), VsOrt.quantile(r.layerByLayer(), 0.75),
        r.batch() * 1e3 / VsOrt.median(r.layerByLayer()), r.ratio(), r.chosen() ? "side by side" : "layer by layer");
  }

  static Result run(String name, int batch, int threads, int rounds, int block) throws Exception {
    Path file = name.endsWith(".net") ? Path.of(name) : Path.of("stdlib-models", name + ".net");
    if (!Files.isRegularFile(file)) usage("no such model: " + file);
    Compilation.Network n = Compiler.compile(file).networks().getFirst();
    Graph g = n.graph();
    CompiledNetwork net = n.compiled();
    Object model = net.randomWeights(1);
    SplittableRandom random = new SplittableRandom(3);
    float[][] in = new float[g.inputs().size()][];
    for (int i = 0; i < in.length; i++) {
      in[i] = new float[Math.toIntExact(g.node(g.inputs().get(i)).type().elements(batch))];
      for (int k = 0; k < in[i].length; k++) in[i][k] = (float) random.nextDouble(-1, 1);
    }
    float[][] out = new float[g.outputs().size()][];
    for (int i = 0; i < out.length; i++) {
      out[i] = new float[Math.toIntExact(g.node(g.outputs().get(i).node()).type().elements(batch))];
    }
    double[] side = new double[rounds * block];
    double[] layer = new double[rounds * block];
    try (NetworkSession sides = open(net, model, batch, threads, "true");
        NetworkSession layers = open(net, model, batch, threads, "false")) {
      if (!hasSides(sides) || hasSides(layers)) {
        usage(file + " cannot run side by side on " + threads + " threads (an unbatched tensor, or fewer threads in "
            + "the pool: -Dnetc.threads=N)");
      }
      for (int w = 0; w < WARMUP; w++) {
        sides.forward(in, out);
        layers.forward(in, out);
      }
      for (int r = 0; r < rounds; r++) {
        for (int s = 0; s < 2; s++) {
          boolean first = (r + s) % 2 == 0;
          for (int b = 0; b < block; b++) {
            long t0 = System.nanoTime();
            (first ? sides : layers).forward(in, out);
            (first ? side : layer)[r * block + b] = (System.nanoTime() - t0) / 1e6;
          }
        }
      }
    }
    Arrays.sort(side);
    Arrays.sort(layer);
    return new Result(file.getFileName().toString().replace(".net", ""), batch,
        JavaEmitter.itemsSideBySide(n.plan()), side, layer);
  }

  /** A session opened with {@code netc.exec.sideBySide} set to {@code sideBySide}, the property put back as it was. */
  private static NetworkSession open(CompiledNetwork net, Object model, int batch, int threads, String sideBySide) {
    String before = System.getProperty("netc.exec.sideBySide");
    System.setProperty("netc.exec.sideBySide", sideBySide);
    try {
      return net.newSession(model, batch, threads);
    } finally {
      if (before == null) System.clearProperty("netc.exec.sideBySide");
      else System.setProperty("netc.exec.sideBySide", before);
    }
  }

  private static int positive(String[] args, int i) {
    if (i >= args.length) usage(args[i - 1] + " needs a value");
    try {
      int v = Integer.parseInt(args[i]);
      if (v >= 1) return v;
    } catch (NumberFormatException e) {
      // below
    }
    usage(args[i - 1] + " must be a positive integer, got " + args[i]);
    return 0;
  }

  private static void usage(String why) {
    System.err.println("side-by-side: " + why + "; usage: SideBySide [MODEL...] [--batch 16] [--threads 2] "
        + "[--rounds 8] [--block 2]");
    System.exit(2);
  }
}

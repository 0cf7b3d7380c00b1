package dev.netc.bench;

import dev.netc.compiler.Compilation;
import dev.netc.compiler.Compiler;
import dev.netc.compiler.emit.java.CompiledNetwork;
import dev.netc.compiler.emit.java.JavaEmitter;
import dev.netc.compiler.emit.java.NetworkSession;
import dev.netc.compiler.ir.Graph;
import dev.netc.compiler.ir.TensorType;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Random;
import java.util.concurrent.TimeUnit;
import org.openjdk.jmh.annotations.Benchmark;
import org.openjdk.jmh.annotations.BenchmarkMode;
import org.openjdk.jmh.annotations.Fork;
import org.openjdk.jmh.annotations.Level;
import org.openjdk.jmh.annotations.Measurement;
import org.openjdk.jmh.annotations.Mode;
import org.openjdk.jmh.annotations.OutputTimeUnit;
import org.openjdk.jmh.annotations.Param;
import org.openjdk.jmh.annotations.Scope;
import org.openjdk.jmh.annotations.Setup;
import org.openjdk.jmh.annotations.State;
import org.openjdk.jmh.annotations.TearDown;
import org.openjdk.jmh.annotations.Warmup;

/**
 * Whole models: a stdlib network compiled as {@code netc run} and {@code netc bench} compile it (optimizer,
 * planner, Java emitter, in-memory javac), seeded random weights, one session, one forward pass per call at batch
 * 1 on 2 threads: the configuration of the ONNX Runtime figures in PERF.md. GFLOP/s = 2 × MACs / time (MACs of
 * each model in bench/README.md). Run with {@code java -jar bench/target/benchmarks.jar ModelBench} from the
 * repository root (or with {@code -Dnetc.root=...}), holding the build lock: see bench/README.md.
 */
@State(Scope.Benchmark)
@BenchmarkMode(Mode.AverageTime)
@OutputTimeUnit(TimeUnit.MILLISECONDS)
@Fork(value = 1, jvmArgsAppend = {"--add-modules", "jdk.incubator.vector", "-XX:+UseSerialGC"})
@Warmup(iterations = 3, time = 2)
@Measurement(iterations = 5, time = 2)
public class ModelBench {
  @Param({"resnet50", "mobilenet_v2", "googlenet", "vgg16", "squeezenet1_1"})
  public String model;

  @Param({"2"})
  public int threads;

  @Param({"1"})
  public int batch;

  private NetworkSession session;
  private float[][] in;
  private float[][] out;

  /** Compiles the model, draws weights and inputs, opens the session. */
  @Setup(Level.Trial)
  public void setup() {
    Path file = root().resolve("stdlib-models").resolve(model + ".net");
    Compilation.Network n = Compiler.compile(file).networks().getFirst();
    Graph g = n.graph();
    CompiledNetwork net = n.compiled();
    session = net.newSession(net.randomWeights(0), batch, threads);
    Random rnd = new Random(1);
    in = new float[g.inputs().size()][];
    for (int i = 0; i < in.length; i++) {
      in[i] = new float[Math.toIntExact(g.node(g.inputs().get(i)).type().elements(batch))];
      for (int k = 0; k < in[i].length; k++) {
        in[i][k] = rnd.nextFloat() * 2 - 1;
      }
    }
    out = new float[g.outputs().size()][];
    for (int i = 0; i < out.length; i++) {
      TensorType t = g.node(g.outputs().get(i).node()).type();
      out[i] = new float[Math.toIntExact(t.elements(batch))];
    }
    System.out.printf("%n%s: %.3f GMACs per item%n", model, JavaEmitter.macs(g) / 1e9);
  }

  /** One forward pass. */
  @Benchmark
  public float[][] forward() {
    session.forward(in, out);
    return out;
  }

  @TearDown(Level.Trial)
  public void close() {
    session.close();
  }

  /** {@code -Dnetc.root}, or the nearest folder up from the working directory holding {@code stdlib-models}. */
  private static Path root() {
    String prop = System.getProperty("netc.root");
    if (prop != null && !prop.isBlank()) {
      return Path.of(prop);
    }
    Path p = Path.of("").toAbsolutePath();
    while (p != null && !Files.isDirectory(p.resolve("stdlib-models"))) {
      p = p.getParent();
    }
    if (p == null) {
      throw new IllegalStateException("no stdlib-models/ above " + Path.of("").toAbsolutePath()
          + "; run from the repository or give -Dnetc.root");
    }
    return p;
  }
}

package dev.netc.compiler.emit.java;

import static org.junit.jupiter.api.Assertions.fail;

import dev.netc.compiler.Compiler;
import dev.netc.compiler.interp.Interpreter;
import dev.netc.compiler.interp.Weights;
import dev.netc.compiler.ir.Graph;
import dev.netc.compiler.ir.Input;
import dev.netc.compiler.ir.Node;
import dev.netc.compiler.ir.TensorType;
import dev.netc.compiler.opt.Pipeline;
import dev.netc.compiler.plan.Planner;
import dev.netc.runtime.Shape;
import dev.netc.runtime.Tensor;
import dev.netc.runtime.io.SafeTensorsWriter;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.SplittableRandom;
import java.util.concurrent.Callable;

/**
 * Test helpers: a .net text to a graph, the graph through the optimizer and planner to generated Java compiled in
 * memory, and runs of both the generated code and the reference interpreter on the same weights and inputs.
 */
final class Generated {
  private Generated() {}

  static Graph graph(String source) {
    // The facade compiles text that is not on disk (as the language server does): no temporary file.
    return Compiler.compile(Compiler.Options.text(Path.of("emit.net"), source)).graphs().getFirst();
  }

  static CompiledNetwork compile(Graph g) {
    return CompiledNetwork.compile(Planner.plan(Pipeline.run(g)), EmitOptions.of(g.name(), "test", "test"));
  }

  /** Writes weights to a temporary safetensors file (deleted on exit). */
  static Path save(Weights w) {
    try {
      Path file = Files.createTempFile("weights", ".safetensors");
      file.toFile().deleteOnExit();
      SafeTensorsWriter out = new SafeTensorsWriter();
      w.tensors().forEach(out::put);
      out.write(file);
      return file;
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
  }

  /** Random inputs in [-1, 1) by input name, batch first (boxes: rows of valid boxes in a 16x16 image). */
  static Map<String, Tensor> inputs(Graph g, int batch, long seed) {
    SplittableRandom r = new SplittableRandom(seed);
    Map<String, Tensor> m = new LinkedHashMap<>();
    for (int id : g.inputs()) {
      Node n = g.node(id);
      TensorType t = n.type();
      float[] data = new float[Math.toIntExact(t.elements(batch))];
      if (!t.batched() && t.rank() == 2 && t.dim(1) == 5) {
        for (int k = 0; k < t.dim(0); k++) {
          float x0 = (float) r.nextInt(0, 8);
          float y0 = (float) r.nextInt(0, 8);
          data[k * 5] = r.nextInt(0, batch);
          data[k * 5 + 1] = x0;
          data[k * 5 + 2] = y0;
          data[k * 5 + 3] = x0 + r.nextInt(1, 8);
          data[k * 5 + 4] = y0 + r.nextInt(1, 8);
        }
      } else {
        for (int i = 0; i < data.length; i++) data[i] = (float) r.nextDouble(-1, 1);
      }
      m.put(((Input) n.op()).inputName(), new Tensor(Shape.of(fullDims(t, batch)), data));
    }
    return m;
  }

  static int[] fullDims(TensorType t, int batch) {
    int[] s = t.shape().toArray();
    if (!t.batched()) return s;
    int[] d = new int[s.length + 1];
    d[0] = batch;
    System.arraycopy(s, 0, d, 1, s.length);
    return d;
  }

  /** Runs generated code; outputs in graph order. */
  static float[][] run(CompiledNetwork net, Object model, Graph g, int batch, int threads, Map<String, Tensor> inputs) {
    float[][] in = inputs.values().stream().map(Tensor::data).toArray(float[][]::new);
    float[][] out = new float[g.outputs().size()][];
    for (int i = 0; i < out.length; i++) {
      out[i] = new float[Math.toIntExact(g.node(g.outputs().get(i).node()).type().elements(batch))];
    }
    try (NetworkSession s = net.newSession(model, batch, threads)) {
      s.forward(in, out);
    }
    return out;
  }

  static float[][] interpret(Graph g, Weights w, Map<String, Tensor> inputs) {
    return new Interpreter(g, w).run(inputs).values().stream().map(Tensor::data).toArray(float[][]::new);
  }

  /** {@code |got − want| ≤ atol + rtol·|want|} element-wise, with the first failures in the message. */
  static void assertClose(String what, float[][] want, float[][] got, double atol, double rtol) {
    if (want.length != got.length) fail(what + ": " + want.length + " outputs expected, got " + got.length);
    for (int o = 0; o < want.length; o++) {
      if (want[o].length != got[o].length) fail(what + ": output " + o + " has " + got[o].length + " floats, expected " + want[o].length);
      StringBuilder bad = new StringBuilder();
      int count = 0;
      for (int i = 0; i < want[o].length; i++) {
        double w = want[o][i];
        double g = got[o][i];
        if (g != w && !(Math.abs(g - w) <= atol + rtol * Math.abs(w)) && !(Double.isNaN(w) && Double.isNaN(g))) {
          if (count++ < 5) bad.append(String.format("%n  [%d] expected %.7g, got %.7g", i, w, g));
        }
      }
      if (count > 0) fail(what + ": output " + o + " differs in " + count + " of " + want[o].length + " elements" + bad);
    }
  }

  /** Generated code (weights through a safetensors file) against the interpreter, at {@code batch}. */
  static void checkAgainstInterpreter(String what, Graph g, int batch, long seed) {
    Weights w = Weights.random(g, seed);
    CompiledNetwork net = compile(g);
    Object model;
    try {
      model = net.load(save(w));
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
    Map<String, Tensor> inputs = inputs(g, batch, seed + 1);
    float[][] want = interpret(g, w, inputs);
    assertClose(what, want, run(net, model, g, batch, 2, inputs), 1e-4, 1e-3);
    if (batch > 1) {
      // Where the network runs its items side by side, also layer by layer: the batch offsets of every kernel.
      assertClose(what + " (layer by layer)", want, sideBySide("false", () -> run(net, model, g, batch, 2, inputs)),
          1e-4, 1e-3);
    }
  }

  /**
   * What {@code open} returns with {@code -Dnetc.exec.sideBySide} set to {@code value} (null: unset), read by the
   * sessions it opens; the property is then put back as it was.
   */
  static <T> T sideBySide(String value, Callable<T> open) {
    String before = System.getProperty("netc.exec.sideBySide");
    if (value == null) System.clearProperty("netc.exec.sideBySide");
    else System.setProperty("netc.exec.sideBySide", value);
    try {
      return open.call();
    } catch (Exception e) {
      throw e instanceof RuntimeException r ? r : new IllegalStateException(e);
    } finally {
      if (before == null) System.clearProperty("netc.exec.sideBySide");
      else System.setProperty("netc.exec.sideBySide", before);
    }
  }

  static List<String> lines(String s) { return s.lines().toList(); }
}

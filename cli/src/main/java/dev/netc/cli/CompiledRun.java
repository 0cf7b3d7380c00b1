package dev.netc.cli;

import dev.netc.compiler.Compilation;
import dev.netc.compiler.emit.java.CompiledNetwork;
import dev.netc.compiler.emit.java.NetworkSession;
import dev.netc.compiler.ir.Graph;
import dev.netc.compiler.ir.TensorType;
import dev.netc.runtime.InputException;
import dev.netc.runtime.Tensor;
import dev.netc.runtime.io.LoadOptions;
import dev.netc.runtime.io.TensorFileException;
import java.io.IOException;
import java.nio.file.NoSuchFileException;
import java.nio.file.Path;
import java.util.LinkedHashMap;
import java.util.Map;

/**
 * {@code netc run}'s default path: the graph optimized, planned and emitted as Java, compiled in memory and loaded,
 * then one forward pass in one session of {@code threads} threads. Weights come from a safetensors file through
 * the generated {@code load} (which checks every name and shape) or from the generated {@code randomWeights}, which
 * draws the same values as the interpreter's random weights.
 */
final class CompiledRun {
  private CompiledRun() {}

  /** Output name to tensor ({@code [batch, dims...]} for batched outputs), in the graph's output order. */
  static Map<String, Tensor> run(Compilation.Network network, Path weights, LoadOptions options, long seed,
      Map<String, Tensor> given, int threads) {
    Graph g = network.graph();
    CompiledNetwork net = compiled(network);
    Object model = model(net, weights, options, seed);
    int batch = RunInputs.batch(g, given);
    float[][] outs = new float[g.outputs().size()][];
    for (int i = 0; i < outs.length; i++) outs[i] = new float[Math.toIntExact(type(g, i).elements(batch))];
    try (NetworkSession s = net.newSession(model, batch, threads)) {
      s.forward(RunInputs.arrays(g, given), outs);
    } catch (InputException e) {
      throw new RunCommand.RunError(e.getMessage());
    }
    Map<String, Tensor> results = new LinkedHashMap<>();
    for (int i = 0; i < outs.length; i++) {
      results.put(g.outputs().get(i).name(), Tensor.of(outs[i], dims(type(g, i), batch)));
    }
    return results;
  }

  /**
   * The network's generated class, compiled and loaded; a valid network the Java emitter cannot generate yet is one
   * line that points to the interpreter.
   */
  static CompiledNetwork compiled(Compilation.Network network) {
    try {
      return network.compiled();
    } catch (UnsupportedOperationException e) {
      throw CliException.user("network " + network.name() + " cannot be compiled to Java yet: " + e.getMessage()
          + " (netc run --interpret runs it on the interpreter)");
    }
  }

  private static Object model(CompiledNetwork net, Path weights, LoadOptions options, long seed) {
    if (weights == null) return net.randomWeights(seed);
    try {
      return net.load(weights, options);
    } catch (NoSuchFileException e) {
      throw new RunCommand.RunError("weights file not found: " + weights);
    } catch (TensorFileException e) {
      throw new RunCommand.RunError(e.getMessage());
    } catch (IOException e) {
      throw new RunCommand.RunError("cannot read weights " + weights + ": " + Outputs.reason(e, weights));
    }
  }

  private static TensorType type(Graph g, int output) { return g.node(g.outputs().get(output).node()).type(); }

  private static int[] dims(TensorType t, int batch) {
    int[] own = t.shape().toArray();
    if (!t.batched()) return own;
    int[] d = new int[own.length + 1];
    d[0] = batch;
    System.arraycopy(own, 0, d, 1, own.length);
    return d;
  }
}

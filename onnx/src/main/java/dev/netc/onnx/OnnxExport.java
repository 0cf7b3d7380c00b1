package dev.netc.onnx;

import dev.netc.compiler.Compiler;
import dev.netc.compiler.interp.InterpreterException;
import dev.netc.compiler.interp.Weights;
import dev.netc.compiler.io.OutputFile;
import dev.netc.compiler.ir.Graph;
import dev.netc.compiler.ops.Value;
import dev.netc.onnx.proto.OnnxProto.ModelProto;
import java.io.IOException;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import java.util.Optional;

/**
 * {@code .net} to ONNX: elaborates a network with the compiler's front end (so its shapes are checked), and
 * writes it as an ONNX model of opset 17 (see {@link Exporter} for the conventions), with the weights of a
 * safetensors file as initializers, or without weights, each parameter then a graph input.
 */
public final class OnnxExport {
  private OnnxExport() {}

  /**
   * Exports one network of a {@code .net} file.
   *
   * @param network the network's name, or null when the file declares exactly one
   * @param params network parameters ({@code --param name=value}), parsed as the CLI parses them
   * @param weights safetensors weights by parameter name; empty to make the parameters graph inputs
   * @throws dev.netc.compiler.diag.UserError when the file does not compile (its diagnostics)
   * @throws OnnxException when the weights do not fit, a layer has no ONNX spelling, or a file cannot be written
   */
  public static void export(Path net, String network, Map<String, Value> params, Optional<Path> weights, Path out) {
    Compiler.Options options = Compiler.Options.file(net).withNetwork(network).withParams(params);
    Graph g = single(net, Compiler.compile(options).graphs());
    ModelProto model = toModel(g, weights.map(w -> load(w, g)).orElse(null));
    write(model, out);
  }

  /** The model for an elaborated graph; {@code weights} null makes the parameters graph inputs. */
  public static ModelProto toModel(Graph graph, Weights weights) {
    return Exporter.export(graph, weights == null ? null : weights.tensors(), version());
  }

  /** Writes a model; a file that cannot be written is an {@link OnnxException}. */
  public static void write(ModelProto model, Path out) {
    try {
      // A temp file renamed over the target: an interrupted export never leaves a truncated model behind.
      OutputFile.write(out, model::writeTo);
    } catch (IOException e) {
      throw new OnnxException("cannot write " + out + ": " + e.getMessage());
    }
  }

  private static Weights load(Path file, Graph g) {
    try {
      return Weights.load(file, g);
    } catch (InterpreterException e) {
      throw new OnnxException(e.getMessage());
    }
  }

  private static Graph single(Path net, List<Graph> graphs) {
    if (graphs.size() == 1) return graphs.getFirst();
    if (graphs.isEmpty()) throw new OnnxException(net + " declares no network");
    throw new OnnxException(net + " declares several networks (" + String.join(", ", graphs.stream().map(Graph::name)
        .toList()) + "); choose one by name");
  }

  /** The compiler's version from its build properties. */
  static String version() { return dev.netc.compiler.Version.version(); }

}

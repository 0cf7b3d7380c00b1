package dev.netc.onnx;

import com.google.protobuf.CodedInputStream;
import com.google.protobuf.InvalidProtocolBufferException;
import dev.netc.compiler.Compiler;
import dev.netc.compiler.diag.Diagnostic;
import dev.netc.compiler.diag.UserError;
import dev.netc.compiler.io.OutputFile;
import dev.netc.compiler.ir.Activation;
import dev.netc.compiler.ir.Graph;
import dev.netc.compiler.ir.Node;
import dev.netc.compiler.ir.Param;
import dev.netc.compiler.ir.ParamSpec;
import dev.netc.onnx.proto.OnnxProto.ModelProto;
import dev.netc.runtime.Tensor;
import dev.netc.runtime.io.SafeTensorsWriter;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.NoSuchFileException;
import java.nio.file.Path;
import java.util.Arrays;
import java.util.HashMap;
import java.util.HashSet;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.stream.Collectors;

/**
 * ONNX to {@code .net}: reads a model (any file is checked: a truncated, damaged or hostile one is an
 * {@link OnnxException}, never another exception), turns its nodes into {@code .net} layers ({@link Importer}),
 * writes them as readable source ({@link NetWriter}), and elaborates that source again with the compiler
 * ({@link Compiler}), which re-checks every shape and gives every parameter tensor its {@code .net} name; the
 * weights are written to safetensors under those names.
 */
public final class OnnxImport {
  /** Larger files are refused before reading (protobuf messages are limited to 2 GiB anyway). */
  static final long MAX_BYTES = Integer.MAX_VALUE - 8L;

  private OnnxImport() {}

  /**
   * An imported network: its {@code .net} source, the weights by the source's parameter names, and the graph the
   * front end elaborated from the source.
   */
  public record Imported(String network, String source, Map<String, Tensor> weights, Graph graph) {}

  /**
   * Imports {@code onnx}, writes the network to {@code netOut} (named after that file: {@code model.net} declares
   * {@code network model}) and, if asked, the weights to a safetensors file.
   *
   * @throws OnnxException for a file that is not an ONNX model netc can import, naming every node without a
   *     {@code .net} equivalent at once
   */
  public static Imported importModel(Path onnx, Path netOut, Optional<Path> weightsOut) {
    String network = Hints.identifier(stem(netOut));
    ModelProto model = read(onnx);
    Importer.Result result = Importer.run(model, onnx.getFileName().toString());
    NetWriter.Written written = NetWriter.write(result, network, comments(onnx, result, weightsOut));
    Imported imported = elaborate(netOut, network, written, result);
    try {
      OutputFile.writeString(netOut, written.text());
    } catch (IOException e) {
      throw new OnnxException("cannot write " + netOut + ": " + e.getMessage());
    }
    weightsOut.ifPresent(w -> writeWeights(imported.weights(), w));
    return imported;
  }

  /** Imports a model from bytes without writing files (for tools and tests). */
  public static Imported importBytes(byte[] bytes, String name, String network) {
    ModelProto model = parse(bytes, name);
    Importer.Result result = Importer.run(model, name);
    NetWriter.Written written = NetWriter.write(result, network, comments(Path.of(name), result, Optional.empty()));
    return elaborate(Path.of(network + ".net"), network, written, result);
  }

  /** Reads and parses an ONNX file; anything that is not a well-formed ModelProto is an {@link OnnxException}. */
  public static ModelProto read(Path onnx) {
    try {
      long size = Files.size(onnx);
      if (size > MAX_BYTES) throw new OnnxException(onnx + " is " + size + " bytes, more than a protobuf message can be");
      return parse(Files.readAllBytes(onnx), onnx.toString());
    } catch (NoSuchFileException e) {
      throw new OnnxException("file not found: " + onnx);
    } catch (IOException e) {
      throw new OnnxException("cannot read " + onnx + ": " + e.getMessage());
    }
  }

  static ModelProto parse(byte[] bytes, String name) {
    if (bytes.length == 0) throw new OnnxException(name + " is empty: not an ONNX model");
    try {
      CodedInputStream in = CodedInputStream.newInstance(bytes);
      in.setRecursionLimit(64);
      return ModelProto.parseFrom(in);
    } catch (InvalidProtocolBufferException e) {
      throw new OnnxException(name + " is not an ONNX model, or it is truncated or damaged (" + e.getMessage() + ")");
    } catch (IOException | RuntimeException e) {
      throw new OnnxException(name + " is not an ONNX model, or it is damaged (" + e + ")");
    }
  }

  private static List<String> comments(Path onnx, Importer.Result r, Optional<Path> weights) {
    String producer = r.producer().isEmpty() ? "" : ", made by " + r.producer();
    String w = weights.map(p -> "weights: " + p.getFileName() + ", by the parameter names of this file")
        .orElse("weights: import again with a weights file to get them");
    return List.of("Imported by netc from " + onnx.getFileName() + " (ONNX opset " + r.opset() + producer + ").", w);
  }

  /**
   * Elaborates the written source and pairs each of its graph nodes with the imported layer written at the node's
   * source position: the ops must be equal records (the source says exactly what was imported), and each
   * parameter tensor takes the name the front end gave it.
   */
  private static Imported elaborate(Path net, String network, NetWriter.Written written, Importer.Result result) {
    Graph g;
    try {
      g = Compiler.compile(Compiler.Options.text(net, written.text()).withNetwork(network)).graphs().getFirst();
    } catch (UserError e) {
      throw new IllegalStateException("the imported source does not compile:\n" + e.diagnostics().stream()
          .map(Diagnostic::headline).collect(Collectors.joining("\n")) + "\n" + written.text());
    }
    Map<String, Layer> byId = new HashMap<>();
    for (Layer l : result.layers()) byId.put(l.id(), l);
    Map<String, Tensor> weights = new LinkedHashMap<>();
    Set<String> matched = new HashSet<>();
    for (Node n : g.nodes()) {
      if (n.op() instanceof dev.netc.compiler.ir.Input) continue;
      String id = written.layerAt().get(n.span().start());
      if (id == null) {
        if (n.op() instanceof Activation a && a.kind() == Activation.Kind.IDENTITY) continue;
        throw new IllegalStateException("node " + n.path() + " (" + n.op() + ") of the imported source matches no layer");
      }
      Layer l = byId.get(id);
      if (!l.op().equals(n.op()) || !l.type().equals(n.type())) {
        throw new IllegalStateException("layer " + n.path() + " reads back as " + n.op() + " " + n.type() + ", imported as "
            + l.op() + " " + l.type());
      }
      matched.add(id);
      for (Param p : n.params()) {
        if (p.kind() == ParamSpec.Kind.UNUSED) continue;
        Tensor t = l.tensors().get(p.spec().name());
        if (t == null || !Arrays.equals(t.shape().dims(), p.shape().toArray())) {
          throw new IllegalStateException("layer " + n.path() + " has no tensor " + p.spec().name() + " of shape " + p.shape());
        }
        weights.put(p.name(), t);
      }
    }
    if (matched.size() != byId.size()) throw new IllegalStateException("imported layers missing from the source");
    return new Imported(network, written.text(), weights, g);
  }

  private static void writeWeights(Map<String, Tensor> weights, Path file) {
    SafeTensorsWriter w = new SafeTensorsWriter();
    weights.forEach(w::put);
    try {
      OutputFile.write(file, w::writeTo);
    } catch (IOException e) {
      throw new OnnxException("cannot write " + file + ": " + e.getMessage());
    }
  }

  private static String stem(Path p) {
    String f = p.getFileName().toString();
    int dot = f.lastIndexOf('.');
    return dot > 0 ? f.substring(0, dot) : f;
  }
}

package dev.netc.onnx;

import dev.netc.onnx.proto.OnnxProto.AttributeProto;
import dev.netc.onnx.proto.OnnxProto.GraphProto;
import dev.netc.onnx.proto.OnnxProto.ModelProto;
import dev.netc.onnx.proto.OnnxProto.NodeProto;
import dev.netc.onnx.proto.OnnxProto.TensorProto;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.util.HashMap;
import java.util.Map;

/** Well-formed but wrong models for {@link ReaderFuzzTest}: one field of a real model changed. */
final class ModelMutations {
  private static final Map<String, ModelProto> CACHE = new HashMap<>();

  private ModelMutations() {}

  static synchronized ModelProto load(String file) {
    return CACHE.computeIfAbsent(file, f -> {
      try {
        return ModelProto.parseFrom(Files.readAllBytes(Repo.pytorchExports().resolve(f)));
      } catch (IOException e) {
        throw new UncheckedIOException(e);
      }
    });
  }

  static ModelProto apply(ModelProto m, int kind, int a, int b, long value) {
    GraphProto.Builder g = m.getGraph().toBuilder();
    int nodes = g.getNodeCount();
    switch (kind) {
      case 0 -> { // an int or ints attribute of a node
        NodeProto.Builder n = g.getNodeBuilder(a % nodes);
        if (n.getAttributeCount() == 0) break;
        AttributeProto.Builder at = n.getAttributeBuilder(b % n.getAttributeCount());
        if (at.getIntsCount() > 0) at.setInts(b % at.getIntsCount(), value);
        else at.setI(value);
      }
      case 1 -> { // the dims of an initializer
        TensorProto.Builder t = g.getInitializerBuilder(a % g.getInitializerCount());
        if (t.getDimsCount() > 0) t.setDims(b % t.getDimsCount(), value);
        else t.addDims(value);
      }
      case 2 -> { // an op type taken from another node
        g.getNodeBuilder(a % nodes).setOpType(g.getNode(b % nodes).getOpType());
      }
      case 3 -> { // an input taken from another node's inputs or outputs (dangling, cyclic or mistyped)
        NodeProto.Builder n = g.getNodeBuilder(a % nodes);
        NodeProto other = g.getNode(b % nodes);
        String name = value % 2 == 0 && other.getOutputCount() > 0 ? other.getOutput(0)
            : other.getInputCount() > 0 ? other.getInput(0) : "nowhere";
        if (n.getInputCount() > 0) n.setInput((int) Math.floorMod(value, n.getInputCount()), name);
      }
      case 4 -> { // the opset
        return m.toBuilder().setOpsetImport(0, m.getOpsetImport(0).toBuilder().setVersion(value)).build();
      }
      default -> { // a dimension of the input
        var shape = g.getInputBuilder(0).getTypeBuilder().getTensorTypeBuilder().getShapeBuilder();
        shape.getDimBuilder(a % shape.getDimCount()).setDimValue(value);
      }
    }
    return m.toBuilder().setGraph(g).build();
  }
}

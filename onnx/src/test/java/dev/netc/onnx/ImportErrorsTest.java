package dev.netc.onnx;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.netc.compiler.ir.TensorType;
import dev.netc.onnx.proto.OnnxProto.AttributeProto;
import dev.netc.onnx.proto.OnnxProto.GraphProto;
import dev.netc.onnx.proto.OnnxProto.ModelProto;
import dev.netc.onnx.proto.OnnxProto.NodeProto;
import dev.netc.onnx.proto.OnnxProto.OperatorSetIdProto;
import dev.netc.onnx.proto.OnnxProto.TensorProto;
import dev.netc.onnx.proto.OnnxProto.TensorShapeProto;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Arrays;
import java.util.List;
import java.util.Optional;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** What a user sees when a model cannot be imported: one message, every problem in it, no stack trace. */
class ImportErrorsTest {
  private static final TensorType X = TensorType.batched(3, 8, 8);

  @Test
  void everyUnsupportedNodeIsListedAtOnceWithItsNameOpAndOpset() {
    // x -> Conv -> Foo -> Relu -> Bar and x -> Einsum: Foo, Bar and Einsum are reported; Relu, which netc knows
    // but cannot import here only because its input could not be, is not.
    GraphProto.Builder g = graph();
    g.addInitializer(GraphWriter.floatTensor("w", new long[] {4, 3, 1, 1}, new float[12]));
    g.addNode(node("Conv", "/conv/Conv", List.of("x", "w"), "c"));
    g.addNode(node("Foo", "/foo/Foo", List.of("c"), "f"));
    g.addNode(node("Relu", "/relu/Relu", List.of("f"), "r"));
    g.addNode(node("Bar", "/bar/Bar", List.of("r"), "b"));
    g.addNode(node("Einsum", "/mix/Einsum", List.of("x"), "e"));
    g.addOutput(GraphWriter.info("b", TensorType.batched(4, 8, 8)));
    g.addOutput(GraphWriter.info("e", X));
    OnnxException e = assertThrows(OnnxException.class, () -> importModel(g));
    assertEquals("cannot import m.onnx: 3 nodes with no .net equivalent: node '/foo/Foo' (Foo, opset 17); "
        + "node '/bar/Bar' (Bar, opset 17); node '/mix/Einsum' (Einsum, opset 17)", e.getMessage());
  }

  @Test
  void aSupportedOpUsedInAWayNetcCannotSpellSaysWhy() {
    GraphProto.Builder g = graph();
    g.addInitializer(GraphWriter.floatTensor("scales", new long[] {4}, new float[] {1, 1, 2, 2}));
    g.addNode(node("Resize", "/up/Resize", List.of("x", "", "scales"), "y", Attr.s("mode", "cubic")));
    g.addOutput(GraphWriter.info("y", TensorType.batched(3, 16, 16)));
    OnnxException e = assertThrows(OnnxException.class, () -> importModel(g));
    assertTrue(e.getMessage().contains("node '/up/Resize' (Resize, opset 17): resize mode cubic"), e.getMessage());
  }

  @Test
  void truncatedEmptyAndForeignFilesAreRejectedWithAMessage(@TempDir Path dir) throws Exception {
    byte[] real = Files.readAllBytes(Repo.pytorchExports().resolve("resnet_mini.bn.onnx"));
    Path cut = dir.resolve("cut.onnx");
    Files.write(cut, Arrays.copyOf(real, real.length / 2));
    assertMessage(cut, "cut.onnx is not an ONNX model, or it is truncated or damaged");
    Path empty = dir.resolve("empty.onnx");
    Files.write(empty, new byte[0]);
    assertMessage(empty, "empty.onnx is empty: not an ONNX model");
    Path text = dir.resolve("model.onnx");
    Files.writeString(text, "network n { input x: [3, 8, 8]; relu }\n");
    assertMessage(text, "model.onnx is not an ONNX model");
    assertMessage(dir.resolve("missing.onnx"), "file not found: ");
  }

  @Test
  void opsetsOutsideTheSupportedRangeAreNamed() {
    ModelProto m = model(graph().addNode(node("Relu", "r", List.of("x"), "y")).addOutput(GraphWriter.info("y", X)))
        .toBuilder().setOpsetImport(0, OperatorSetIdProto.newBuilder().setVersion(9)).build();
    OnnxException e = assertThrows(OnnxException.class, () -> OnnxImport.importBytes(m.toByteArray(), "old.onnx", "old"));
    assertEquals("old.onnx uses ONNX opset 9; netc imports opsets 11 to 21 (re-export the model with opset_version=17)",
        e.getMessage());
  }

  @Test
  void symbolicSizesOtherThanTheBatchAndExternalWeightsAreNamed() {
    GraphProto.Builder g = GraphProto.newBuilder().setName("g");
    TensorShapeProto.Builder s = TensorShapeProto.newBuilder()
        .addDim(TensorShapeProto.Dimension.newBuilder().setDimParam("N"))
        .addDim(TensorShapeProto.Dimension.newBuilder().setDimValue(3))
        .addDim(TensorShapeProto.Dimension.newBuilder().setDimParam("H"));
    g.addInput(GraphWriter.info("x", X).toBuilder().setType(GraphWriter.info("x", X).getType().toBuilder()
        .setTensorType(GraphWriter.info("x", X).getType().getTensorType().toBuilder().setShape(s))));
    g.addNode(node("Relu", "r", List.of("x"), "y")).addOutput(GraphWriter.info("y", X));
    OnnxException e = assertThrows(OnnxException.class, () -> importModel(g));
    assertTrue(e.getMessage().contains("input 'x' has the symbolic dimension 'H' at axis 2"), e.getMessage());

    GraphProto.Builder ext = graph();
    ext.addInitializer(TensorProto.newBuilder().setName("w").setDataType(TensorProto.DataType.FLOAT_VALUE)
        .addDims(4).setDataLocation(TensorProto.DataLocation.EXTERNAL));
    ext.addNode(node("Relu", "r", List.of("x"), "y")).addOutput(GraphWriter.info("y", X));
    e = assertThrows(OnnxException.class, () -> importModel(ext));
    assertTrue(e.getMessage().contains("tensor 'w' keeps its data in an external file"), e.getMessage());
  }

  @Test
  void importWritesTheNetworkAndItsWeightsByTheirNetNames(@TempDir Path dir) throws Exception {
    Path net = dir.resolve("resnet_mini.net");
    Path weights = dir.resolve("resnet_mini.safetensors");
    OnnxImport.Imported imp = OnnxImport.importModel(Repo.pytorchExports().resolve("resnet_mini.bn.onnx"), net,
        Optional.of(weights));
    assertEquals(imp.source(), Files.readString(net));
    assertTrue(imp.source().contains("network resnet_mini {"), imp.source());
    try (var st = dev.netc.runtime.io.SafeTensors.open(weights)) {
      assertEquals(imp.weights().keySet(), st.names());
      assertTrue(st.contains("layers_1_downsample_0.weight"), st.names().toString());
    }
    dev.netc.compiler.ir.Graph g = dev.netc.compiler.Compiler.compile(net).graphs().getFirst();
    assertFalse(dev.netc.compiler.interp.Weights.load(weights, g).tensors().isEmpty());
  }

  private static void assertMessage(Path file, String start) {
    OnnxException e = assertThrows(OnnxException.class, () -> OnnxImport.importModel(file,
        file.resolveSibling("out.net"), Optional.empty()));
    assertTrue(e.getMessage().startsWith(file.getParent() + "/" + start) || e.getMessage().startsWith(start),
        e.getMessage());
  }

  private static GraphProto.Builder graph() {
    return GraphProto.newBuilder().setName("g").addInput(GraphWriter.info("x", X));
  }

  private static NodeProto node(String op, String name, List<String> in, String out, AttributeProto... attrs) {
    return NodeProto.newBuilder().setOpType(op).setName(name).addAllInput(in).addOutput(out)
        .addAllAttribute(List.of(attrs)).build();
  }

  private static ModelProto model(GraphProto.Builder g) {
    return ModelProto.newBuilder().setIrVersion(8).addOpsetImport(OperatorSetIdProto.newBuilder().setVersion(17))
        .setGraph(g).build();
  }

  private static OnnxImport.Imported importModel(GraphProto.Builder g) {
    return OnnxImport.importBytes(model(g).toByteArray(), "m.onnx", "m");
  }
}

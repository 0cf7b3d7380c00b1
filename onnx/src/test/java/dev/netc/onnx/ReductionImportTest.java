package dev.netc.onnx;

import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.netc.compiler.ir.TensorType;
import dev.netc.onnx.proto.OnnxProto.AttributeProto;
import dev.netc.onnx.proto.OnnxProto.GraphProto;
import dev.netc.onnx.proto.OnnxProto.ModelProto;
import dev.netc.onnx.proto.OnnxProto.NodeProto;
import dev.netc.onnx.proto.OnnxProto.OperatorSetIdProto;
import java.util.List;
import org.junit.jupiter.api.Test;

/**
 * ReduceSum, ReduceMax, ReduceMin and ArgMax in the opsets where their axes are an attribute and where they are an
 * input (ReduceSum from 13, ReduceMax and ReduceMin from 18); a reduction over the batch is refused with the reason.
 */
class ReductionImportTest {
  private static final TensorType X = TensorType.batched(3, 8, 8);

  @Test
  void axesAsAnInputFromOpset18() {
    GraphProto.Builder g = graph();
    g.addInitializer(GraphWriter.longTensor("axes", new long[] {2}, new long[] {2, 3}));
    g.addNode(node("ReduceMax", "/m/ReduceMax", List.of("x", "axes"), "y", Attr.i("keepdims", 0)));
    g.addOutput(GraphWriter.info("y", TensorType.batched(3)));
    String source = importModel(g, 18).source();
    assertTrue(source.contains("max((2, 3))"), source);
  }

  @Test
  void axesAsAnAttributeBeforeAndArgMaxAfterASum() {
    GraphProto.Builder g = graph();
    g.addInitializer(GraphWriter.longTensor("axes", new long[] {1}, new long[] {-1}));
    g.addNode(node("ReduceSum", "/s/ReduceSum", List.of("x", "axes"), "s"));
    g.addNode(node("ReduceMin", "/n/ReduceMin", List.of("s"), "n", Attr.ints("axes", 1L), Attr.i("keepdims", 1)));
    g.addNode(node("ArgMax", "/a/ArgMax", List.of("n"), "a", Attr.i("axis", 2), Attr.i("keepdims", 0)));
    g.addOutput(GraphWriter.info("a", TensorType.batched(1)));
    String source = importModel(g, 17).source();
    assertTrue(source.contains("sum(3, keepdim: true)") && source.contains("min(1, keepdim: true)")
        && source.contains("argmax(axis: 2)"), source);
  }

  @Test
  void aReductionOverTheBatchIsRefused() {
    GraphProto.Builder g = graph();
    g.addNode(node("ArgMax", "/a/ArgMax", List.of("x"), "a", Attr.i("axis", 0)));
    g.addOutput(GraphWriter.info("a", TensorType.batched(3, 8, 8)));
    OnnxException e = assertThrows(OnnxException.class, () -> importModel(g, 17));
    assertTrue(e.getMessage().contains("node '/a/ArgMax' (ArgMax, opset 17): an argmax over the batch axis"),
        e.getMessage());
  }

  private static GraphProto.Builder graph() {
    return GraphProto.newBuilder().setName("g").addInput(GraphWriter.info("x", X));
  }

  private static NodeProto node(String op, String name, List<String> in, String out, AttributeProto... attrs) {
    return NodeProto.newBuilder().setOpType(op).setName(name).addAllInput(in).addOutput(out)
        .addAllAttribute(List.of(attrs)).build();
  }

  private static OnnxImport.Imported importModel(GraphProto.Builder g, int opset) {
    ModelProto m = ModelProto.newBuilder().setIrVersion(8)
        .addOpsetImport(OperatorSetIdProto.newBuilder().setVersion(opset)).setGraph(g).build();
    return OnnxImport.importBytes(m.toByteArray(), "m.onnx", "m");
  }
}

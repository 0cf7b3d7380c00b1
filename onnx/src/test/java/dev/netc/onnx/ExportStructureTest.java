package dev.netc.onnx;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.netc.compiler.interp.Weights;
import dev.netc.compiler.ir.Graph;
import dev.netc.compiler.ir.Param;
import dev.netc.compiler.ir.ParamSpec;
import dev.netc.compiler.ops.Value;
import dev.netc.onnx.proto.OnnxProto.GraphProto;
import dev.netc.onnx.proto.OnnxProto.ModelProto;
import dev.netc.onnx.proto.OnnxProto.NodeProto;
import dev.netc.onnx.proto.OnnxProto.TensorProto;
import dev.netc.onnx.proto.OnnxProto.ValueInfoProto;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.stream.Collectors;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** What an exported file holds: opset, names, the symbolic batch, shapes, and the errors export can give. */
class ExportStructureTest {
  private static Graph residualBasic() {
    return OrtExportTest.compile(Repo.referenceNets().resolve("residual_basic.net"), "residual_basic");
  }

  @Test
  void weightsAreInitializersUnderNetNamesAndLayersAreNamedByPath() {
    Graph g = residualBasic();
    Weights w = Weights.load(Repo.reference().resolve("cases/residual_basic.safetensors"), g);
    ModelProto m = OnnxExport.toModel(g, w);
    assertEquals(8, m.getIrVersion());
    assertEquals(17, m.getOpsetImport(0).getVersion());
    assertEquals("", m.getOpsetImport(0).getDomain());
    GraphProto graph = m.getGraph();
    assertEquals("residual_basic", graph.getName());
    assertEquals(List.of("input"), graph.getInputList().stream().map(ValueInfoProto::getName).toList());
    assertEquals(List.of("N", "8", "16", "16"), dims(graph.getInput(0)));
    assertEquals(List.of("output"), graph.getOutputList().stream().map(ValueInfoProto::getName).toList());
    assertEquals(List.of("N", "16", "8", "8"), dims(graph.getOutput(0)));
    Set<String> params = g.params().stream().filter(p -> p.kind() != ParamSpec.Kind.UNUSED).map(Param::name)
        .collect(Collectors.toSet());
    assertEquals(params, graph.getInitializerList().stream().map(TensorProto::getName).collect(Collectors.toSet()));
    assertTrue(params.contains("1.downsample.0.weight"));
    Set<String> nodes = graph.getNodeList().stream().map(NodeProto::getName).collect(Collectors.toSet());
    assertTrue(nodes.containsAll(List.of("0.conv1", "0.bn1", "0.add", "1.downsample.0", "1.downsample.1")), nodes.toString());
    NodeProto bn = graph.getNodeList().stream().filter(n -> n.getName().equals("0.bn1")).findFirst().orElseThrow();
    assertEquals("BatchNormalization", bn.getOpType());
    assertEquals(List.of("0.conv1", "0.bn1.weight", "0.bn1.bias", "0.bn1.running_mean", "0.bn1.running_var"),
        bn.getInputList());
    ValueInfoProto conv = graph.getValueInfoList().stream().filter(v -> v.getName().equals("1.conv1")).findFirst()
        .orElseThrow();
    assertEquals(List.of("N", "16", "8", "8"), dims(conv));
  }

  @Test
  void withoutWeightsTheParametersAreGraphInputs() {
    Graph g = residualBasic();
    GraphProto graph = OnnxExport.toModel(g, null).getGraph();
    assertEquals(0, graph.getInitializerCount());
    assertEquals("input", graph.getInput(0).getName());
    assertTrue(graph.getInputList().stream().anyMatch(v -> v.getName().equals("0.bn1.running_var")
        && dims(v).equals(List.of("8"))));
  }

  @Test
  void exportFromFilesWithParametersAndWeights(@TempDir Path dir) throws Exception {
    Path net = dir.resolve("tiny.net");
    Files.writeString(net, "network tiny(c: int = 4) {\n  input x: [3, 8, 8]\n  conv1: conv(c, 3, pad: 1)\n  relu\n"
        + "  head logits { global_avgpool; flatten }\n}\n");
    Graph g = dev.netc.compiler.Compiler.compile(dev.netc.compiler.Compiler.Options.file(net)
        .withParams(Map.of("c", new Value.Int(6)))).graphs().getFirst();
    Path weights = dir.resolve("tiny.safetensors");
    dev.netc.runtime.io.SafeTensorsWriter sw = new dev.netc.runtime.io.SafeTensorsWriter();
    Weights.random(g, 7).tensors().forEach(sw::put);
    sw.write(weights);
    Path out = dir.resolve("tiny.onnx");
    OnnxExport.export(net, null, Map.of("c", new Value.Int(6)), Optional.of(weights), out);
    GraphProto graph = OnnxImport.read(out).getGraph();
    assertEquals(List.of("logits"), graph.getOutputList().stream().map(ValueInfoProto::getName).toList());
    assertEquals(List.of("N", "6"), dims(graph.getOutput(0)));
    assertEquals(List.of(6L, 3L, 3L, 3L), graph.getInitializerList().stream().filter(t -> t.getName().equals("conv1.weight"))
        .findFirst().orElseThrow().getDimsList());
    OnnxException e = assertThrows(OnnxException.class, () -> OnnxExport.export(net, null, Map.of(),
        Optional.of(weights), out));
    assertTrue(e.getMessage().contains("conv1.weight"), e.getMessage());
  }

  @Test
  void layersWithoutAnOnnxSpellingAreAllNamed(@TempDir Path dir) throws Exception {
    Path net = dir.resolve("lrn.net");
    Files.writeString(net, "network lrn {\n  input x: [8, 6, 6]\n  a: lrn(4)\n  relu\n  b: lrn(2)\n}\n");
    OnnxException e = assertThrows(OnnxException.class, () -> OnnxExport.export(net, null, Map.of(), Optional.empty(),
        dir.resolve("lrn.onnx")));
    assertEquals("cannot export lrn to ONNX opset 17: layer a (lrn): an even window size 4 (ONNX's LRN window is "
        + "placed differently from PyTorch's); layer b (lrn): an even window size 2 (ONNX's LRN window is placed "
        + "differently from PyTorch's)", e.getMessage());
  }

  private static List<String> dims(ValueInfoProto v) {
    return v.getType().getTensorType().getShape().getDimList().stream()
        .map(d -> d.hasDimParam() ? d.getDimParam() : String.valueOf(d.getDimValue())).toList();
  }

}

package dev.netc.onnx;

import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;
import static org.junit.jupiter.api.Assertions.fail;

import dev.netc.compiler.interp.Interpreter;
import dev.netc.compiler.interp.Weights;
import dev.netc.compiler.ir.Graph;
import dev.netc.runtime.Tensor;
import dev.netc.runtime.io.Json;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.stream.Stream;
import org.junit.jupiter.api.DynamicTest;
import org.junit.jupiter.api.TestFactory;

/**
 * Export then import of every reference case: what comes back must still compute PyTorch's outputs. Six cases
 * use layers the importer does not read back (ONNX's LSTM and GRU, MaxRoiPool and RoiAlign, whose boxes input has
 * no batch, constants that are learned tensors of their own, MaxPool's indices output, the windows of Swin's
 * attention folded into the batch): those must fail with one message naming the op. Reductions (ReduceSum with
 * its axes an input, ReduceMax, ReduceMin, ArgMax and its Cast) come back.
 */
class RoundTripTest {
  private static final Map<String, String> NOT_IMPORTED = Map.of(
      "recurrent", "(LSTM, opset 17)",
      "roi_pool_head", "node '1' (MaxRoiPool, opset 17)",
      "roi_align_head", "node '1' (RoiAlign, opset 17)",
      "learned_tensors", "node '1' (Mul, opset 17): Mul of a computed tensor [N, 8, 4, 6] and a constant",
      "unpooling", "node '2_2' (MaxPool, opset 17): MaxPool's indices output is used",
      "swin_mini", "node 'features.1.0.attn/Reshape_2' (Reshape, opset 17): the reshape mixes the batch");

  @TestFactory
  Stream<DynamicTest> referenceCases() throws IOException {
    Path ref = Repo.reference();
    List<DynamicTest> tests = new ArrayList<>();
    for (Object o : (List<?>) Json.parseObject(Files.readString(ref.resolve("MANIFEST.json"))).get("cases")) {
      Map<?, ?> c = (Map<?, ?>) o;
      tests.add(DynamicTest.dynamicTest((String) c.get("name"), () -> roundTrip(ref.resolve("cases"), c)));
    }
    if (tests.isEmpty()) fail("MANIFEST.json lists no cases");
    return tests.stream();
  }

  private static void roundTrip(Path cases, Map<?, ?> c) {
    String name = (String) c.get("name");
    Graph g = OrtExportTest.compile(Repo.referenceNets().resolve(name + ".net"), name);
    Weights w = Weights.load(cases.resolve((String) c.get("weights")), g);
    byte[] onnx = OnnxExport.toModel(g, w).toByteArray();
    if (NOT_IMPORTED.containsKey(name)) {
      OnnxException e = assertThrows(OnnxException.class, () -> OnnxImport.importBytes(onnx, name + ".onnx", name));
      assertTrue(e.getMessage().contains(NOT_IMPORTED.get(name)), e.getMessage());
      return;
    }
    OnnxImport.Imported imp = OnnxImport.importBytes(onnx, name + ".onnx", name);
    System.out.println("---- " + name + "\n" + imp.source());
    Map<String, Tensor> inputs = new LinkedHashMap<>();
    ((Map<?, ?>) c.get("inputs")).forEach((k, v) -> inputs.put((String) k,
        OrtExportTest.read(cases.resolve((String) ((Map<?, ?>) v).get("file")))));
    List<Tensor> expected = new ArrayList<>();
    for (Object out : (List<?>) c.get("outputs")) expected.add(OrtExportTest.read(cases.resolve((String) ((Map<?, ?>) out).get("file"))));
    Map<String, Tensor> got = new Interpreter(imp.graph(), Weights.of(imp.graph(), imp.weights())).run(inputs);
    OrtExportTest.compare(name + " exported, imported, interpreted vs PyTorch", got, expected);
  }
}

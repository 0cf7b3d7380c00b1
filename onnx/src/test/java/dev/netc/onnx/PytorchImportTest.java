package dev.netc.onnx;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;
import static org.junit.jupiter.api.Assertions.fail;

import dev.netc.compiler.analysis.Totals;
import dev.netc.compiler.interp.Interpreter;
import dev.netc.compiler.interp.Weights;
import dev.netc.compiler.ir.Graph;
import dev.netc.compiler.ir.Input;
import dev.netc.runtime.Tensor;
import dev.netc.runtime.io.Json;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.stream.Stream;
import org.junit.jupiter.api.DynamicTest;
import org.junit.jupiter.api.TestFactory;

/**
 * Import proven against real PyTorch exports: every ONNX file made by {@code src/test/python/make_onnx.py} from
 * torchvision models and a small vision transformer (batch norm folded by the exporter, and kept as
 * BatchNormalization nodes; LayerNorm as one node at opset 17 and written out at opset 16) imports to a {@code .net}
 * network that the front end elaborates. Its MAC count is PyTorch's, so is its parameter count where batch norm
 * was not folded away, both are torchvision's published ones ({@code test-suite/reference/torchvision_counts.json})
 * where the model is listed, and it reproduces PyTorch's output on the interpreter within
 * {@code 1e-4 + 1e-3·|expected|}.
 */
class PytorchImportTest {
  @TestFactory
  Stream<DynamicTest> pytorchExports() throws IOException {
    Map<?, ?> models = (Map<?, ?>) manifest().get("models");
    if (models.isEmpty()) fail("MANIFEST.json lists no models");
    List<DynamicTest> tests = new ArrayList<>();
    models.forEach((name, m) -> ((Map<?, ?>) ((Map<?, ?>) m).get("files")).forEach((variant, file) ->
        tests.add(DynamicTest.dynamicTest(file.toString(), () -> check((String) name, (String) variant,
            (String) file, (Map<?, ?>) m)))));
    return tests.stream();
  }

  static Map<String, Object> manifest() throws IOException {
    return Json.parseObject(Files.readString(Repo.pytorchExports().resolve("MANIFEST.json")));
  }

  private static void check(String name, String variant, String file, Map<?, ?> m) throws IOException {
    byte[] bytes = Files.readAllBytes(Repo.pytorchExports().resolve(file));
    OnnxImport.Imported imp = OnnxImport.importBytes(bytes, file, name);
    System.out.println("---- " + file + "\n" + imp.source());
    Graph g = imp.graph();
    Totals totals = Totals.of(g, 1);
    long macs = (Long) m.get("macs");
    assertEquals(macs, totals.macs(), file + ": MACs, PyTorch's count vs the imported network's");
    if (variant.equals("bn") || !(Boolean) m.get("batch_norm")) {
      assertEquals((long) (Long) m.get("params"), totals.params(), file + ": parameters, PyTorch's vs imported");
    }
    torchvisionCounts(name).ifPresent(c -> {
      assertEquals(c.get("macs"), totals.macs(), file + ": MACs vs torchvision_counts.json");
      assertEquals(c.get("params"), totals.params(), file + ": params vs torchvision_counts.json");
    });
    Tensor input = OrtExportTest.read(Repo.root().resolve((String) m.get("input")));
    Tensor expected = OrtExportTest.read(Repo.root().resolve((String) m.get("output")));
    assertEquals(1, g.inputs().size(), file + ": one input");
    String in = ((Input) g.node(g.inputs().getFirst()).op()).inputName();
    Map<String, Tensor> out = new Interpreter(g, Weights.of(g, imp.weights())).run(Map.of(in, input));
    assertEquals(1, out.size(), file + ": one output");
    Tolerance t = Tolerance.of(file, out.values().iterator().next(), expected);
    System.out.println(file + ": imported network on the interpreter vs PyTorch: " + t);
    assertTrue(t.ok(), file + ": imported network vs PyTorch: " + t);
  }

  /** The model's entry in torchvision_counts.json, if it is listed there. */
  static java.util.Optional<Map<String, Long>> torchvisionCounts(String name) throws IOException {
    Map<String, Object> root = Json.parseObject(Files.readString(Repo.reference().resolve("torchvision_counts.json")));
    for (Object o : (List<?>) root.get("models")) {
      Map<?, ?> e = (Map<?, ?>) o;
      if (e.get("model").equals(name)) {
        return java.util.Optional.of(Map.of("params", (Long) e.get("params"), "macs", (Long) e.get("macs")));
      }
    }
    return java.util.Optional.empty();
  }
}

package dev.netc.compiler.emit.java;

import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.netc.compiler.interp.Weights;
import dev.netc.compiler.ir.Graph;
import dev.netc.runtime.Tensor;
import dev.netc.runtime.io.SafeTensorsWriter;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** The generated {@code load} names the tensor that is missing or misshapen, with both shapes. */
class LoadErrorsTest {
  private static final String NET = """
      network small {
        input image: [3, 8, 8]
        conv1: conv(4, 3, pad: 1)
        relu
        head logits { global_avgpool; flatten; fc: linear(2) }
      }
      """;

  @Test
  void wrongShapeNamesTheTensorAndBothShapes(@TempDir Path dir) throws IOException {
    Graph g = Generated.graph(NET);
    Map<String, Tensor> tensors = new java.util.LinkedHashMap<>(Weights.random(g, 1).tensors());
    tensors.put("conv1.weight", Tensor.zeros(4, 3, 1, 1));
    Path file = write(dir, tensors);
    IOException e = assertThrows(IOException.class, () -> Generated.compile(g).load(file));
    assertTrue(e.getMessage().contains("conv1.weight: expected [4, 3, 3, 3], file has [4, 3, 1, 1]"), e.getMessage());
  }

  @Test
  void missingTensorIsNamed(@TempDir Path dir) throws IOException {
    Graph g = Generated.graph(NET);
    Map<String, Tensor> tensors = new java.util.LinkedHashMap<>(Weights.random(g, 1).tensors());
    tensors.remove("fc.bias");
    Path file = write(dir, tensors);
    IOException e = assertThrows(IOException.class, () -> Generated.compile(g).load(file));
    assertTrue(e.getMessage().contains("fc.bias"), e.getMessage());
  }

  @Test
  void randomWeightsEqualTheInterpretersForTheSameSeed() {
    Graph g = Generated.graph(NET);
    CompiledNetwork net = Generated.compile(g);
    var inputs = Generated.inputs(g, 2, 3);
    float[][] got = Generated.run(net, net.randomWeights(42), g, 2, 1, inputs);
    Generated.assertClose("random weights", Generated.interpret(g, Weights.random(g, 42), inputs), got, 1e-5, 1e-4);
  }

  private static Path write(Path dir, Map<String, Tensor> tensors) throws IOException {
    Path file = dir.resolve("w.safetensors");
    SafeTensorsWriter w = new SafeTensorsWriter();
    tensors.forEach(w::put);
    w.write(file);
    assertTrue(Files.size(file) > 0);
    return file;
  }
}

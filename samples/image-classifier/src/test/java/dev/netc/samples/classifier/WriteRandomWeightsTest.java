package dev.netc.samples.classifier;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;

import dev.netc.compiler.Compiler;
import dev.netc.compiler.interp.Weights;
import dev.netc.compiler.ir.Graph;
import dev.netc.runtime.Tensor;
import dev.netc.runtime.io.SafeTensorsWriter;
import dev.netc.samples.classifier.model.MobilenetV2;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Map;
import java.util.Random;
import org.junit.jupiter.api.Test;

/**
 * Writes {@code target/mobilenet_v2-random.safetensors}: seeded random weights under torchvision's names, so the
 * classifier runs from a weights file without downloading anything ({@code --weights} in README.md). The file is
 * checked on the way: loading it gives exactly the outputs of the generated {@code randomWeights(seed)}, which draws
 * the same values, so every tensor name and shape the generated loader asks for is in it.
 */
class WriteRandomWeightsTest {
  static final long SEED = 0;

  @Test
  void writesAWeightsFileThatLoadsBackExactly() throws IOException {
    Path source = Path.of(System.getProperty("netc.stdlib", "../../stdlib-models"), "mobilenet_v2.net");
    Graph graph = Compiler.compile(source).graphs().getFirst();
    SafeTensorsWriter writer = new SafeTensorsWriter().metadata("source", "netc random weights, seed " + SEED);
    for (Map.Entry<String, Tensor> e : Weights.random(graph, SEED).tensors().entrySet()) writer.put(e.getKey(), e.getValue());
    Path file = Path.of("target/mobilenet_v2-random.safetensors");
    Files.createDirectories(file.getParent());
    writer.write(file);

    float[] image = new float[MobilenetV2.IMAGE_SHAPE.numel()];
    Random r = new Random(1);
    for (int i = 0; i < image.length; i++) image[i] = (float) r.nextGaussian();
    float[] fromFile = logits(MobilenetV2.load(file), image);
    float[] fromSeed = logits(MobilenetV2.randomWeights(SEED), image);
    assertFalse(allZero(fromFile), "the random network's logits are not all zero");
    assertArrayEquals(fromSeed, fromFile, "weights from the file equal randomWeights(" + SEED + ")");
  }

  private static float[] logits(MobilenetV2 model, float[] image) {
    try (MobilenetV2.Session s = model.newSession(1)) {
      return s.forward(image).clone();
    }
  }

  private static boolean allZero(float[] a) {
    for (float v : a) if (v != 0) return false;
    return true;
  }
}

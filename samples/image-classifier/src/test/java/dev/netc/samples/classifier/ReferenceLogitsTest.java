package dev.netc.samples.classifier;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;
import static org.junit.jupiter.api.Assumptions.assumeTrue;

import dev.netc.runtime.Tensor;
import dev.netc.runtime.io.Npy;
import dev.netc.samples.classifier.model.MobilenetV2;
import java.io.IOException;
import java.nio.file.Path;
import java.util.Optional;
import org.junit.jupiter.api.Test;

/**
 * The generated MobileNetV2, loaded with torchvision's weights, gives PyTorch's logits: torchvision 0.14's
 * {@code mobilenet_v2} (seeded weights, calibrated BatchNorm statistics) run on {@code input_1x3x224x224.npy}, compared
 * element-wise with {@code |got - expected| <= 1e-4 + 1e-3 * |expected|}.
 */
class ReferenceLogitsTest {
  @Test
  void logitsMatchPyTorch() throws IOException {
    Optional<Path> models = ReferenceData.models();
    assumeTrue(models.isPresent(), "skipped: no test-suite/reference/models above the sample (run it inside the Netc repository or set -Dnetc.root=REPO)");
    Path dir = models.get();
    MobilenetV2 model = MobilenetV2.load(dir.resolve("mobilenet_v2.safetensors"));
    Tensor input = Npy.read(dir.resolve("input_1x3x224x224.npy"));
    Tensor expected = Npy.read(dir.resolve("mobilenet_v2.output.npy"));
    assertEquals(MobilenetV2.IMAGE_SHAPE.numel(), input.data().length, "one 3x224x224 image");
    float[] got;
    try (MobilenetV2.Session s = model.newSession(1)) {
      got = s.forward(input.data()).clone();
    }
    assertEquals(expected.data().length, got.length);
    int worst = 0;
    double worstExcess = Double.NEGATIVE_INFINITY;
    for (int i = 0; i < got.length; i++) {
      double exp = expected.data()[i];
      double excess = Math.abs(got[i] - exp) - (1e-4 + 1e-3 * Math.abs(exp));
      if (excess > worstExcess) {
        worstExcess = excess;
        worst = i;
      }
    }
    assertTrue(worstExcess <= 0, "logit " + worst + ": got " + got[worst] + ", PyTorch " + expected.data()[worst]);
    // The reference's recorded top class (MANIFEST.json: argmax 765), as a check that the files are the ones meant.
    assertEquals(765, Prediction.topK(got, 1).getFirst().index());
  }
}

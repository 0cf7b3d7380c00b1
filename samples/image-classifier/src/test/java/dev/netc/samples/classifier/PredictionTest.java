package dev.netc.samples.classifier;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNull;

import java.util.List;
import org.junit.jupiter.api.Test;

/** Softmax top-k over 1000 logits, with ImageNet's names. */
class PredictionTest {
  @Test
  void topFiveAreTheLargestLogitsWithSoftmaxProbabilities() {
    float[] logits = new float[1000];
    logits[281] = 5;   // tabby
    logits[999] = 4;   // toilet tissue
    logits[0] = 3;     // tench
    logits[134] = 2;   // crane (the bird)
    logits[517] = 1;   // crane (the machine)
    List<Prediction> top = Prediction.topK(logits, 5);
    assertEquals(List.of(281, 999, 0, 134, 517), top.stream().map(Prediction::index).toList());
    assertEquals(List.of("tabby", "toilet tissue", "tench", "crane", "crane"), top.stream().map(Prediction::name).toList());
    double sum = Math.exp(5) + Math.exp(4) + Math.exp(3) + Math.exp(2) + Math.exp(1) + 995;
    assertEquals(Math.exp(5) / sum, top.getFirst().probability(), 1e-12);
  }

  @Test
  void softmaxIsFiniteForHugeLogits() {
    float[] logits = new float[1000];
    logits[7] = 1e30f;
    assertEquals(1.0, Prediction.topK(logits, 1).getFirst().probability(), 1e-12);
  }

  @Test
  void commandLineNeedsWeightsOrASeedAndAPicture() {
    assertNull(Classify.Options.parse(new String[] {"cat.png"}));
    assertNull(Classify.Options.parse(new String[] {"--random-weights", "x", "cat.png"}));
    assertNull(Classify.Options.parse(new String[] {"--weights", "w.safetensors", "--random-weights", "1", "cat.png"}));
    assertEquals(7, Classify.Options.parse(new String[] {"--random-weights", "7", "cat.png"}).seed());
  }
}

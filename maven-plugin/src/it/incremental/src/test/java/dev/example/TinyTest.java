package dev.example;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import org.junit.jupiter.api.Test;

/** The generated class is an ordinary class of the project: load random weights and run it. */
class TinyTest {
  @Test
  void forwardGivesOneScorePerClass() {
    Tiny model = Tiny.randomWeights(7);
    try (Tiny.Session session = model.newSession(1)) {
      float[] image = new float[64];
      for (int i = 0; i < image.length; i++) image[i] = (i % 9) / 9f;
      float[] logits = session.forward(image);
      assertEquals(4, logits.length);
      for (float v : logits) assertTrue(Float.isFinite(v), "finite logits");
    }
  }
}

package dev.netc.samples.budget;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import org.junit.jupiter.api.Test;

class ThumbnailsTest {
  @Test
  void theGeneratedModelRuns() {
    ThumbNet model = ThumbNet.randomWeights(42);
    int c = Thumbnails.classify(model, Thumbnails.pattern());
    assertTrue(c >= 0 && c < 10, "a class index, got " + c);
    assertEquals(c, Thumbnails.classify(model, Thumbnails.pattern()), "same input, same class");
  }
}

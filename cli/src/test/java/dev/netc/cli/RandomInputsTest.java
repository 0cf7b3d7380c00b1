package dev.netc.cli;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.netc.compiler.Compiler;
import dev.netc.compiler.ir.Graph;
import java.nio.file.Path;
import java.util.SplittableRandom;
import org.junit.jupiter.api.Test;

/** Seeded inputs valid for what each input feeds: token ids, RoI boxes, or plain values. */
class RandomInputsTest {
  private static Graph graph(String source) {
    return Compiler.compile(Compiler.Options.text(Path.of("t.net"), source)).graphs().getFirst();
  }

  @Test
  void anInputReachingEmbeddingsGetsIdsBelowTheSmallestTable() {
    Graph g = graph("""
        network lm {
          input ids: [2, 3]
          input types: [6]
          input x: [6, 4]
          @ids
          flatten
          small: embedding(5, 4) -> more
          @types
          embedding(2, 4) -> segments
          @ids
          reshape(6)
          words: embedding(7, 4)
          add(@segments)
          add(@more)
          add(@x)
        }
        """);
    assertEquals(new RandomInputs.Kind.TokenIds(5), RandomInputs.kind(g, 0), "7-row and then 5-row tables");
    assertEquals(new RandomInputs.Kind.TokenIds(2), RandomInputs.kind(g, 1));
    assertEquals(new RandomInputs.Kind.Values(), RandomInputs.kind(g, 2));
    SplittableRandom r = new SplittableRandom(3);
    for (int trial = 0; trial < 50; trial++) {
      float[] ids = RandomInputs.values(g, 0, 4, r);
      assertEquals(4 * 6, ids.length);
      for (float id : ids) assertTrue(id == Math.rint(id) && id >= 0 && id < 5, "id " + id);
    }
  }

  @Test
  void roiBoxesLieInsideTheImageWithValidBatchIndices() {
    Graph g = graph("""
        network r {
          input image: [3, 16, 24]
          input rois: unbatched [9, 5]
          conv(4, 3, pad: 1)
          roi_align(@rois, 2)
          flatten
        }
        """);
    assertEquals(new RandomInputs.Kind.Boxes(16, 24), RandomInputs.kind(g, 1));
    float[] boxes = RandomInputs.values(g, 1, 3, new SplittableRandom(1));
    assertEquals(9 * 5, boxes.length);
    for (int k = 0; k < 9; k++) {
      float b = boxes[5 * k], x1 = boxes[5 * k + 1], y1 = boxes[5 * k + 2], x2 = boxes[5 * k + 3], y2 = boxes[5 * k + 4];
      assertTrue(b >= 0 && b < 3 && b == Math.rint(b), "batch index " + b);
      assertTrue(0 <= x1 && x1 < x2 && x2 <= 24 && 0 <= y1 && y1 < y2 && y2 <= 16, x1 + "," + y1 + "," + x2 + "," + y2);
    }
    float[] image = RandomInputs.values(g, 0, 1, new SplittableRandom(1));
    for (float v : image) assertTrue(v >= -1 && v < 1, "value " + v);
  }
}

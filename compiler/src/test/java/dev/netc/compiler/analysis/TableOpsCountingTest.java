package dev.netc.compiler.analysis;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.netc.compiler.diag.UserError;
import dev.netc.compiler.ir.Shape;
import java.util.stream.Collectors;
import org.junit.jupiter.api.Test;

/**
 * Shape and counting rules of the table ops (embedding, positional_embedding) and of l2norm, against values worked
 * out by hand (spec/counting.md).
 */
class TableOpsCountingTest {
  private static LayerStats only(String input, String layer, int batch) {
    return AnalysisNets.layer(AnalysisNets.report(input, "  l: " + layer, batch), "l");
  }

  @Test
  void embeddingAppendsTheTableWidthAndCountsItsTable() {
    // [6] ids -> [6, 10]; table 50 × 10 = 500 params; a gather: no MACs, no other ops; 2 × 60 floats out
    LayerStats l = only("[6]", "embedding(50, 10)", 2);
    assertEquals(Shape.of(6, 10), l.type().shape());
    assertEquals(500, l.params());
    assertEquals(0, l.macs());
    assertEquals(0, l.otherOps());
    assertEquals(2 * 60 * 4, l.activationBytes());
    assertNull(l.rf(), "an embedding is not spatial");
  }

  @Test
  void embeddingOfAGridOfIdsKeepsTheGrid() {
    LayerStats l = only("[3, 4]", "embedding(7, 5)", 1);
    assertEquals(Shape.of(3, 4, 5), l.type().shape());
  }

  @Test
  void embeddingTableNamedLikeTorch() {
    var g = AnalysisNets.graph("network t { input ids: [4]; word_embeddings: embedding(9, 3) }");
    var p = g.params().getFirst();
    assertEquals("word_embeddings.weight", p.name());
    assertEquals(Shape.of(9, 3), p.shape());
  }

  @Test
  void positionalEmbeddingAddsOnePerElementAndOwnsTheWholeTable() {
    // [5, 8] + rows 0..4 of a [16, 8] table: 128 params, 40 adds per item, batch 3 -> 120
    LayerStats l = only("[5, 8]", "positional_embedding(16)", 3);
    assertEquals(Shape.of(5, 8), l.type().shape());
    assertEquals(128, l.params());
    assertEquals(0, l.macs());
    assertEquals(120, l.otherOps());
  }

  @Test
  void l2normCountsOutputElementsAndOneScalePerChannel() {
    // [512, 38, 38]: 739,328 elements; weight [512]
    LayerStats l = only("[512, 38, 38]", "l2norm", 1);
    assertEquals(Shape.of(512, 38, 38), l.type().shape());
    assertEquals(512, l.params());
    assertEquals(0, l.macs());
    assertEquals(739_328, l.otherOps());
    assertEquals(1.0, l.rf().size().getFirst(), "pointwise for receptive fields, like the other normalizations");
  }

  @Test
  void l2normWithoutAffineHasNoTensors() {
    assertEquals(0, only("[4, 2, 2]", "l2norm(affine: false)", 1).params());
  }

  @Test
  void tooManyPositionsIsAShapeError() {
    String msg = errors("network t { input x: [20, 8]; pos: positional_embedding(16) }");
    assertTrue(msg.contains("NET030") && msg.contains("20 positions"), msg);
  }

  @Test
  void positionalEmbeddingNeedsASequence() {
    String msg = errors("network t { input x: [3, 4, 4]; positional_embedding(16) }");
    assertTrue(msg.contains("NET031"), msg);
  }

  @Test
  void aVocabularyFloatsCannotAddressIsAnArgumentError() {
    String msg = errors("network t { input ids: [4]; embedding(16777217, 2) }");
    assertTrue(msg.contains("NET022") && msg.contains("2^24"), msg);
  }

  private static String errors(String source) {
    UserError e = assertThrows(UserError.class, () -> AnalysisNets.graph(source));
    return e.diagnostics().stream().map(d -> d.code() + " " + d.headline()).collect(Collectors.joining("\n"));
  }
}

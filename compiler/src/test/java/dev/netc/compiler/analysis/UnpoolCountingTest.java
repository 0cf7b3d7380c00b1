package dev.netc.compiler.analysis;

import static org.junit.jupiter.api.Assertions.assertEquals;

import dev.netc.compiler.ir.Shape;
import java.util.List;
import org.junit.jupiter.api.Test;

/**
 * Counting rules of a max pooling's indices and of max unpooling (spec/counting.md), against values worked out by
 * hand: the indices cost nothing beyond the pooling's comparisons, unpooling is data movement, and the receptive
 * field goes through unpooling as through a transposed conv.
 */
class UnpoolCountingTest {
  private static final String BODY = """
      p: maxpool(2, indices: -> idx)
      u: max_unpool(@idx, like: @x)
      """;

  @Test
  void indicesAreCountedAtThePoolingAndUnpoolingMovesData() {
    NetworkReport r = AnalysisNets.report("[4, 9, 7]", BODY, 2);
    List<LayerStats> pool = r.layers().stream().filter(l -> l.path().equals("p")).toList();
    assertEquals(List.of("maxpool", "maxpool_indices"), pool.stream().map(LayerStats::op).toList());
    // [4, 4, 3] out, batch 2: 96 windows of 4 -> 384 comparisons at the pooling, none again for the indices
    assertEquals(List.of(384L, 0L), pool.stream().map(LayerStats::otherOps).toList());
    assertEquals(Shape.of(4, 4, 3), pool.get(1).type().shape());
    assertEquals(2 * 48 * 4, pool.get(1).activationBytes());
    LayerStats u = AnalysisNets.layer(r, "u");
    assertEquals(Shape.of(4, 9, 7), u.type().shape());
    assertEquals(0, u.otherOps());
    assertEquals(0, u.macs());
    assertEquals(2 * 252 * 4, u.activationBytes());
  }

  @Test
  void receptiveFieldThroughUnpoolingIsATransposedConvs() {
    NetworkReport r = AnalysisNets.report("[4, 9, 7]", BODY);
    // the pooling: rf 2, stride 2; unpooling k 2 s 2 reaches ceil(2/2) = 1 input: rf stays 2, stride 2 / 2 = 1
    assertEquals("2", AnalysisNets.layer(r, "p").rf().sizeText());
    assertEquals("2", AnalysisNets.layer(r, "u").rf().sizeText());
    assertEquals("1", AnalysisNets.layer(r, "u").rf().strideText());
  }
}

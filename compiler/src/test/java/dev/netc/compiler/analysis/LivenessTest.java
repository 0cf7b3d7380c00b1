package dev.netc.compiler.analysis;

import static org.junit.jupiter.api.Assertions.assertEquals;

import org.junit.jupiter.api.Test;

/** Peak activation memory on small DAGs, computed by hand step by step. */
class LivenessTest {
  @Test
  void branchesAndConcat() {
    // steps: 0 x (64 B) | 1 a (128 B) | 2 b (64 B) | 3 concat (192 B) | 4 relu (192 B, the output)
    // live: 0: x=64; 1: x+a=192; 2: x+a+b=256 (x dies after b); 3: a+b+cat=384; 4: cat+relu=384
    NetworkReport r = AnalysisNets.report("[1, 4, 4]", """
          a: conv(2, 1) -> ta
          @x
          b: conv(1, 1)
          cat: concat(@ta)
          relu
        """);
    assertEquals(384, r.peak().bytes());
    assertEquals("cat", r.peakAt());
    assertEquals(64 + 128 + 64 + 192 + 192, r.activationBytes());
    NetworkReport batch2 = AnalysisNets.report("[1, 4, 4]", """
          a: conv(2, 1) -> ta
          @x
          b: conv(1, 1)
          cat: concat(@ta)
          relu
        """, 2);
    assertEquals(768, batch2.peak().bytes());
  }

  @Test
  void outputsLiveToTheEnd() {
    // steps: 0 x (256 B) | 1 c1 (1024 B, head h1) | 2 c2 (512 B) | 3 relu (512 B)
    // live: 0: 256; 1: 1280; 2: x+c1+c2 = 1792; 3: c1 (an output) + c2 + relu = 2048
    NetworkReport r = AnalysisNets.report("[1, 8, 8]", """
          head h1 { c1: conv(4, 1) }
          c2: conv(2, 1)
          relu
        """);
    assertEquals(2048, r.peak().bytes());
    assertEquals("2", r.peakAt());
  }

  @Test
  void aChainNeedsTwoTensorsAtATime() {
    // x 3·8·8·4 = 768 B, conv 16·8·8·4 = 4096 B, relu 4096 B: the peak is conv's input and output, then relu's
    NetworkReport r = AnalysisNets.report("[3, 8, 8]", "  c: conv(16, 3, pad: 1); relu");
    assertEquals(8192, r.peak().bytes());
    assertEquals("1", r.peakAt());
  }
}

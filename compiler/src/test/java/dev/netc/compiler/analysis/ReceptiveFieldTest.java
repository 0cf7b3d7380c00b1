package dev.netc.compiler.analysis;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNull;

import org.junit.jupiter.api.Test;

/** Receptive fields and strides on chains and DAGs checked by hand (rf' = rf + (k'-1)·j, j' = j·s). */
class ReceptiveFieldTest {
  private static String rf(NetworkReport r, String path) {
    ReceptiveField f = AnalysisNets.layer(r, path).rf();
    return f == null ? "-" : f.sizeText() + "/" + f.strideText();
  }

  @Test
  void threeThreeByThreeConvsSeeSeven() {
    NetworkReport r = AnalysisNets.report("[3, 32, 32]", """
          c1: conv(8, 3, pad: 1); c2: conv(8, 3, pad: 1); c3: conv(8, 3, pad: 1)
          p: maxpool(2, stride: 2)
          c4: conv(8, 3, pad: 1)
        """);
    assertEquals("1/1", rf(r, "x"));
    assertEquals("3/1", rf(r, "c1"));
    assertEquals("5/1", rf(r, "c2"));
    assertEquals("7/1", rf(r, "c3"));
    assertEquals("8/2", rf(r, "p"));     // 7 + (2-1)·1
    assertEquals("12/2", rf(r, "c4"));   // 8 + (3-1)·2
  }

  @Test
  void resnetStem() {
    NetworkReport r = AnalysisNets.report("[3, 224, 224]", """
          conv1: conv(64, 7, stride: 2, pad: 3); bn1: batchnorm; relu
          maxpool: maxpool(3, stride: 2, pad: 1)
        """);
    assertEquals("7/2", rf(r, "conv1"));
    assertEquals("7/2", rf(r, "bn1"));
    assertEquals("7/2", rf(r, "2"));
    assertEquals("11/4", rf(r, "maxpool")); // 7 + 2·2
  }

  @Test
  void dilationAndNonSquareKernels() {
    NetworkReport r = AnalysisNets.report("[3, 32, 32]", "  a: conv(8, 3, dilation: 2); b: conv(8, (3, 1), stride: (1, 2))");
    assertEquals("5/1", rf(r, "a"));
    assertEquals("7x5/1x2", rf(r, "b"));
  }

  @Test
  void wavenetCausalDilations() {
    // kernel 2, dilations 1, 2, 4, 8: 1 + 1 + 2 + 4 + 8
    NetworkReport r = AnalysisNets.report("[1, 64]", """
          a: conv(4, 2, dilation: 1, pad: (1, 0)); b: conv(4, 2, dilation: 2, pad: (2, 0))
          c: conv(4, 2, dilation: 4, pad: (4, 0)); d: conv(4, 2, dilation: 8, pad: (8, 0))
        """);
    assertEquals("16/1", rf(r, "d"));
  }

  @Test
  void transposedConvHalvesTheStride() {
    // down: rf 3, j 2; up k2 s2: each output reads one input: rf 3, j 1; up k3 s2: up to 2 inputs: rf 3 + 1·1, j 0.5
    NetworkReport r = AnalysisNets.report("[3, 32, 32]", """
          down: conv(8, 3, stride: 2, pad: 1)
          up: conv_transpose(8, 2, stride: 2)
          up2: conv_transpose(8, 3, stride: 2, pad: 1, output_pad: 1)
        """);
    assertEquals("3/2", rf(r, "down"));
    assertEquals("3/1", rf(r, "up"));
    assertEquals("4/0.5", rf(r, "up2"));
  }

  @Test
  void upsamplingAndGlobalPooling() {
    // pool k2: rf 2, j 2; bilinear ×2: rf 2 + 1·2 = 4, j 1; global pool of 16×16 at j 1: rf 4 + 15, j 16
    NetworkReport r = AnalysisNets.report("[3, 32, 32]", """
          p: maxpool(2)
          u: upsample(scale: 2, mode: "bilinear")
          n: upsample(scale: 2)
          g: global_avgpool
        """);
    assertEquals("2/2", rf(r, "p"));
    assertEquals("4/1", rf(r, "u"));
    assertEquals("4/0.5", rf(r, "n"));
    assertEquals("35.5/32", rf(r, "g")); // 4 + (64-1)·0.5, j 0.5·64
  }

  @Test
  void joinsTakeTheMaximumOverInputs() {
    NetworkReport r = AnalysisNets.report("[8, 16, 16]", """
          residual { a: conv(8, 3, pad: 1); b: conv(8, 3, pad: 1) }
          cat: concat { c: conv(4, 1); d: conv(4, 5, pad: 2) }
        """);
    assertEquals("5/1", rf(r, "add"));      // max(3 + 2, identity 1)
    assertEquals("5/1", rf(r, "cat.c"));    // 1×1 on top of 5
    assertEquals("9/1", rf(r, "cat.d"));    // 5 + 4
    assertEquals("9/1", rf(r, "cat"));
  }

  @Test
  void aBroadcastGateWidensTheFieldButKeepsTheStride() {
    // squeeze-and-excite after a stride-2 conv: the gate's global pool sees the whole 8×8 map at j 2
    NetworkReport r = AnalysisNets.report("[3, 16, 16]", """
          c: conv(8, 3, stride: 2, pad: 1)
          gate { global_avgpool; fc1: conv(2, 1); relu; fc2: conv(8, 1); sigmoid }
        """);
    assertEquals("3/2", rf(r, "c"));
    assertEquals("17/2", rf(r, "mul")); // 3 + (8-1)·2, stride of the main path
  }

  @Test
  void aResidualAroundAttentionIsNotSpatial() {
    NetworkReport r = AnalysisNets.report("[10, 64]", "  residual { a: attention(8) }");
    assertEquals("1/1", rf(r, "x"));
    assertNull(AnalysisNets.layer(r, "a").rf());
    assertNull(AnalysisNets.layer(r, "add").rf());
  }

  @Test
  void opsThatMixDimsEndTheField() {
    NetworkReport r = AnalysisNets.report("[3, 8, 8]", "  c: conv(4, 3); f: flatten; fc: linear(10)");
    assertEquals("3/1", rf(r, "c"));
    assertNull(AnalysisNets.layer(r, "f").rf());
    assertNull(AnalysisNets.layer(r, "fc").rf());
  }
}

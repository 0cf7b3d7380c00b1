package dev.netc.compiler.analysis;

import static org.junit.jupiter.api.Assertions.assertEquals;

import dev.netc.compiler.ir.Shape;
import org.junit.jupiter.api.Test;

/** Each counting formula against values computed by hand (the arithmetic is in the comments). */
class CountingFormulaTest {
  private static LayerStats only(String input, String layer) { return only(input, layer, 1); }

  private static LayerStats only(String input, String layer, int batch) {
    return AnalysisNets.layer(AnalysisNets.report(input, "  l: " + layer, batch), "l");
  }

  @Test
  void groupedConv() {
    // out [64,16,16]; each output sums 32/4 channels × 3×3: 16,384 × 72
    LayerStats l = only("[32, 16, 16]", "conv(64, 3, pad: 1, groups: 4)");
    assertEquals(Shape.of(64, 16, 16), l.type().shape());
    assertEquals(1_179_648, l.macs());
    assertEquals(2_359_296, l.flops());
    assertEquals(64 * 8 * 9 + 64, l.params());
    assertEquals(0, l.otherOps());
  }

  @Test
  void dilatedConv() {
    // span 3·2+1 = 7, out 32-6 = 26; 16·26·26 outputs × 8·9
    LayerStats l = only("[8, 32, 32]", "conv(16, 3, dilation: 3, bias: false)");
    assertEquals(Shape.of(16, 26, 26), l.type().shape());
    assertEquals(778_752, l.macs());
    assertEquals(16 * 8 * 9, l.params());
  }

  @Test
  void depthwiseConv() {
    // 32·56·56 outputs, each 1 channel × 9 taps
    LayerStats l = only("[32, 56, 56]", "conv(32, 3, pad: 1, groups: 32, bias: false)");
    assertEquals(903_168, l.macs());
    assertEquals(288, l.params());
  }

  @Test
  void depthwiseWithChannelMultiplier() {
    // groups 16, out 32: each output reads 1 input channel; 32·10·10 outputs × 9
    LayerStats l = only("[16, 12, 12]", "conv(32, 3, groups: 16)");
    assertEquals(28_800, l.macs());
    assertEquals(32 * 9 + 32, l.params());
  }

  @Test
  void transposedConv() {
    // out (8-1)·2 - 2 + 3 + 1 = 16; each of 16·8·8 inputs scatters to 8 channels × 16 taps
    LayerStats l = only("[16, 8, 8]", "conv_transpose(8, 4, stride: 2, pad: 1)");
    assertEquals(Shape.of(8, 16, 16), l.type().shape());
    assertEquals(131_072, l.macs());
    assertEquals(16 * 8 * 16 + 8, l.params());
  }

  @Test
  void groupedTransposedConvWithOutputPadding() {
    // out (8-1)·2 + 2 + 1 + 1 = 18 (k 3, output_pad 1); 1024 inputs × 8/2 channels × 9 taps
    LayerStats l = only("[16, 8, 8]", "conv_transpose(8, 3, stride: 2, output_pad: 1, groups: 2, bias: false)");
    assertEquals(Shape.of(8, 18, 18), l.type().shape());
    assertEquals(36_864, l.macs());
    assertEquals(16 * 4 * 9, l.params());
  }

  @Test
  void attention() {
    // projections 4·T·E² = 4·10·64·64 = 163,840; scores and weighted sum 2·T²·E = 12,800;
    // softmax heads·T² = 800
    LayerStats l = only("[10, 64]", "attention(8)");
    assertEquals(176_640, l.macs());
    assertEquals(800, l.otherOps());
    assertEquals(3 * 64 * 64 + 3 * 64 + 64 * 64 + 64, l.params());
    LayerStats batch3 = only("[10, 64]", "attention(8)", 3);
    assertEquals(3 * 176_640, batch3.macs());
    assertEquals(3 * 800, batch3.otherOps());
  }

  @Test
  void lstm() {
    // per step 4 gates · 20 hidden · (10 input + 20 hidden) = 2,400; 5 steps
    LayerStats l = only("[5, 10]", "lstm(20)");
    assertEquals(Shape.of(5, 20), l.type().shape());
    assertEquals(12_000, l.macs());
    assertEquals(80 * 10 + 80 * 20 + 80 + 80, l.params());
  }

  @Test
  void twoLayerGru() {
    // per step: 3·32·(16+32) = 4,608 and 3·32·(32+32) = 6,144; 7 steps
    LayerStats l = only("[7, 16]", "gru(32, layers: 2)");
    assertEquals(75_264, l.macs());
    assertEquals((96 * 16 + 96 * 32 + 192) + (96 * 32 * 2 + 192), l.params());
  }

  @Test
  void maxPoolCeilAndFloor() {
    // ceil((56-3)/2)+1 = 28 vs floor: 27; other ops = outputs × window 9
    LayerStats ceil = only("[64, 56, 56]", "maxpool(3, stride: 2, ceil: true)");
    assertEquals(Shape.of(64, 28, 28), ceil.type().shape());
    assertEquals(451_584, ceil.otherOps());
    LayerStats floor = only("[64, 56, 56]", "maxpool(3, stride: 2)");
    assertEquals(Shape.of(64, 27, 27), floor.type().shape());
    assertEquals(419_904, floor.otherOps());
    assertEquals(0, ceil.macs());
  }

  @Test
  void ceilModeDropsAWindowStartingInTheRightPadding() {
    // (5+2-2)/2 = 2.5 → 3 → 4 windows, but the 4th would start at 6-1 = 5 ≥ input end: PyTorch gives 3
    LayerStats l = only("[1, 5, 5]", "maxpool(2, stride: 2, pad: 1, ceil: true)");
    assertEquals(Shape.of(1, 3, 3), l.type().shape());
  }

  @Test
  void avgPoolCeil() {
    // stride defaults to the kernel: ceil((7-2)/2)+1 = 4; 16 outputs × 4
    LayerStats l = only("[1, 7, 7]", "avgpool(2, ceil: true)");
    assertEquals(Shape.of(1, 4, 4), l.type().shape());
    assertEquals(64, l.otherOps());
  }

  @Test
  void linearAndGlobalPool() {
    LayerStats fc = only("[512]", "linear(1000)");
    assertEquals(512_000, fc.macs());
    assertEquals(513_000, fc.params());
    LayerStats gap = only("[64, 7, 7]", "global_avgpool");
    assertEquals(64 * 49, gap.otherOps());
    assertEquals(0, gap.macs());
  }

  @Test
  void batchNormHasParamsAndBuffersSeparately() {
    NetworkReport r = AnalysisNets.report("[64, 8, 8]", "  l: batchnorm", 2);
    LayerStats l = AnalysisNets.layer(r, "l");
    assertEquals(128, l.params());
    assertEquals(128, l.buffers());
    assertEquals(2 * 64 * 64, l.otherOps());
    assertEquals(128, r.totals().params());
    assertEquals(128, r.totals().buffers());
    assertEquals((128 + 128) * 4, r.totals().weightBytes());
  }

  @Test
  void batchScalesCountsButNotParams() {
    LayerStats one = only("[3, 32, 32]", "conv(8, 3)");
    LayerStats four = only("[3, 32, 32]", "conv(8, 3)", 4);
    assertEquals(4 * one.macs(), four.macs());
    assertEquals(one.params(), four.params());
    assertEquals(4 * one.activationBytes(), four.activationBytes());
    // 8·30·30 float32 outputs
    assertEquals(8 * 30 * 30 * 4, one.activationBytes());
  }

  @Test
  void layerRowsSumToTheTotals() {
    NetworkReport r = AnalysisNets.report("[3, 32, 32]", """
          conv1: conv(16, 3, pad: 1); bn1: batchnorm; relu
          residual { conv2: conv(16, 3, pad: 1); bn2: batchnorm }
          global_avgpool; flatten; fc: linear(10)
        """);
    assertEquals(r.totals().params(), r.layers().stream().mapToLong(LayerStats::params).sum());
    assertEquals(r.totals().buffers(), r.layers().stream().mapToLong(LayerStats::buffers).sum());
    assertEquals(r.totals().macs(), r.layers().stream().mapToLong(LayerStats::macs).sum());
    assertEquals(r.totals().otherOps(), r.layers().stream().mapToLong(LayerStats::otherOps).sum());
    assertEquals(2 * r.totals().macs(), r.totals().flops());
  }
}

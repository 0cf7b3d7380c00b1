package dev.netc.runtime.kernels;

import static dev.netc.runtime.ReferenceData.assertClose;
import static dev.netc.runtime.ReferenceData.npy;
import static dev.netc.runtime.ReferenceData.weights;
import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;

import dev.netc.runtime.Tensor;
import dev.netc.runtime.io.SafeTensors;
import java.io.IOException;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

/**
 * The PyTorch reference cases that isolate this module's kernels, composed from the kernels
 * exactly as the case's module does, on both paths: the dispatching facades (vector path under
 * the test JVM's flags) and the scalar twins. Tolerance: {@code 1e-4 + 1e-3 * |expected|}.
 */
class ReferenceCasesTest {

  @ParameterizedTest(name = "scalar={0}")
  @ValueSource(booleans = {false, true})
  void activations(boolean scalar) throws IOException {
    Tensor x = npy("activations", "input"); // [1, 2, 5, 5]
    int len = 50;
    float[] y = new float[24 * 25];
    Object[][] parts = {
        {Activation.RELU, 1f, 0f}, {Activation.RELU6, 4f, 0f}, {Activation.LEAKY_RELU, 1f, 0.1f},
        {Activation.SIGMOID, 1f, 0f}, {Activation.TANH, 1f, 0f}, {Activation.GELU, 1f, 0f},
        {Activation.SILU, 1f, 0f}, {Activation.HARDSWISH, 3f, 0f}, {Activation.HARDSIGMOID, 3f, 0f},
        {Activation.ELU, 1f, 1f}, {Activation.SOFTPLUS, 1f, 0f}};
    for (int k = 0; k < parts.length; k++) {
      Activation a = (Activation) parts[k][0];
      float[] in = new float[len];
      Elementwise.scaleShift(x.data(), 0, in, 0, len, (float) parts[k][1], 0f);
      if (scalar) {
        a.applyScalar(in, 0, y, k * len, len, (float) parts[k][2]);
      } else {
        a.apply(in, 0, y, k * len, len, (float) parts[k][2]);
      }
    }
    if (scalar) {
      SoftmaxScalar.softmax(x.data(), 0, y, 22 * 25, 1, 2, 25, false);
    } else {
      Softmax.softmax(x.data(), 0, y, 22 * 25, 1, 2, 25);
    }
    assertClose(npy("activations", "output0"), y, "activations");
  }

  /** With {@code rowwise}, max pooling by the row-wise 2-D kernel and adaptive pooling by its plane form. */
  @ParameterizedTest(name = "rowwise={0}")
  @ValueSource(booleans = {false, true})
  void pools(boolean rowwise) throws IOException {
    Tensor x = npy("pools", "input"); // [1, 3, 9, 9]
    assertEquals(5, Pooling.outputSize(9, 3, 2, 1, 1, false));
    assertEquals(5, Pooling.outputSize(9, 2, 2, 0, 1, true));
    assertEquals(4, Pooling.outputSize(9, 2, 2, 0, 1, false));
    Pooling.Window w3 = Pooling.Window.of2d(9, 9, 5, 5, 3, 3, 2, 2, 1, 1, 1, 1);
    Pooling.Window w2 = Pooling.Window.of2d(9, 9, 5, 5, 2, 2, 2, 2, 0, 0, 1, 1);
    float[][] parts = new float[5][3 * 25];
    if (rowwise) {
      Pooling.maxPool2d(x.data(), 0, parts[0], 0, 3, 9, 9, 5, 5, 3, 3, 2, 2, 1, 1);
      Pooling.maxPool2d(x.data(), 0, parts[3], 0, 3, 9, 9, 5, 5, 2, 2, 2, 2, 0, 0);
      Pooling.adaptivePool(x.data(), 0, parts[4], 0, 3, 1, 9, 9, 1, 5, 5, false);
    } else {
      Pooling.maxPool(x.data(), 0, parts[0], 0, 1, 3, w3);
      Pooling.maxPool(x.data(), 0, parts[3], 0, 1, 3, w2);
      Pooling.adaptiveAvgPool(x.data(), 0, parts[4], 0, 1, 3, 1, 9, 9, 1, 5, 5);
    }
    Pooling.avgPool(x.data(), 0, parts[1], 0, 1, 3, w3, true);
    Pooling.avgPool(x.data(), 0, parts[2], 0, 1, 3, w3, false);
    float[] y = new float[15 * 25];
    Slices.concat(parts, new int[5], new int[] {3, 3, 3, 3, 3}, y, 0, 1, 25);
    assertClose(npy("pools", "output0"), y, "pools");
  }

  @ParameterizedTest(name = "scalar={0}")
  @ValueSource(booleans = {false, true})
  void norms(boolean scalar) throws IOException {
    Tensor x = npy("norms", "input"); // [2, 16, 6, 6]
    int n = 2;
    int c = 16;
    int s = 36;
    float[][] parts = new float[4][n * c * s];
    float[] x10 = new float[x.data().length];
    Elementwise.scaleShift(x.data(), 0, x10, 0, x10.length, 10f, 0f);
    try (SafeTensors w = weights("norms")) {
      float[] gw = w.floats("gn.weight", 16);
      float[] gb = w.floats("gn.bias", 16);
      float[] iw = w.floats("inorm.weight", 16);
      float[] ib = w.floats("inorm.bias", 16);
      float[] lw = w.floats("ln.weight", 16, 6, 6);
      float[] lb = w.floats("ln.bias", 16, 6, 6);
      if (scalar) {
        NormsScalar.groupNorm(x.data(), 0, parts[0], 0, n, c, s, 4, gw, gb, 1e-5f);
        NormsScalar.groupNorm(x.data(), 0, parts[1], 0, n, c, s, c, iw, ib, 1e-5f);
        NormsScalar.layerNorm(x.data(), 0, parts[2], 0, n, c * s, lw, lb, 1e-5f);
        NormsScalar.localResponseNorm(x10, 0, parts[3], 0, n, c, s, 5, 1e-4f, 0.75f, 2f);
      } else {
        Norms.groupNorm(x.data(), 0, parts[0], 0, n, c, s, 4, gw, gb, 1e-5f);
        Norms.instanceNorm(x.data(), 0, parts[1], 0, n, c, s, iw, ib, 1e-5f);
        Norms.layerNorm(x.data(), 0, parts[2], 0, n, c * s, lw, lb, 1e-5f);
        Norms.localResponseNorm(x10, 0, parts[3], 0, n, c, s, 5, 1e-4f, 0.75f, 2f);
      }
    }
    float[] y = new float[n * 4 * c * s];
    Slices.concat(parts, new int[4], new int[] {c, c, c, c}, y, 0, n, s);
    assertClose(npy("norms", "output0"), y, "norms");
  }

  /** Channels 12..23 of the case: nearest x2, bilinear x2 unaligned, bilinear x2 aligned (0..11 are transposed convs). */
  @Test
  void upsamplingWithoutTransposedConvs() throws IOException {
    Tensor x = npy("upsampling", "input"); // [1, 4, 5, 5]
    Tensor expected = npy("upsampling", "output0"); // [1, 24, 10, 10]
    assertEquals(10, Upsample.outputSize(5, 2.0));
    float[] y = new float[12 * 100];
    Upsample.nearest(x.data(), 0, y, 0, 1, 4, 5, 5, 10, 10, 2.0, 2.0);
    Upsample.bilinear(x.data(), 0, y, 400, 1, 4, 5, 5, 10, 10, false, 2.0, 2.0);
    Upsample.bilinear(x.data(), 0, y, 800, 1, 4, 5, 5, 10, 10, true, 2.0, 2.0);
    assertClose(expected.data(), 1200, y, 0, 1200, 1e-4, 1e-3, "upsampling channels 12..23");
  }

  @ParameterizedTest(name = "scalar={0}")
  @ValueSource(booleans = {false, true})
  void recurrent(boolean scalar) throws IOException {
    Tensor x = npy("recurrent", "input"); // [1, 10, 8]
    float[] lstmOut = new float[10 * 16];
    float[] y = new float[10 * 12];
    try (SafeTensors w = weights("recurrent")) {
      Recurrent.Weights lstm = new Recurrent.Weights(8, 16, w.floats("lstm.weight_ih_l0", 64, 8),
          w.floats("lstm.weight_hh_l0", 64, 16), w.floats("lstm.bias_ih_l0", 64), w.floats("lstm.bias_hh_l0", 64));
      Recurrent.Weights gru = new Recurrent.Weights(16, 12, w.floats("gru.weight_ih_l0", 36, 16),
          w.floats("gru.weight_hh_l0", 36, 12), w.floats("gru.bias_ih_l0", 36), w.floats("gru.bias_hh_l0", 36));
      float[] s1 = new float[Recurrent.scratchSize(1, 10, 16, 4)];
      float[] s2 = new float[Recurrent.scratchSize(1, 10, 12, 3)];
      if (scalar) {
        Recurrent.lstmScalar(lstm, x.data(), 0, 1, 10, false, lstmOut, 0, 16, new float[16], new float[16], s1);
        Recurrent.gruScalar(gru, lstmOut, 0, 1, 10, false, y, 0, 12, new float[12], s2);
      } else {
        Recurrent.lstm(lstm, x.data(), 0, 1, 10, false, lstmOut, 0, 16, new float[16], new float[16], s1);
        Recurrent.gru(gru, lstmOut, 0, 1, 10, false, y, 0, 12, new float[12], s2);
      }
    }
    assertClose(npy("recurrent", "output0"), y, "recurrent");
  }

  @Test
  void transformerEncoder() throws IOException {
    Tensor input = npy("transformer_encoder", "input"); // [2, 8, 16]
    int b = 2;
    int l = 8;
    int d = 16;
    float[] x = new float[b * l * d];
    PositionalEncoding.add(input.data(), 0, PositionalEncoding.sinusoidal(l, d), x, 0, b, l, d);
    float[] out = new float[b * 3];
    try (SafeTensors w = weights("transformer_encoder")) {
      String p = "encoder.";
      MultiHeadAttention.Weights attn = new MultiHeadAttention.Weights(d, 4,
          w.floats(p + "self_attn.in_proj_weight", 48, 16), w.floats(p + "self_attn.in_proj_bias", 48),
          w.floats(p + "self_attn.out_proj.weight", 16, 16), w.floats(p + "self_attn.out_proj.bias", 16));
      float[] sa = new float[b * l * d];
      MultiHeadAttention.selfAttention(attn, x, 0, b, l, false, sa, 0,
          new float[MultiHeadAttention.scratchSize(l, l, d)]);
      Elementwise.add(x, 0, sa, 0, x, 0, x.length);
      Norms.layerNorm(x, 0, x, 0, b * l, d, w.floats(p + "norm1.weight", 16), w.floats(p + "norm1.bias", 16), 1e-5f);
      float[] hidden = new float[b * l * 32];
      SmallMatmul.linear(x, 0, b * l, d, w.floats(p + "linear1.weight", 32, 16), w.floats(p + "linear1.bias", 32), 32,
          hidden, 0);
      Activation.RELU.applyInPlace(hidden, 0, hidden.length, 0f);
      float[] ff = new float[b * l * d];
      SmallMatmul.linear(hidden, 0, b * l, 32, w.floats(p + "linear2.weight", 16, 32), w.floats(p + "linear2.bias", 16),
          d, ff, 0);
      Elementwise.add(x, 0, ff, 0, x, 0, x.length);
      Norms.layerNorm(x, 0, x, 0, b * l, d, w.floats(p + "norm2.weight", 16), w.floats(p + "norm2.bias", 16), 1e-5f);
      float[] pooled = new float[b * d];
      assertArrayEquals(new int[] {b, d}, ReduceMean.outputShape(new int[] {b, l, d}, new int[] {1}));
      ReduceMean.mean(x, 0, new int[] {b, l, d}, new int[] {1}, pooled, 0);
      SmallMatmul.linear(pooled, 0, b, d, w.floats("head.weight", 3, 16), w.floats("head.bias", 3), 3, out, 0);
    }
    assertClose(npy("transformer_encoder", "output0"), out, "transformer_encoder");
  }

  @ParameterizedTest(name = "align={0}")
  @ValueSource(booleans = {false, true})
  void roiHeads(boolean align) throws IOException {
    String name = align ? "roi_align_head" : "roi_pool_head";
    Tensor image = npy(name, "input"); // [1, 3, 16, 16]
    Tensor boxes = npy(name, "boxes"); // [3, 5]
    int k = boxes.shape().dim(0);
    float[] cls = new float[k * 5];
    float[] bbox = new float[k * 20];
    try (SafeTensors w = weights(name)) {
      float[] conv = NaiveConv.conv2d(image.data(), 1, 3, 16, 16, w.floats("backbone.0.weight", 8, 3, 3, 3),
          w.floats("backbone.0.bias", 8), 8, 3, 1);
      Activation.RELU.applyInPlace(conv, 0, conv.length, 0f);
      float[] features = new float[8 * 8 * 8];
      Pooling.maxPool(conv, 0, features, 0, 1, 8, Pooling.Window.of2d(16, 16, 8, 8, 2, 2, 2, 2, 0, 0, 1, 1));
      float[] rois = new float[k * 8 * 16];
      if (align) {
        RoiAlign.align(features, 0, 1, 8, 8, 8, boxes.data(), 0, k, 4, 4, 0.5f, 2, true, rois, 0);
      } else {
        RoiPool.pool(features, 0, 1, 8, 8, 8, boxes.data(), 0, k, 4, 4, 0.5f, rois, 0);
      }
      float[] h = new float[k * 32];
      SmallMatmul.linear(rois, 0, k, 128, w.floats("fc.weight", 32, 128), w.floats("fc.bias", 32), 32, h, 0);
      Activation.RELU.applyInPlace(h, 0, h.length, 0f);
      SmallMatmul.linear(h, 0, k, 32, w.floats("cls.weight", 5, 32), w.floats("cls.bias", 5), 5, cls, 0);
      SmallMatmul.linear(h, 0, k, 32, w.floats("bbox.weight", 20, 32), w.floats("bbox.bias", 20), 20, bbox, 0);
    }
    assertClose(npy(name, "output0"), cls, name + " class scores");
    assertClose(npy(name, "output1"), bbox, name + " box deltas");
  }
}

package dev.netc.runtime.kernels;

import static dev.netc.runtime.ReferenceData.assertClose;
import static dev.netc.runtime.ReferenceData.npy;
import static dev.netc.runtime.ReferenceData.weights;

import dev.netc.runtime.Tensor;
import dev.netc.runtime.exec.Executor;
import dev.netc.runtime.io.SafeTensors;
import java.io.IOException;
import java.util.Arrays;
import org.junit.jupiter.api.Test;

/**
 * The convolution kernels against the PyTorch reference cases that isolate them (weights and
 * expected outputs from {@code test-suite/reference/cases}), tolerance 1e-4 + 1e-3·|expected|.
 * Each case runs through {@link ConvReference} (NCHW loops) and through {@link ConvPlan} (blocked
 * layout, the default vector-or-scalar path), converting at the boundary as generated code does.
 * Max pooling, which two cases need, is a tiny loop in this test.
 */
class ConvReferenceCasesTest {
  private static final Executor EX = Executor.serial();

  /** A layer applied both ways; returns the plan's result (NCHW) after checking it equals the reference's. */
  private static float[] conv(ConvSpec spec, float[] w, Epilogue e, int batch, float[] x) {
    int outN = spec.outChannels() * spec.outSpatial();
    float[] ref = new float[batch * outN];
    ConvReference.run(spec, w, 0, e, batch, x, 0, ref, 0, null, 0);
    float[] blockedIn = new float[batch * spec.inSize(Layout.NCHWC16)];
    LayoutConvert.toBlocked(batch, spec.inChannels(), spec.inSpatial(), x, 0, blockedIn, 0, EX);
    ConvPlan plan = ConvPlan.create(spec, w, 0, e, Layout.NCHWC16);
    float[] out = new float[batch * plan.outputSize()];
    plan.run(batch, blockedIn, 0, out, 0, null, 0, EX);
    float[] got = new float[batch * outN];
    LayoutConvert.toNchw(batch, spec.outChannels(), spec.outSpatial(), out, 0, got, 0, EX);
    EpilogueCases.assertClose(ref, 0, got, 0, got.length, 1e-5, 1e-5, "plan vs reference " + spec);
    return ref;
  }

  private static Epilogue bias(SafeTensors st, String name, int n) throws IOException {
    return Epilogue.NONE.withBias(st.floats(name, n));
  }

  @Test
  void convBasic() throws IOException {
    try (SafeTensors st = weights("conv_basic")) {
      Tensor x = npy("conv_basic", "input");
      ConvSpec spec = ConvSpec.conv2d(3, 8, 16, 16, 3, 3, 1, 1, 1, 1, 1, 1, 1, 1, 1);
      float[] y = conv(spec, st.floats("0.weight", 8, 3, 3, 3),
          bias(st, "0.bias", 8).withActivation(Activation.RELU), 1, x.data());
      assertClose(npy("conv_basic", "output0"), y, "conv_basic");
    }
  }

  @Test
  void convStridesWithOddSizesAndBatchTwo() throws IOException {
    try (SafeTensors st = weights("conv_strides")) {
      float[] x = npy("conv_strides", "input").data(); // [2, 3, 61, 67]
      ConvSpec c0 = ConvSpec.conv2d(3, 8, 61, 67, 7, 7, 2, 2, 3, 3, 3, 3, 1, 1, 1);
      float[] y = conv(c0, st.floats("0.weight", 8, 3, 7, 7), Epilogue.NONE, 2, x);
      int h = c0.outHeight();
      int w = c0.outWidth();
      y = maxPool(y, 2, 8, new int[] {1, h, w}, new int[] {1, 3, 3}, new int[] {1, 2, 2}, new int[] {0, 1, 1});
      h = (h + 2 - 3) / 2 + 1;
      w = (w + 2 - 3) / 2 + 1;
      ConvSpec c2 = ConvSpec.conv2d(8, 8, h, w, 5, 5, 2, 2, 2, 2, 2, 2, 1, 1, 1);
      y = conv(c2, st.floats("2.weight", 8, 8, 5, 5), bias(st, "2.bias", 8), 2, y);
      ConvSpec c3 = ConvSpec.conv2d(8, 6, c2.outHeight(), c2.outWidth(), 1, 1, 2, 2, 0, 0, 0, 0, 1, 1, 1);
      y = conv(c3, st.floats("3.weight", 6, 8, 1, 1), bias(st, "3.bias", 6), 2, y);
      ConvSpec c4 = ConvSpec.conv2d(6, 5, c3.outHeight(), c3.outWidth(), 3, 3, 1, 1, 0, 0, 0, 0, 1, 1, 1);
      y = conv(c4, st.floats("4.weight", 5, 6, 3, 3), bias(st, "4.bias", 5), 2, y);
      assertClose(npy("conv_strides", "output0"), y, "conv_strides");
    }
  }

  @Test
  void convDilated() throws IOException {
    try (SafeTensors st = weights("conv_dilated")) {
      float[] x = npy("conv_dilated", "input").data();
      ConvSpec c0 = ConvSpec.conv2d(4, 8, 20, 20, 3, 3, 1, 1, 2, 2, 2, 2, 2, 2, 1);
      float[] y = conv(c0, st.floats("0.weight", 8, 4, 3, 3),
          bias(st, "0.bias", 8).withActivation(Activation.RELU), 1, x);
      ConvSpec c2 = ConvSpec.conv2d(8, 8, 20, 20, 3, 3, 1, 1, 4, 4, 4, 4, 4, 4, 1);
      y = conv(c2, st.floats("2.weight", 8, 8, 3, 3), bias(st, "2.bias", 8), 1, y);
      assertClose(npy("conv_dilated", "output0"), y, "conv_dilated");
    }
  }

  @Test
  void convGroupedDepthwiseAndMultiplier() throws IOException {
    try (SafeTensors st = weights("conv_grouped")) {
      float[] x = npy("conv_grouped", "input").data();
      ConvSpec c0 = ConvSpec.conv2d(8, 16, 14, 14, 3, 3, 1, 1, 1, 1, 1, 1, 1, 1, 4);
      float[] y = conv(c0, st.floats("0.weight", 16, 2, 3, 3), bias(st, "0.bias", 16), 1, x);
      ConvSpec c1 = ConvSpec.conv2d(16, 16, 14, 14, 3, 3, 2, 2, 1, 1, 1, 1, 1, 1, 16);
      y = conv(c1, st.floats("1.weight", 16, 1, 3, 3), bias(st, "1.bias", 16), 1, y);
      ConvSpec c2 = ConvSpec.conv2d(16, 32, 7, 7, 3, 3, 1, 1, 1, 1, 1, 1, 1, 1, 16);
      y = conv(c2, st.floats("2.weight", 32, 1, 3, 3), Epilogue.NONE, 1, y);
      assertClose(npy("conv_grouped", "output0"), y, "conv_grouped");
    }
  }

  @Test
  void conv3dThenMaxPool() throws IOException {
    try (SafeTensors st = weights("conv3d")) {
      float[] x = npy("conv3d", "input").data(); // [1, 2, 6, 8, 8]
      ConvSpec c = ConvSpec.conv3d(2, 4, 1, ConvAxis.of(6, 3, 1, 1, 1, 1), ConvAxis.of(8, 3, 2, 1, 1, 1),
          ConvAxis.of(8, 3, 2, 1, 1, 1));
      float[] y = conv(c, st.floats("conv.weight", 4, 2, 3, 3, 3),
          bias(st, "conv.bias", 4).withActivation(Activation.RELU), 1, x);
      y = maxPool(y, 1, 4, new int[] {6, 4, 4}, new int[] {2, 2, 2}, new int[] {2, 2, 2}, new int[] {0, 0, 0});
      assertClose(npy("conv3d", "output0"), y, "conv3d");
    }
  }

  @Test
  void transposedConvsOfTheUpsamplingCase() throws IOException {
    try (SafeTensors st = weights("upsampling")) {
      float[] x = npy("upsampling", "input").data(); // [1, 4, 5, 5]
      ConvSpec k4 = ConvSpec.convTranspose2d(4, 6, 1, new ConvAxis(5, 4, 2, 1, 1, 1, 0), new ConvAxis(5, 4, 2, 1, 1, 1, 0));
      ConvSpec k3 = ConvSpec.convTranspose2d(4, 6, 1, new ConvAxis(5, 3, 2, 1, 1, 1, 1), new ConvAxis(5, 3, 2, 1, 1, 1, 1));
      float[] a = conv(k4, st.floats("deconv_k4.weight", 4, 6, 4, 4), bias(st, "deconv_k4.bias", 6), 1, x);
      float[] b = conv(k3, st.floats("deconv_k3.weight", 4, 6, 3, 3), bias(st, "deconv_k3.bias", 6), 1, x);
      Tensor want = npy("upsampling", "output0"); // [1, 24, 10, 10]; channels 0..11 are the two deconvs
      ReferenceCheck.close(want.data(), 0, a, "deconv_k4");
      ReferenceCheck.close(want.data(), 600, b, "deconv_k3");
    }
  }

  @Test
  void convBatchNormReluFoldedAtLoadTime() throws IOException {
    try (SafeTensors st = weights("conv_bn_relu")) {
      float[] x = npy("conv_bn_relu", "input").data();
      ConvSpec c = ConvSpec.conv2d(3, 16, 12, 12, 3, 3, 1, 1, 1, 1, 1, 1, 1, 1, 1);
      float[] s = ConvBatchNorm.scale(st.floats("1.weight", 16), st.floats("1.running_var", 16), 1e-5f);
      float[] w = ConvBatchNorm.foldWeight(c, st.floats("0.weight", 16, 3, 3, 3), 0, s);
      float[] b = ConvBatchNorm.foldBias(null, st.floats("1.bias", 16), st.floats("1.running_mean", 16), s);
      float[] folded = conv(c, w, Epilogue.NONE.withBias(b).withActivation(Activation.RELU), 1, x);
      assertClose(npy("conv_bn_relu", "output0"), folded, "conv_bn_relu folded");
      Epilogue affine = ConvBatchNorm.epilogue(Epilogue.NONE, st.floats("1.weight", 16), st.floats("1.bias", 16),
          st.floats("1.running_mean", 16), st.floats("1.running_var", 16), 1e-5f).withActivation(Activation.RELU);
      float[] unfolded = conv(c, st.floats("0.weight", 16, 3, 3, 3), affine, 1, x);
      assertClose(npy("conv_bn_relu", "output0"), unfolded, "conv_bn_relu as epilogue");
    }
  }

  /** The one-call folding generated code uses at load time: weights and statistics as read, input in NCHW. */
  @Test
  void convBatchNormReluPreparedByTheLoadTimeFolding() throws IOException {
    try (SafeTensors st = weights("conv_bn_relu")) {
      float[] x = npy("conv_bn_relu", "input").data();
      ConvSpec c = ConvSpec.conv2d(3, 16, 12, 12, 3, 3, 1, 1, 1, 1, 1, 1, 1, 1, 1);
      BatchNormWeights bn = new BatchNormWeights(st.floats("1.weight", 16), st.floats("1.bias", 16),
          st.floats("1.running_mean", 16), st.floats("1.running_var", 16), 1e-5f);
      ConvPlan plan = ConvBatchNorm.conv(c, st.floats("0.weight", 16, 3, 3, 3), null, bn,
          Epilogue.NONE.withActivation(Activation.RELU), Layout.NCHW);
      float[] out = new float[plan.outputSize()];
      plan.run(1, x, 0, out, 0, null, 0, EX);
      float[] got = new float[16 * 144];
      LayoutConvert.toNchw(1, 16, 144, out, 0, got, 0, EX);
      assertClose(npy("conv_bn_relu", "output0"), got, "conv_bn_relu by ConvBatchNorm.conv");
    }
  }

  @Test
  void separableConvDepthwiseDilatedThenPointwise() throws IOException {
    try (SafeTensors st = weights("separable_conv")) {
      float[] x = npy("separable_conv", "input").data();
      ConvSpec dw = ConvSpec.conv2d(8, 8, 12, 12, 3, 3, 1, 1, 2, 2, 2, 2, 2, 2, 8);
      float[] y = conv(dw, st.floats("depthwise.weight", 8, 1, 3, 3), bn(st, "bn1", 8), 1, x);
      ConvSpec pw = ConvSpec.conv2d(8, 16, 12, 12, 1, 1, 1, 1, 0, 0, 0, 0, 1, 1, 1);
      y = conv(pw, st.floats("pointwise.weight", 16, 8, 1, 1), bn(st, "bn2", 16), 1, y);
      assertClose(npy("separable_conv", "output0"), y, "separable_conv");
    }
  }

  private static Epilogue bn(SafeTensors st, String name, int n) throws IOException {
    return ConvBatchNorm.epilogue(Epilogue.NONE, st.floats(name + ".weight", n), st.floats(name + ".bias", n),
        st.floats(name + ".running_mean", n), st.floats(name + ".running_var", n), 1e-5f)
        .withActivation(Activation.RELU);
  }

  /**
   * WaveNet: causal dilated 1-D convolutions (left padding only), gates as fused tanh and sigmoid
   * epilogues, and the residual and skip sums as fused residual epilogues that write in place
   * (residual tensor = output tensor), as a memory planner would arrange; all in blocked layout.
   */
  @Test
  void wavenetCausalDilatedWithInPlaceResidualSums() throws IOException {
    try (SafeTensors st = weights("wavenet_mini")) {
      int len = 32;
      int block = 16 * len;
      float[] x = npy("wavenet_mini", "input").data();
      float[] in = new float[block];
      LayoutConvert.toBlocked(1, 1, len, x, 0, in, 0, EX);
      float[] h = new float[block];
      plan1d(st, "causal", 1, 8, 2, 1, 1, Epilogue.NONE).run(1, in, 0, h, 0, null, 0, EX);
      float[] total = new float[block];
      float[] f = new float[block];
      float[] g = new float[block];
      int[] dilations = {1, 2, 4, 8};
      for (int i = 0; i < 4; i++) {
        int d = dilations[i];
        plan1d(st, "filt." + i, 8, 8, 2, d, d, Epilogue.NONE.withActivation(Activation.TANH)).run(1, h, 0, f, 0, null, 0, EX);
        plan1d(st, "gate." + i, 8, 8, 2, d, d, Epilogue.NONE.withActivation(Activation.SIGMOID)).run(1, h, 0, g, 0, null, 0, EX);
        for (int j = 0; j < block; j++) {
          f[j] *= g[j]; // z = tanh(filt) * sigmoid(gate)
        }
        Epilogue sum = Epilogue.NONE.withResidual(true);
        plan1d(st, "skip." + i, 8, 8, 1, 1, 0, sum).run(1, f, 0, total, 0, total, 0, EX);
        plan1d(st, "res." + i, 8, 8, 1, 1, 0, sum).run(1, f, 0, h, 0, h, 0, EX);
      }
      for (int j = 0; j < block; j++) {
        total[j] = Math.max(total[j], 0f);
      }
      plan1d(st, "out1", 8, 8, 1, 1, 0, Epilogue.NONE.withActivation(Activation.RELU)).run(1, total, 0, f, 0, null, 0, EX);
      plan1d(st, "out2", 8, 4, 1, 1, 0, Epilogue.NONE).run(1, f, 0, g, 0, null, 0, EX);
      float[] y = new float[4 * len];
      LayoutConvert.toNchw(1, 4, len, g, 0, y, 0, EX);
      assertClose(npy("wavenet_mini", "output0"), y, "wavenet_mini");
    }
  }

  private static ConvPlan plan1d(SafeTensors st, String name, int in, int out, int k, int dilation, int leftPad,
      Epilogue e) throws IOException {
    ConvSpec spec = ConvSpec.conv1d(in, out, 1, ConvAxis.of(32, k, 1, leftPad, 0, dilation));
    return ConvPlan.create(spec, st.floats(name + ".weight", out, in, k), 0,
        e.withBias(st.floats(name + ".bias", out)), Layout.NCHWC16);
  }

  /** Max pooling over [batch, channels, d, h, w] (no ceil mode, no dilation), for the cases above. */
  private static float[] maxPool(float[] x, int batch, int channels, int[] in, int[] k, int[] s, int[] p) {
    int[] out = new int[3];
    for (int i = 0; i < 3; i++) {
      out[i] = (in[i] + 2 * p[i] - k[i]) / s[i] + 1;
    }
    int inSp = in[0] * in[1] * in[2];
    int outSp = out[0] * out[1] * out[2];
    float[] y = new float[batch * channels * outSp];
    Arrays.fill(y, Float.NEGATIVE_INFINITY);
    for (int nc = 0; nc < batch * channels; nc++) {
      for (int o = 0; o < outSp; o++) {
        int oz = o / (out[1] * out[2]);
        int oy = o / out[2] % out[1];
        int ox = o % out[2];
        for (int kz = 0; kz < k[0]; kz++) {
          for (int ky = 0; ky < k[1]; ky++) {
            for (int kx = 0; kx < k[2]; kx++) {
              int iz = oz * s[0] - p[0] + kz;
              int iy = oy * s[1] - p[1] + ky;
              int ix = ox * s[2] - p[2] + kx;
              if (iz >= 0 && iz < in[0] && iy >= 0 && iy < in[1] && ix >= 0 && ix < in[2]) {
                float v = x[nc * inSp + (iz * in[1] + iy) * in[2] + ix];
                y[nc * outSp + o] = Math.max(y[nc * outSp + o], v);
              }
            }
          }
        }
      }
    }
    return y;
  }

  /** The reference tolerance on a slice of an expected output. */
  private static final class ReferenceCheck {
    static void close(float[] want, int off, float[] got, String what) {
      EpilogueCases.assertClose(want, off, got, 0, got.length, 1e-4, 1e-3, what);
    }
  }
}

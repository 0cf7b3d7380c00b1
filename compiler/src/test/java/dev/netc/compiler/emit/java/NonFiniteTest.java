package dev.netc.compiler.emit.java;

import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.netc.compiler.interp.Weights;
import dev.netc.compiler.ir.Graph;
import dev.netc.runtime.Tensor;
import java.io.IOException;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

/**
 * NaN and ±Inf inputs through each op: the generated code and the interpreter agree element by element (NaN
 * where the other has NaN), and both propagate NaN as PyTorch does (relu, relu6, clamps and max pooling of a NaN
 * give NaN, never 0).
 */
class NonFiniteTest {
  private static final String[] BODIES = {
      "relu", "relu6", "leaky_relu(0.1)", "hardswish", "sigmoid", "tanh", "gelu", "silu", "elu",
      "maxpool(2)", "maxpool(3, stride: 1, pad: 1)", "avgpool(2)",
      "conv(4, 3, pad: 1); relu", "conv(4, 1); relu6", "conv(4, 3, pad: 1); batchnorm; relu",
      "flatten; linear(8); relu", "flatten; linear(8); relu6", "flatten; linear(8)",
      "residual { conv(4, 3, pad: 1) }; relu", "global_avgpool; flatten; linear(3); relu",
      "hardsigmoid", "softplus", "scale(2.0, shift: 1.0)", "batchnorm", "conv(8, 3, pad: 1, groups: 2)",
      "conv_transpose(4, 2, stride: 2)", "layernorm", "groupnorm(2)", "instancenorm", "lrn(3)", "l2norm",
      "softmax", "log_softmax", "upsample(scale: 2)", "channel_shuffle(2)", "pad((1, 1, 1, 1))", "crop(size: 4)",
      "adaptive_avgpool(2)", "adaptive_maxpool(3)", "global_maxpool", "mean(axes: 1)", "sum(axes: 1)",
      "max(axes: 1)", "min(axes: 2)",
  };

  static String net(String body) {
    return "network nonfinite {\n  input image: [4, 8, 8]\n  " + body + "\n}\n";
  }

  @ParameterizedTest
  @ValueSource(floats = {Float.NaN, Float.POSITIVE_INFINITY, Float.NEGATIVE_INFINITY})
  void generatedCodeMatchesTheInterpreterOnNonFiniteInputs(float bad) throws IOException {
    StringBuilder failures = new StringBuilder();
    for (String body : BODIES) {
      try {
        float[][][] both = both(body, bad, 21);
        Generated.assertClose(body, both[0], both[1], 1e-4, 1e-3);
      } catch (AssertionError | RuntimeException e) {
        failures.append("\n").append(body).append(" with ").append(bad).append(": ").append(e.getMessage());
      }
    }
    assertTrue(failures.isEmpty(), failures.toString());
  }

  @Test
  void reluRelu6AndMaxPoolPropagateNaN() throws IOException {
    for (String body : new String[] {"relu", "relu6", "maxpool(2)", "flatten; linear(8); relu",
        "conv(4, 1); relu", "conv(4, 1); relu6"}) {
      float[][][] both = both(body, Float.NaN, 5);
      for (int path = 0; path < 2; path++) {
        boolean anyNaN = false;
        for (float v : both[path][0]) anyNaN |= Float.isNaN(v);
        assertTrue(anyNaN, body + ": the " + (path == 0 ? "interpreter" : "generated code") + " dropped the NaN");
      }
    }
  }

  /**
   * A depthwise conv reading the model input (NCHW) or a blocked value keeps a NaN in its channel: it runs on the
   * blocked layout, lane by lane, never as a dense conv with zeros between channels (0 * NaN is NaN).
   */
  @ParameterizedTest
  @ValueSource(strings = {"conv(16, 3, pad: 1, groups: 16)", "conv(24, 3, pad: 1, groups: 24)",
      "conv(16, 3, stride: 2, pad: 1, groups: 16)", "maxpool(3, stride: 1, pad: 1); conv(16, 3, pad: 1, groups: 16)"})
  void depthwiseKeepsNaNInItsChannel(String body) throws IOException {
    int channels = body.contains("24") ? 24 : 16;
    String source = "network dw {\n  input image: [" + channels + ", 8, 8]\n  " + body + "\n}\n";
    Graph g = Generated.graph(source);
    Weights w = Weights.random(g, 3);
    Map<String, Tensor> in = Generated.inputs(g, 1, 4);
    in.values().iterator().next().data()[3 * 64 + 27] = Float.NaN;
    CompiledNetwork net = Generated.compile(g);
    float[] got = Generated.run(net, net.load(Generated.save(w)), g, 1, 1, in)[0];
    int spatial = got.length / channels;
    for (int c = 0; c < channels; c++) {
      boolean nan = false;
      for (int i = 0; i < spatial; i++) nan |= Float.isNaN(got[c * spatial + i]);
      assertTrue(nan == (c == 3), body + ": channel " + c + (nan ? " has" : " lacks") + " a NaN");
    }
  }

  /**
   * A grouped conv whose groups are narrower than a channel block keeps a NaN in its own group's output channels:
   * the interpreter and PyTorch never mix groups, so neither may the packed kernel, whose blocks hold zero weights
   * between groups (0 * NaN is NaN): such inputs take ConvPlan's exact path.
   */
  @ParameterizedTest
  @ValueSource(strings = {"conv(32, 3, pad: 1, groups: 8)", "conv(32, 1, groups: 4)", "conv(16, 3, pad: 1, groups: 2)",
      "conv(32, 3, pad: 1, groups: 8); relu; conv(32, 3, pad: 1, groups: 8)"})
  void groupedConvKeepsNaNInItsGroup(String body) throws IOException {
    int channels = 32;
    String source = "network grouped {\n  input image: [" + channels + ", 8, 8]\n  " + body + "\n}\n";
    Graph g = Generated.graph(source);
    Weights w = Weights.random(g, 3);
    Map<String, Tensor> in = Generated.inputs(g, 1, 4);
    in.values().iterator().next().data()[3 * 64 + 27] = Float.NaN;
    float[] want = Generated.interpret(g, w, in)[0];
    CompiledNetwork net = Generated.compile(g);
    float[] got = Generated.run(net, net.load(Generated.save(w)), g, 1, 1, in)[0];
    for (int i = 0; i < want.length; i++) {
      assertTrue(Float.isNaN(want[i]) == Float.isNaN(got[i]), body + ": element " + i + " is " + got[i]
          + " in the generated code, " + want[i] + " in the interpreter");
    }
  }

  /** {interpreter, generated} outputs of the body on random inputs with {@code bad} at a few positions. */
  private static float[][][] both(String body, float bad, long seed) throws IOException {
    Graph g = Generated.graph(net(body));
    Weights w = Weights.random(g, seed);
    Map<String, Tensor> in = Generated.inputs(g, 2, seed + 1);
    float[] x = in.values().iterator().next().data();
    x[5] = bad;
    x[64 + 18] = bad;
    x[256 + 3 * 64 + 40] = bad;
    CompiledNetwork net = Generated.compile(g);
    float[][] got = Generated.run(net, net.load(Generated.save(w)), g, 2, 2, in);
    return new float[][][] {Generated.interpret(g, w, in), got};
  }
}

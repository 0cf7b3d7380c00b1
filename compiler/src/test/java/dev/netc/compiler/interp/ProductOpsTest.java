package dev.netc.compiler.interp;

import static dev.netc.compiler.interp.InterpreterNets.assertTensor;
import static dev.netc.compiler.interp.InterpreterNets.compile;
import static dev.netc.compiler.interp.InterpreterNets.f;
import static dev.netc.compiler.interp.InterpreterNets.iota;
import static dev.netc.compiler.interp.InterpreterNets.run;
import static dev.netc.compiler.interp.InterpreterNets.tensor;
import static dev.netc.compiler.interp.InterpreterNets.weights;
import static org.junit.jupiter.api.Assertions.assertEquals;

import dev.netc.compiler.ir.Graph;
import java.util.Map;
import org.junit.jupiter.api.Test;

/** Convolution, transposed convolution, linear and matmul on inputs small enough to compute by hand. */
class ProductOpsTest {
  @Test
  void convSumsTheWindowAndAddsTheBias() {
    Graph g = compile("network n { input x: [1, 3, 3]; c: conv(1, 2) }");
    Weights w = weights(g, "c.weight", f(1, 1, 1, 1), "c.bias", f(0.5));
    // x = 1..9 row-major; each 2x2 window sum + 0.5
    assertTensor(run(g, w, tensor(f(1, 2, 3, 4, 5, 6, 7, 8, 9), 1, 1, 3, 3)), f(12.5, 16.5, 24.5, 28.5), 0, 1, 1, 2, 2);
  }

  @Test
  void convStridePaddingAndDilation() {
    Graph g = compile("network n { input x: [1, 3, 3]; c: conv(1, 3, stride: 2, pad: 1, bias: false) }");
    // a kernel that picks its centre: with pad 1 and stride 2 the corners of the input come out
    Weights w = weights(g, "c.weight", f(0, 0, 0, 0, 1, 0, 0, 0, 0));
    assertTensor(run(g, w, tensor(f(1, 2, 3, 4, 5, 6, 7, 8, 9), 1, 1, 3, 3)), f(1, 3, 7, 9), 0, 1, 1, 2, 2);

    Graph d = compile("network n { input x: [1, 5]; c: conv(1, 2, dilation: 2, bias: false) }");
    Weights wd = weights(d, "c.weight", f(1, -1));
    assertTensor(run(d, wd, tensor(f(1, 2, 4, 8, 16), 1, 1, 5)), f(1 - 4, 2 - 8, 4 - 16), 0, 1, 1, 3);
  }

  @Test
  void groupedConvSeesOnlyItsGroup() {
    Graph g = compile("network n { input x: [2, 1, 2]; c: conv(2, 1, groups: 2, bias: false) }");
    Weights w = weights(g, "c.weight", f(2, 3));
    assertTensor(run(g, w, tensor(f(1, 2, 10, 20), 1, 2, 1, 2)), f(2, 4, 30, 60), 0, 1, 2, 1, 2);
  }

  @Test
  void conv3dCountsEveryTap() {
    Graph g = compile("network n { input x: [1, 2, 2, 2]; c: conv(1, 2, bias: false) }");
    float[] ones = f(1, 1, 1, 1, 1, 1, 1, 1);
    assertTensor(run(g, weights(g, "c.weight", ones), tensor(iota(8), 1, 1, 2, 2, 2)), f(28), 0, 1, 1, 1, 1, 1);
  }

  @Test
  void transposedConvScattersEachInputThroughTheKernel() {
    Graph g = compile("network n { input x: [1, 2, 2]; up: conv_transpose(1, 2, stride: 2, bias: false) }");
    Weights w = weights(g, "up.weight", f(1, 1, 1, 1));
    assertTensor(run(g, w, tensor(f(1, 2, 3, 4), 1, 1, 2, 2)),
        f(1, 1, 2, 2, 1, 1, 2, 2, 3, 3, 4, 4, 3, 3, 4, 4), 0, 1, 1, 4, 4);
  }

  @Test
  void transposedConvPaddingAndOutputPadding() {
    // full output of [a, b] * [w0, w1, w2] at stride 2: a·w0, a·w1, a·w2 + b·w0, b·w1, b·w2, (0 from output_pad);
    // pad 1 removes one element at each end of the full length 5 + 1
    Graph g = compile("network n { input x: [1, 2]; up: conv_transpose(1, 3, stride: 2, pad: 1, output_pad: 1) }");
    Weights w = weights(g, "up.weight", f(1, 10, 100), "up.bias", f(0.5));
    assertTensor(run(g, w, tensor(f(1, 2), 1, 1, 2)), f(10.5, 102.5, 20.5, 200.5), 0, 1, 1, 4);
  }

  @Test
  void linearOverTheLastDimensionOfEveryItem() {
    Graph g = compile("network n { input x: [3]; fc: linear(2) }");
    Weights w = weights(g, "fc.weight", f(1, 2, 3, -1, 0, 1), "fc.bias", f(0, 10));
    assertTensor(run(g, w, tensor(f(1, 1, 1, 1, 2, 3), 2, 3)), f(6, 10, 14, 12), 0, 2, 2);
  }

  @Test
  void matmulOfTwoInputs() {
    Graph g = compile("network n { input a: [2, 3]; input b: [3, 1]; @a; matmul(@b) }");
    var out = new Interpreter(g, Weights.random(g, 0)).run(Map.of(
        "a", tensor(f(1, 2, 3, 4, 5, 6), 1, 2, 3), "b", tensor(f(1, 0, -1), 1, 3, 1)));
    assertTensor(out.values().iterator().next(), f(-2, -2), 0, 1, 2, 1);
  }

  @Test
  void macsAreTheKernelsWorkSizes() {
    Graph g = compile("network n { input x: [1, 3, 3]; c: conv(1, 2); fc: [flatten, linear(5)] }");
    Execution e = new Interpreter(g, Weights.random(g, 1)).execute(Map.of("x", tensor(iota(18), 2, 1, 3, 3)));
    // conv: 2 items x 4 outputs x 4 taps; linear: 2 rows x 4 in x 5 out
    assertEquals(2 * 4 * 4 + 2 * 4 * 5, e.macs());
  }
}

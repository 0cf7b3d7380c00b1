package dev.netc.compiler.interp;

import static dev.netc.compiler.interp.InterpreterNets.assertTensor;
import static dev.netc.compiler.interp.InterpreterNets.compile;
import static dev.netc.compiler.interp.InterpreterNets.f;
import static dev.netc.compiler.interp.InterpreterNets.run;
import static dev.netc.compiler.interp.InterpreterNets.tensor;

import dev.netc.compiler.ir.Graph;
import java.util.Map;
import org.junit.jupiter.api.Test;

/** Activations, scale, softmax and broadcasting sums and products. */
class PointwiseOpsTest {
  private static dev.netc.runtime.Tensor apply(String op, double... values) {
    float[] x = f(values);
    Graph g = compile("network n { input x: [" + x.length + "]; " + op + " }");
    return run(g, Weights.random(g, 0), tensor(x, 1, x.length));
  }

  @Test
  void activations() {
    assertTensor(apply("relu", -1, 0, 2), f(0, 0, 2), 0, 1, 3);
    assertTensor(apply("relu6", -1, 3, 7), f(0, 3, 6), 0, 1, 3);
    assertTensor(apply("leaky_relu(0.1)", -2, 3), f(-0.2, 3), 1e-7, 1, 2);
    assertTensor(apply("elu(2.0)", -1, 3), f(2 * (Math.exp(-1) - 1), 3), 1e-6, 1, 2);
    assertTensor(apply("sigmoid", 0, 2), f(0.5, 1 / (1 + Math.exp(-2))), 1e-7, 1, 2);
    assertTensor(apply("tanh", 0.5), f(Math.tanh(0.5)), 1e-7, 1, 1);
    assertTensor(apply("hardswish", -4, 1, 4), f(0, 1 * 4 / 6.0, 4), 1e-6, 1, 3);
    assertTensor(apply("hardsigmoid", -4, 0, 4), f(0, 0.5, 1), 1e-7, 1, 3);
    assertTensor(apply("silu", 1), f(1 / (1 + Math.exp(-1))), 1e-6, 1, 1);
    assertTensor(apply("gelu", 1), f(0.8413447460685429), 1e-6, 1, 1);
  }

  @Test
  void softplusWithBetaAndThreshold() {
    assertTensor(apply("softplus", 0, 30), f(Math.log(2), 30), 1e-6, 1, 2);
    // beta 2: log(1 + e^(2x)) / 2, linear once 2x > threshold 3
    assertTensor(apply("softplus(beta: 2.0, threshold: 3.0)", 1, 2), f(Math.log1p(Math.exp(2)) / 2, 2), 1e-6, 1, 2);
  }

  @Test
  void scaleMultipliesThenAdds() {
    assertTensor(apply("scale(4.0)", 1, -2), f(4, -8), 0, 1, 2);
    assertTensor(apply("scale(2.0, shift: 1.0)", 1, -2), f(3, -3), 0, 1, 2);
  }

  @Test
  void softmaxAlongTheChannelAxis() {
    Graph g = compile("network n { input x: [2, 2]; softmax(axis: 1) }");
    double a = 1 / (1 + Math.exp(1));
    // per position: softmax over the two channels (x[0, p], x[1, p])
    assertTensor(run(g, Weights.random(g, 0), tensor(f(0, 5, 1, 5), 1, 2, 2)), f(a, 0.5, 1 - a, 0.5), 1e-6, 1, 2, 2);
    Graph l = compile("network n { input x: [2]; log_softmax }");
    assertTensor(run(l, Weights.random(l, 0), tensor(f(0, 0), 1, 2)), f(Math.log(0.5), Math.log(0.5)), 1e-6, 1, 2);
  }

  @Test
  void addAndMulBroadcastSizeOneDims() {
    Graph g = compile("network n { input x: [2, 2, 2]; input s: [2, 1, 1]; @x; add(@s) }");
    var out = new Interpreter(g, Weights.random(g, 0)).run(Map.of("x", tensor(f(1, 2, 3, 4, 5, 6, 7, 8), 1, 2, 2, 2),
        "s", tensor(f(10, 100), 1, 2, 1, 1)));
    assertTensor(out.get("output"), f(11, 12, 13, 14, 105, 106, 107, 108), 0, 1, 2, 2, 2);

    Graph m = compile("network n { input x: [2, 2]; input s: [1, 2]; input t: [2, 2]; @x; mul(@s, @t) }");
    var prod = new Interpreter(m, Weights.random(m, 0)).run(Map.of("x", tensor(f(1, 2, 3, 4), 1, 2, 2),
        "s", tensor(f(2, 3), 1, 1, 2), "t", tensor(f(1, 1, 1, -1), 1, 2, 2)));
    assertTensor(prod.get("output"), f(2, 6, 6, -12), 0, 1, 2, 2);
  }
}

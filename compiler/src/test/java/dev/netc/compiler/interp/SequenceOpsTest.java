package dev.netc.compiler.interp;

import static dev.netc.compiler.interp.InterpreterNets.assertTensor;
import static dev.netc.compiler.interp.InterpreterNets.compile;
import static dev.netc.compiler.interp.InterpreterNets.f;
import static dev.netc.compiler.interp.InterpreterNets.run;
import static dev.netc.compiler.interp.InterpreterNets.tensor;
import static dev.netc.compiler.interp.InterpreterNets.weights;
import static org.junit.jupiter.api.Assertions.assertEquals;

import dev.netc.compiler.ir.Graph;
import java.util.Map;
import org.junit.jupiter.api.Test;

/** Positional encoding, attention and recurrent layers on sizes small enough to follow by hand. */
class SequenceOpsTest {
  private static double sigmoid(double x) { return 1 / (1 + Math.exp(-x)); }

  @Test
  void positionalEncodingAddsSinesAndCosines() {
    Graph g = compile("network n { input x: [3, 4]; positional_encoding }");
    // feature pairs (sin, cos) of pos * 10000^(-2i/4): frequencies 1 and 0.01
    float[] want = new float[12];
    for (int p = 0; p < 3; p++) {
      want[4 * p] = (float) Math.sin(p);
      want[4 * p + 1] = (float) Math.cos(p);
      want[4 * p + 2] = (float) Math.sin(p * 0.01);
      want[4 * p + 3] = (float) Math.cos(p * 0.01);
    }
    assertTensor(run(g, Weights.random(g, 0), tensor(new float[12], 1, 3, 4)), want, 1e-6, 1, 3, 4);
  }

  @Test
  void attentionWithOneHeadAndIdentityProjections() {
    Graph g = compile("network n { input x: [2, 1]; a: attention(1) }");
    Weights w = weights(g, "a.in_proj_weight", f(1, 1, 1), "a.in_proj_bias", f(0, 0, 0), "a.out_proj.weight", f(1),
        "a.out_proj.bias", f(0.25));
    // q = k = v = x = (0, 1): row 0 scores (0, 0) -> mean 0.5; row 1 scores (0, 1) -> e / (1 + e)
    double e = Math.E;
    assertTensor(run(g, w, tensor(f(0, 1), 1, 2, 1)), f(0.5 + 0.25, e / (1 + e) + 0.25), 1e-6, 1, 2, 1);
  }

  @Test
  void attentionHeadsSeeTheirOwnColumns() {
    // two heads of width 1; the second head's values are the first's doubled, the out projection swaps heads
    Graph g = compile("network n { input x: [2, 2]; a: attention(2, bias: false) }");
    Weights w = weights(g, "a.in_proj_weight", f(1, 0, 0, 0, 1, 0, 0, 0, 1, 0, 2, 0), "a.out_proj.weight", f(0, 1, 1, 0));
    // head 0: q = k = v = x0 = (0, 1); head 1: q = k = 0 (uniform weights), v = 2 x0 -> mean 1
    double e = Math.E;
    assertTensor(run(g, w, tensor(f(0, 5, 1, 7), 1, 2, 2)), f(1, 0.5, 1, e / (1 + e)), 1e-6, 1, 2, 2);
  }

  @Test
  void lstmGatesInPyTorchOrder() {
    Graph g = compile("network n { input x: [2, 1]; rnn: lstm(1) }");
    double bi = 0.5, bf = -1, bg = 2, bo = 1;
    Weights w = weights(g, "rnn.weight_ih_l0", f(0, 0, 0, 0), "rnn.weight_hh_l0", f(0, 0, 0, 0),
        "rnn.bias_ih_l0", f(bi, bf, bg, bo), "rnn.bias_hh_l0", f(0, 0, 0, 0));
    double i = sigmoid(bi), fg = sigmoid(bf), gg = Math.tanh(bg), o = sigmoid(bo);
    double c1 = i * gg;
    double c2 = fg * c1 + i * gg;
    assertTensor(run(g, w, tensor(f(3, -3), 1, 2, 1)), f(o * Math.tanh(c1), o * Math.tanh(c2)), 1e-6, 1, 2, 1);
  }

  @Test
  void gruResetGateMultipliesTheHiddenBias() {
    Graph g = compile("network n { input x: [2, 1]; rnn: gru(1) }");
    double br = 1, bz = -0.5, bn = 0.3, bhn = 0.7;
    Weights w = weights(g, "rnn.weight_ih_l0", f(0, 0, 0), "rnn.weight_hh_l0", f(0, 0, 0),
        "rnn.bias_ih_l0", f(br, bz, bn), "rnn.bias_hh_l0", f(0, 0, bhn));
    double r = sigmoid(br), z = sigmoid(bz), n = Math.tanh(bn + r * bhn);
    double h1 = (1 - z) * n;
    double h2 = (1 - z) * n + z * h1;
    assertTensor(run(g, w, tensor(f(1, 2), 1, 2, 1)), f(h1, h2), 1e-6, 1, 2, 1);
  }

  @Test
  void stackedLayersFeedEachOtherAndCountTheirMacs() {
    Graph g = compile("network n { input x: [5, 3]; rnn: lstm(4, layers: 2) }");
    Execution e = new Interpreter(g, Weights.random(g, 3)).execute(Map.of("x", tensor(new float[30], 2, 5, 3)));
    // per item and step: layer 0: 16 x (3 + 4); layer 1: 16 x (4 + 4)
    assertEquals(2L * 5 * (16 * 7 + 16 * 8), e.macs());
  }
}

package dev.netc.compiler.interp;

import static dev.netc.compiler.interp.InterpreterNets.assertTensor;
import static dev.netc.compiler.interp.InterpreterNets.compile;
import static dev.netc.compiler.interp.InterpreterNets.f;
import static dev.netc.compiler.interp.InterpreterNets.run;
import static dev.netc.compiler.interp.InterpreterNets.tensor;
import static dev.netc.compiler.interp.InterpreterNets.weights;

import dev.netc.compiler.ir.Graph;
import org.junit.jupiter.api.Test;

/** Normalizations against their formulas, with statistics simple enough to do by hand. */
class NormOpsTest {
  @Test
  void batchNormUsesTheRunningStatisticsPerChannel() {
    Graph g = compile("network n { input x: [2, 2]; bn: batchnorm(eps: 0.0) }");
    Weights w = weights(g, "bn.weight", f(2, 1), "bn.bias", f(0, 1), "bn.running_mean", f(1, -1),
        "bn.running_var", f(4, 0.25));
    // channel 0: (x - 1) / 2 * 2; channel 1: (x + 1) / 0.5 + 1
    assertTensor(run(g, w, tensor(f(3, 5, 0, 1), 1, 2, 2)), f(2, 4, 3, 5), 1e-6, 1, 2, 2);
  }

  @Test
  void batchNormWithoutAffineAndOnFeatureVectors() {
    Graph g = compile("network n { input x: [2]; bn: batchnorm(affine: false, eps: 0.0) }");
    Weights w = weights(g, "bn.running_mean", f(1, 2), "bn.running_var", f(1, 4));
    assertTensor(run(g, w, tensor(f(2, 2, 0, 6), 2, 2)), f(1, 0, -1, 2), 1e-6, 2, 2);
  }

  @Test
  void layerNormOverTheLastDims() {
    Graph g = compile("network n { input x: [2, 2]; ln: layernorm(dims: 2, affine: false) }");
    // mean 2.5, biased variance 1.25
    double s = Math.sqrt(1.25 + 1e-5);
    assertTensor(run(g, Weights.random(g, 0), tensor(f(1, 2, 3, 4), 1, 2, 2)),
        f(-1.5 / s, -0.5 / s, 0.5 / s, 1.5 / s), 1e-6, 1, 2, 2);
  }

  @Test
  void groupNormNormalizesEachGroupThenScalesEachChannel() {
    Graph g = compile("network n { input x: [4, 1]; gn: groupnorm(2, eps: 0.0) }");
    Weights w = weights(g, "gn.weight", f(1, 2, 3, 4), "gn.bias", f(0, 0, 0, 1));
    // groups {1, 3} and {10, 20}: each becomes {-1, 1}
    assertTensor(run(g, w, tensor(f(1, 3, 10, 20), 1, 4, 1)), f(-1, 2, -3, 5), 1e-6, 1, 4, 1);
  }

  @Test
  void instanceNormNormalizesEachChannelOfEachItem() {
    Graph g = compile("network n { input x: [2, 2]; instancenorm(eps: 0.0) }");
    assertTensor(run(g, Weights.random(g, 0), tensor(f(1, 3, 5, 5.5, 0, 2, -4, -2), 2, 2, 2)),
        f(-1, 1, -1, 1, -1, 1, -1, 1), 1e-6, 2, 2, 2);
  }

  @Test
  void lrnDividesByTheWindowOfSquares() {
    Graph g = compile("network n { input x: [3, 1]; lrn(3, alpha: 3.0, beta: 0.5, k: 1.0) }");
    // channel c: x_c / sqrt(1 + 3/3 * sum of squares of channels c-1..c+1)
    float[] x = f(1, 2, 3);
    float[] want = f(1 / Math.sqrt(1 + 5), 2 / Math.sqrt(1 + 14), 3 / Math.sqrt(1 + 13));
    assertTensor(run(g, Weights.random(g, 0), tensor(x, 1, 3, 1)), want, 1e-6, 1, 3, 1);
  }
}

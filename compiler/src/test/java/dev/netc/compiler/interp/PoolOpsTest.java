package dev.netc.compiler.interp;

import static dev.netc.compiler.interp.InterpreterNets.assertTensor;
import static dev.netc.compiler.interp.InterpreterNets.compile;
import static dev.netc.compiler.interp.InterpreterNets.f;
import static dev.netc.compiler.interp.InterpreterNets.iota;
import static dev.netc.compiler.interp.InterpreterNets.run;
import static dev.netc.compiler.interp.InterpreterNets.tensor;

import dev.netc.compiler.ir.Graph;
import dev.netc.runtime.Tensor;
import java.util.Arrays;
import org.junit.jupiter.api.Test;

/** Windowed pooling (padding, both average divisors, ceil mode, asymmetric padding) and adaptive pooling. */
class PoolOpsTest {
  private static Tensor pool(String op, Tensor x) {
    int[] d = x.shape().dims();
    String shape = Arrays.toString(Arrays.copyOfRange(d, 1, d.length));
    Graph g = compile("network n { input x: " + shape + "; " + op + " }");
    return run(g, Weights.random(g, 0), x);
  }

  private static Tensor ones(int... dims) {
    float[] v = new float[Arrays.stream(dims).reduce(1, (a, b) -> a * b)];
    Arrays.fill(v, 1f);
    return tensor(v, dims);
  }

  @Test
  void maxPoolTakesTheLargestOfEachWindow() {
    assertTensor(pool("maxpool(2)", tensor(iota(16), 1, 1, 4, 4)), f(5, 7, 13, 15), 0, 1, 1, 2, 2);
  }

  @Test
  void averagePoolDivisorsWithAndWithoutPadding() {
    // 3x3 of ones, window 3 / stride 2 / pad 1: every window holds 4 real ones in 9 padded places
    assertTensor(pool("avgpool(3, stride: 2, pad: 1)", ones(1, 1, 3, 3)), f(4 / 9.0, 4 / 9.0, 4 / 9.0, 4 / 9.0), 1e-7,
        1, 1, 2, 2);
    assertTensor(pool("avgpool(3, stride: 2, pad: 1, count_pad: false)", ones(1, 1, 3, 3)), f(1, 1, 1, 1), 1e-7,
        1, 1, 2, 2);
  }

  @Test
  void ceilModeKeepsTheLastPartialWindow() {
    // 3x3 = 0..8, window 2 / stride 2: the second row and column of windows hold one row or column only
    assertTensor(pool("maxpool(2, stride: 2, ceil: true)", tensor(iota(9), 1, 1, 3, 3)), f(4, 5, 7, 8), 0, 1, 1, 2, 2);
    assertTensor(pool("avgpool(2, stride: 2, ceil: true)", tensor(iota(9), 1, 1, 3, 3)), f(2, 3.5, 6.5, 8), 1e-6,
        1, 1, 2, 2);
  }

  @Test
  void asymmetricPaddingPadsOnlyTheEnd() {
    // [[1, 2], [3, 4]] padded at the bottom and right only, window 2 / stride 1
    Tensor x = tensor(f(1, 2, 3, 4), 1, 1, 2, 2);
    assertTensor(pool("avgpool(2, stride: 1, pad: (0, 0, 1, 1))", x), f(2.5, 1.5, 1.75, 1), 1e-7, 1, 1, 2, 2);
    assertTensor(pool("avgpool(2, stride: 1, pad: (0, 0, 1, 1), count_pad: false)", x), f(2.5, 3, 3.5, 4), 1e-7,
        1, 1, 2, 2);
    assertTensor(pool("maxpool(2, stride: 1, pad: (1, 1, 0, 0))", x), f(1, 2, 3, 4), 0, 1, 1, 2, 2);
  }

  @Test
  void pooling1dAnd3d() {
    assertTensor(pool("maxpool(2)", tensor(f(1, 5, 2, 3), 1, 1, 4)), f(5, 3), 0, 1, 1, 2);
    assertTensor(pool("maxpool(2)", tensor(iota(8), 1, 1, 2, 2, 2)), f(7), 0, 1, 1, 1, 1, 1);
  }

  @Test
  void adaptivePoolingUsesUnevenBins() {
    // 3 -> 2 bins: [0, 2) and [1, 3)
    assertTensor(pool("adaptive_avgpool(2)", tensor(f(1, 2, 4), 1, 1, 3)), f(1.5, 3), 1e-7, 1, 1, 2);
    assertTensor(pool("adaptive_maxpool(2)", tensor(f(1, 5, 4), 1, 1, 3)), f(5, 5), 0, 1, 1, 2);
    assertTensor(pool("global_avgpool", tensor(iota(8), 2, 1, 2, 2)), f(1.5, 5.5), 1e-7, 2, 1, 1, 1);
    assertTensor(pool("global_maxpool", tensor(iota(8), 1, 2, 2, 2)), f(3, 7), 0, 1, 2, 1, 1);
  }
}

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
import java.util.Map;
import org.junit.jupiter.api.Test;

/** Concat, slices, shuffle, permute, pad, crop, mean and the views, on index tensors (element = its position). */
class LayoutOpsTest {
  private static Tensor one(String op, Tensor x) {
    int[] d = x.shape().dims();
    Graph g = compile("network n { input x: " + Arrays.toString(Arrays.copyOfRange(d, 1, d.length)) + "; " + op + " }");
    return run(g, Weights.random(g, 0), x);
  }

  @Test
  void concatAlongChannelsAndAlongWidth() {
    Graph g = compile("network n { input a: [1, 2]; input b: [2, 2]; @a; concat(@b) }");
    var out = new Interpreter(g, Weights.random(g, 0)).run(Map.of("a", tensor(f(1, 2, 3, 4), 2, 1, 2),
        "b", tensor(f(5, 6, 7, 8, 9, 10, 11, 12), 2, 2, 2)));
    assertTensor(out.get("output"), f(1, 2, 5, 6, 7, 8, 3, 4, 9, 10, 11, 12), 0, 2, 3, 2);
    Graph w = compile("network n { input a: [2, 1]; input b: [2, 2]; @a; concat(@b, axis: 2) }");
    var wide = new Interpreter(w, Weights.random(w, 0)).run(Map.of("a", tensor(f(1, 2), 1, 2, 1),
        "b", tensor(f(3, 4, 5, 6), 1, 2, 2)));
    assertTensor(wide.get("output"), f(1, 3, 4, 2, 5, 6), 0, 1, 2, 3);
  }

  @Test
  void slicesChunksAndSteps() {
    Tensor x = tensor(iota(8), 1, 4, 2);
    assertTensor(one("slice(1, 3)", x), f(2, 3, 4, 5), 0, 1, 2, 2);
    assertTensor(one("chunk(2, 1)", x), f(4, 5, 6, 7), 0, 1, 2, 2);
    assertTensor(one("slice(0, 4, step: 2)", x), f(0, 1, 4, 5), 0, 1, 2, 2);
    assertTensor(one("slice(1, 2, axis: 2)", x), f(1, 3, 5, 7), 0, 1, 4, 1);
  }

  @Test
  void channelShuffleInterleavesTheGroups() {
    assertTensor(one("channel_shuffle(2)", tensor(iota(4), 1, 4, 1)), f(0, 2, 1, 3), 0, 1, 4, 1);
  }

  @Test
  void permuteAndTranspose() {
    assertTensor(one("transpose(1, 2)", tensor(iota(6), 1, 2, 3)), f(0, 3, 1, 4, 2, 5), 0, 1, 3, 2);
    assertTensor(one("permute(0, 2, 3, 1)", tensor(iota(8), 1, 2, 2, 2)), f(0, 4, 1, 5, 2, 6, 3, 7), 0, 1, 2, 2, 2);
  }

  @Test
  void padAndCrop() {
    assertTensor(one("pad((1, 2), value: 9.0)", tensor(f(1, 2), 1, 1, 2)), f(9, 1, 2, 9, 9), 0, 1, 1, 5);
    // negative padding crops
    assertTensor(one("pad((-1, 0))", tensor(f(1, 2, 3), 1, 1, 3)), f(2, 3), 0, 1, 1, 2);
    Tensor x = tensor(iota(16), 1, 1, 4, 4);
    assertTensor(one("crop(size: 2, offset: (1, 2))", x), f(6, 7, 10, 11), 0, 1, 1, 2, 2);
    assertTensor(one("crop(size: 2)", x), f(5, 6, 9, 10), 0, 1, 1, 2, 2);
  }

  @Test
  void meanOverAxes() {
    Tensor x = tensor(iota(8), 1, 2, 2, 2);
    assertTensor(one("mean((2, 3))", x), f(1.5, 5.5), 1e-7, 1, 2);
    assertTensor(one("mean((2, 3), keepdim: true)", x), f(1.5, 5.5), 1e-7, 1, 2, 1, 1);
    assertTensor(one("mean(1)", x), f(2, 3, 4, 5), 1e-7, 1, 2, 2);
  }

  @Test
  void viewsKeepTheData() {
    Tensor x = tensor(iota(8), 1, 2, 2, 2);
    assertTensor(one("flatten", x), iota(8), 0, 1, 8);
    assertTensor(one("reshape(4, 2)", x), iota(8), 0, 1, 4, 2);
    assertTensor(one("dropout(0.5)", x), iota(8), 0, 1, 2, 2, 2);
  }
}

package dev.netc.compiler.interp;

import static dev.netc.compiler.interp.InterpreterNets.assertTensor;
import static dev.netc.compiler.interp.InterpreterNets.compile;
import static dev.netc.compiler.interp.InterpreterNets.f;
import static dev.netc.compiler.interp.InterpreterNets.iota;
import static dev.netc.compiler.interp.InterpreterNets.run;
import static dev.netc.compiler.interp.InterpreterNets.tensor;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.netc.compiler.ir.Graph;
import dev.netc.runtime.Tensor;
import java.util.Arrays;
import java.util.Map;
import org.junit.jupiter.api.Test;

/** Upsampling (nearest, bilinear both ways, 1-D and 3-D) and the RoI ops. */
class ResampleOpsTest {
  private static Tensor one(String op, Tensor x) {
    int[] d = x.shape().dims();
    Graph g = compile("network n { input x: " + Arrays.toString(Arrays.copyOfRange(d, 1, d.length)) + "; " + op + " }");
    return run(g, Weights.random(g, 0), x);
  }

  @Test
  void nearest() {
    assertTensor(one("upsample(scale: 2)", tensor(f(1, 2), 1, 1, 2)), f(1, 1, 2, 2), 0, 1, 1, 4);
    assertTensor(one("upsample(scale: 2)", tensor(f(1, 2, 3, 4), 1, 1, 2, 2)),
        f(1, 1, 2, 2, 1, 1, 2, 2, 3, 3, 4, 4, 3, 3, 4, 4), 0, 1, 1, 4, 4);
    // 3-D: each of the two depth slices repeated twice, each 1x1 plane blown up to 2x2
    assertTensor(one("upsample(scale: 2)", tensor(f(1, 2), 1, 1, 2, 1, 1)),
        f(1, 1, 1, 1, 1, 1, 1, 1, 2, 2, 2, 2, 2, 2, 2, 2), 0, 1, 1, 4, 2, 2);
    // size 3 from 2: source index floor(o * 2/3)
    assertTensor(one("upsample(size: 3)", tensor(f(1, 2), 1, 1, 2)), f(1, 1, 2), 0, 1, 1, 3);
  }

  @Test
  void bilinearWithAndWithoutAlignedCorners() {
    assertTensor(one("upsample(size: (1, 4), mode: \"bilinear\", align_corners: true)", tensor(f(0, 3), 1, 1, 1, 2)),
        f(0, 1, 2, 3), 1e-6, 1, 1, 1, 4);
    // half-pixel centres: sources max(0.5 (o + 0.5) - 0.5, 0) = 0, 0.25, 0.75, 1.25 (clamped to the last)
    assertTensor(one("upsample(size: (1, 4), mode: \"bilinear\")", tensor(f(0, 4), 1, 1, 1, 2)),
        f(0, 1, 3, 4), 1e-6, 1, 1, 1, 4);
  }

  private static Map<String, Tensor> run2(String op, Tensor x, Tensor boxes, String boxShape) {
    Graph g = compile("network n { input x: [1, 4, 4]; input boxes: unbatched " + boxShape + "; @x; " + op + " }");
    return new Interpreter(g, Weights.random(g, 0)).run(Map.of("x", x, "boxes", boxes));
  }

  @Test
  void roiPoolTakesTheMaximumOfEachBin() {
    Map<String, Tensor> out = run2("roi_pool(@boxes, 2)", tensor(iota(16), 1, 1, 4, 4),
        tensor(f(0, 0, 0, 3, 3, 0, 2, 2, 3, 3), 2, 5), "[2, 5]");
    assertTensor(out.get("output"), f(5, 7, 13, 15, 10, 11, 14, 15), 0, 2, 1, 2, 2);
  }

  @Test
  void roiAlignAveragesBilinearSamples() {
    float[] two = new float[16];
    Arrays.fill(two, 2f);
    Map<String, Tensor> out = run2("roi_align(@boxes, 2, sampling: 2, aligned: true)", tensor(two, 1, 1, 4, 4),
        tensor(f(0, 0.5, 0.5, 3.5, 3.5), 1, 5), "[1, 5]");
    assertTensor(out.get("output"), f(2, 2, 2, 2), 1e-6, 1, 1, 2, 2);
  }

  @Test
  void aBoxNamingAMissingBatchItemIsAUserError() {
    var e = assertThrows(InterpreterException.class, () -> run2("roi_pool(@boxes, 2)", tensor(iota(16), 1, 1, 4, 4),
        tensor(f(1, 0, 0, 3, 3), 1, 5), "[1, 5]"));
    assertTrue(e.getMessage().contains("box 0 names batch item 1.0, but the batch has 1 item"), e.getMessage());
  }
}

package dev.netc.compiler.interp;

import static dev.netc.compiler.interp.InterpreterNets.compile;
import static dev.netc.compiler.interp.InterpreterNets.f;
import static dev.netc.compiler.interp.InterpreterNets.tensor;
import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;

import dev.netc.compiler.analysis.Totals;
import dev.netc.compiler.ir.Graph;
import dev.netc.runtime.Tensor;
import java.util.Arrays;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;

/** The interpreter's contract: inputs by name with checked shapes, batch from the inputs, outputs by name. */
class InterpreterTest {
  private static final Graph TWO_IN = compile("""
      network n {
        input image: [1, 4, 4]
        input boxes: unbatched [2, 5]
        features: [conv(2, 3, pad: 1), relu] -> f
        head pooled { roi_pool(@boxes, 2); flatten; linear(3) }
        head logits { @f; global_avgpool; flatten; fc: linear(4) }
      }""");

  private static final Tensor BOXES = tensor(f(0, 0, 0, 3, 3, 0, 1, 1, 2, 2), 2, 5);

  private static String error(Map<String, Tensor> inputs) {
    return assertThrows(InterpreterException.class, () -> new Interpreter(TWO_IN, Weights.random(TWO_IN, 0)).run(inputs))
        .getMessage();
  }

  @Test
  void badInputsAreUserErrorsThatSayWhatWasExpected() {
    Tensor image = tensor(new float[16], 1, 1, 4, 4);
    assertEquals("missing input 'boxes'; the network's inputs: image [N, 1, 4, 4], boxes [2, 5]",
        error(Map.of("image", image)));
    assertEquals("network n has no input 'img'; its inputs: image [N, 1, 4, 4], boxes [2, 5]",
        error(Map.of("img", image, "boxes", BOXES)));
    assertEquals("input 'image': expected [N, 1, 4, 4], got [1, 4, 4] (batch first, then [1, 4, 4])",
        error(Map.of("image", tensor(new float[16], 1, 4, 4), "boxes", BOXES)));
    assertEquals("input 'boxes': expected [2, 5], got [1, 2, 5]",
        error(Map.of("image", image, "boxes", tensor(new float[10], 1, 2, 5))));
    assertEquals("input 'image': expected [N, 1, 4, 4], got [0, 1, 4, 4] (batch first, then [1, 4, 4])",
        error(Map.of("image", tensor(new float[0], 0, 1, 4, 4), "boxes", BOXES)));
  }

  @Test
  void batchedInputsMustAgreeOnTheBatch() {
    Graph g = compile("network n { input a: [2]; input b: [2]; @a; add(@b) }");
    var e = assertThrows(InterpreterException.class, () -> new Interpreter(g, Weights.random(g, 0))
        .run(Map.of("a", tensor(new float[4], 2, 2), "b", tensor(new float[6], 3, 2))));
    assertEquals("input 'b' has batch size 3 but input 'a' has 2", e.getMessage());
  }

  @Test
  void outputsComeByNameInTheGraphsOrder() {
    var out = new Interpreter(TWO_IN, Weights.random(TWO_IN, 0))
        .run(Map.of("image", tensor(new float[16], 1, 1, 4, 4), "boxes", BOXES));
    assertEquals(List.of("pooled", "logits"), List.copyOf(out.keySet()));
    assertArrayEquals(new int[] {2, 3}, out.get("pooled").shape().dims());
    assertArrayEquals(new int[] {1, 4}, out.get("logits").shape().dims());
  }

  @Test
  void weightsOfAnotherGraphAreRefused() {
    Graph other = compile("network n { input x: [1, 4, 4]; features: [conv(3, 3), relu] }");
    var e = assertThrows(InterpreterException.class, () -> new Interpreter(TWO_IN, Weights.random(other, 0)));
    assertEquals("features.0.weight: expected [2, 1, 3, 3], got [3, 1, 3, 3]", e.getMessage());
    Graph fewer = compile("network n { input x: [1, 4, 4]; features: [conv(2, 3, pad: 1), relu] }");
    var missing = assertThrows(InterpreterException.class, () -> new Interpreter(TWO_IN, Weights.random(fewer, 0)));
    assertEquals("the weights have no tensor named \"3.weight\"", missing.getMessage());
  }

  @Test
  void aBatchIsTheSameAsItsItemsOneByOne() {
    Graph g = compile("""
        network n {
          input x: [2, 6, 6]
          conv(4, 3, stride: 2, pad: 1); batchnorm; relu; maxpool(2, ceil: true)
          residual { conv(4, 1) }
          head out { adaptive_avgpool(2); flatten; linear(3); softmax }
        }""");
    Interpreter it = new Interpreter(g, Weights.random(g, 5));
    float[] x = new float[3 * 72];
    for (int i = 0; i < x.length; i++) x[i] = (float) Math.sin(i);
    Tensor batch = it.run(Map.of("x", tensor(x, 3, 2, 6, 6))).get("out");
    for (int b = 0; b < 3; b++) {
      Tensor one = it.run(Map.of("x", tensor(Arrays.copyOfRange(x, b * 72, (b + 1) * 72), 1, 2, 6, 6))).get("out");
      assertArrayEquals(one.data(), Arrays.copyOfRange(batch.data(), b * 3, (b + 1) * 3), "item " + b);
    }
  }

  @Test
  void everyNodeReportsItsShapeAndItsMacsMatchTheCostModel() {
    Execution e = new Interpreter(TWO_IN, Weights.random(TWO_IN, 0))
        .execute(Map.of("image", tensor(new float[32], 2, 1, 4, 4), "boxes", BOXES));
    assertEquals(2, e.batch());
    for (Execution.NodeRun r : e.nodes()) {
      assertEquals(Totals.cost(TWO_IN, r.node(), 2).macs(), r.macs(), r.node().path());
    }
    assertEquals(Totals.of(TWO_IN, 2).macs(), e.macs());
  }
}

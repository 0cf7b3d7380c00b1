package dev.netc.compiler.emit.java;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTimeoutPreemptively;

import dev.netc.compiler.interp.InterpreterException;
import dev.netc.compiler.interp.Weights;
import dev.netc.compiler.ir.Graph;
import dev.netc.runtime.InputException;
import dev.netc.runtime.Shape;
import dev.netc.runtime.Tensor;
import java.io.IOException;
import java.time.Duration;
import java.util.LinkedHashMap;
import java.util.Map;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

/**
 * Hostile boxes for {@code roi_align} and {@code roi_pool}, in generated code and in the interpreter: the same
 * message for a box that names no batch item or has a coordinate that is not finite (an {@link InputException} from
 * generated code, which {@code netc run} reports in one line), and the same answer within seconds for a box of a
 * million pixels.
 */
class RoiInputsTest {
  private static final String NET = """
      network n {
        input image: [2, 8, 8]
        input boxes: unbatched [2, 5]
        head a { @image; align: roi_align(@boxes, 3, scale: 0.5) }
        head p { @image; pool: roi_pool(@boxes, 2, scale: 0.5) }
      }
      """;

  private static String only(String layer) {
    return NET.replace(layer.equals("align") ? "head p { @image; pool: roi_pool(@boxes, 2, scale: 0.5) }\n" :
        "head a { @image; align: roi_align(@boxes, 3, scale: 0.5) }\n", "");
  }

  private static Map<String, Tensor> inputs(float... boxes) {
    Map<String, Tensor> in = new LinkedHashMap<>();
    float[] image = new float[2 * 2 * 8 * 8];
    for (int i = 0; i < image.length; i++) image[i] = (i % 13) / 13f;
    in.put("image", new Tensor(Shape.of(2, 2, 8, 8), image));
    in.put("boxes", new Tensor(Shape.of(2, 5), boxes));
    return in;
  }

  @ParameterizedTest(name = "{0}")
  @ValueSource(strings = {"align batch 2", "align batch -1", "pool batch 0.5", "align batch NaN", "align x1 Infinity",
      "pool y2 -Infinity", "align x2 NaN", "pool y1 3e9"})
  void aBadBoxIsTheSameOneLineErrorInBothPaths(String hostile) throws IOException {
    String[] kv = hostile.split(" ");
    int col = switch (kv[1]) { case "batch" -> 0; case "x1" -> 1; case "y1" -> 2; case "x2" -> 3; default -> 4; };
    float[] boxes = {0, 0, 0, 4, 4, 1, 1, 1, 6, 6};
    boxes[5 + col] = Float.parseFloat(kv[2]);
    Graph g = Generated.graph(only(kv[0]));
    Weights w = Weights.random(g, 1);
    CompiledNetwork net = Generated.compile(g);
    Object model = net.load(Generated.save(w));
    InputException compiled = assertThrows(InputException.class,
        () -> Generated.run(net, model, g, 2, 1, inputs(boxes)));
    InterpreterException interpreted = assertThrows(InterpreterException.class,
        () -> Generated.interpret(g, w, inputs(boxes)));
    assertEquals(interpreted.getMessage(), compiled.getMessage());
    String want = col == 0
        ? kv[0] + ": box 1 names batch item " + boxes[5] + ", but the batch has 2 items (0..1)"
        : kv[0] + ": box 1 has " + kv[1] + " = " + boxes[5 + col] + " (× scale 0.5 = " + boxes[5 + col] * 0.5f + "), "
            + "not a finite coordinate within ±2^30";
    assertEquals(want, compiled.getMessage());
  }

  @ParameterizedTest(name = "box to {0}")
  @ValueSource(floats = {1e6f, 1e8f, -1e9f})
  void aHugeBoxIsAnsweredWithinSecondsAlikeInBothPaths(float far) throws IOException {
    Graph g = Generated.graph(NET);
    Weights w = Weights.random(g, 2);
    CompiledNetwork net = Generated.compile(g);
    Object model = net.load(Generated.save(w));
    Map<String, Tensor> in = inputs(0, 0, 0, far, far, 1, -far, 2, far, 5);
    float[][] got = assertTimeoutPreemptively(Duration.ofSeconds(10), () -> Generated.run(net, model, g, 2, 1, in));
    float[][] want = assertTimeoutPreemptively(Duration.ofSeconds(10), () -> Generated.interpret(g, w, in));
    Generated.assertClose("huge box", want, got, 0, 0);
  }
}

package dev.netc.suite;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.netc.compiler.Compilation;
import dev.netc.compiler.interp.Interpreter;
import dev.netc.compiler.interp.Weights;
import dev.netc.compiler.ir.Graph;
import dev.netc.runtime.Tensor;
import dev.netc.runtime.io.SafeTensorsWriter;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import java.util.Random;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * The stdlib SegNet run whole: its generated Java against the interpreter on seeded random weights (the max unpooling
 * semantics themselves are checked against PyTorch by the reference case {@code unpooling}), at an odd size where
 * every unpooling needs the pooling's input size: 40x56 pools to 20x28, 10x14, 5x7, 2x3 and 1x1.
 */
class SegnetTest {
  @TempDir
  Path dir;

  @Test
  void generatedCodeMatchesTheInterpreterAtAnOddSize() throws Exception {
    Compilation.Network n = GeneratedConformanceTest.network(Repo.root().resolve("stdlib-models/segnet.net"), "segnet")
        .resized(Map.of("image", List.of(3, 40, 56)));
    Graph g = n.graph();
    Weights w = Weights.random(g, 3);
    Path file = dir.resolve("segnet.safetensors");
    SafeTensorsWriter out = new SafeTensorsWriter();
    w.tensors().forEach(out::put);
    out.write(file);
    float[] x = new float[2 * 3 * 40 * 56];
    Random r = new Random(17);
    for (int i = 0; i < x.length; i++) x[i] = (float) r.nextGaussian();
    Tensor input = Tensor.of(x, 2, 3, 40, 56);
    Tensor want = new Interpreter(g, w).run(Map.of("image", input)).get("output");
    assertEquals(List.of(2, 11, 40, 56), java.util.Arrays.stream(want.shape().dims()).boxed().toList());
    long nonZero = 0;
    for (float v : want.data()) if (v != 0) nonZero++;
    assertTrue(nonZero > want.data().length / 2, "the decoder's convolutions densify the unpooled maps");
    GeneratedConformanceTest.check("segnet", n, file, List.of(input), List.of(want));
  }
}

package dev.netc.compiler.emit.java;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;

import dev.netc.compiler.interp.Weights;
import dev.netc.compiler.ir.Graph;
import dev.netc.runtime.InputException;
import dev.netc.runtime.Tensor;
import java.io.IOException;
import java.util.Map;
import java.util.SplittableRandom;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;
import org.junit.jupiter.api.Test;

/**
 * Generated code for embedding, positional_embedding and l2norm against the interpreter, on random weights and
 * random valid token ids (the shared random inputs are floats in [-1, 1), which are not ids), at batch 1 and 3;
 * and the generated id check.
 */
class GatherStepsTest {
  private static final String TOKENS = """
      network bertish {
        input ids: [6]
        input types: [6]
        @types; tt: embedding(2, 16) -> t
        @ids; word: embedding(23, 16); add(@t)
        pos: positional_embedding(8)
        LayerNorm: layernorm(eps: 1e-12)
        layers: seq { attention(4); linear(16) }
        head pooled { slice(0, 1, axis: 1); flatten; dense: linear(16); tanh }
        head seq { embedding_grid: identity }
      }
      """;
  private static final String L2 = """
      network ssdish {
        input image: [3, 9, 9]
        conv(24, 3, pad: 1); relu -> c
        L2Norm: l2norm
        loc: conv(8, 3, pad: 1)
        head a { identity }
        head b { @c; conv(16, 3, stride: 2); relu; l2norm(affine: false, eps: 1e-6) }
      }
      """;

  @ParameterizedTest(name = "batch {0}")
  @ValueSource(ints = {1, 3})
  void tokensMatchTheInterpreter(int batch) throws IOException {
    Graph g = Generated.graph(TOKENS);
    Weights w = Weights.random(g, 5);
    CompiledNetwork net = Generated.compile(g);
    Object model = net.load(Generated.save(w));
    Map<String, Tensor> in = Generated.inputs(g, batch, 6);
    ids(in.get("ids"), 23, 7);
    ids(in.get("types"), 2, 8);
    Generated.assertClose("tokens", Generated.interpret(g, w, in), Generated.run(net, model, g, batch, 2, in), 1e-4, 1e-3);
  }

  @ParameterizedTest(name = "batch {0}")
  @ValueSource(ints = {1, 3})
  void l2normMatchesTheInterpreter(int batch) {
    Generated.checkAgainstInterpreter("l2norm", Generated.graph(L2), batch, 21);
  }

  @Test
  void anIdOutsideTheTableThrowsNamingLayerItemAndPosition() throws IOException {
    Graph g = Generated.graph("network e { input ids: [4]; emb: embedding(5, 3) }");
    CompiledNetwork net = Generated.compile(g);
    Object model = net.load(Generated.save(Weights.random(g, 1)));
    Map<String, Tensor> in = Map.of("ids", new Tensor(dev.netc.runtime.Shape.of(2, 4), new float[] {0, 1, 2, 3, 4, 5, 0, 0}));
    InputException e = assertThrows(InputException.class, () -> Generated.run(net, model, g, 2, 1, in));
    assertEquals("emb: token id 5.0 (item 1, position 1) is not an integer in [0, 5)", e.getMessage());
    Map<String, Tensor> frac = Map.of("ids", new Tensor(dev.netc.runtime.Shape.of(1, 4), new float[] {0, 0.5f, 0, 0}));
    assertThrows(InputException.class, () -> Generated.run(net, model, g, 1, 1, frac));
  }

  /** Overwrites a tensor with random integer ids in [0, num). */
  private static void ids(Tensor t, int num, long seed) {
    SplittableRandom r = new SplittableRandom(seed);
    for (int i = 0; i < t.data().length; i++) t.data()[i] = r.nextInt(num);
  }
}

package dev.netc.compiler.interp;

import static dev.netc.compiler.interp.InterpreterNets.assertTensor;
import static dev.netc.compiler.interp.InterpreterNets.compile;
import static dev.netc.compiler.interp.InterpreterNets.f;
import static dev.netc.compiler.interp.InterpreterNets.run;
import static dev.netc.compiler.interp.InterpreterNets.tensor;
import static dev.netc.compiler.interp.InterpreterNets.weights;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;

import dev.netc.compiler.ir.Graph;
import java.util.LinkedHashMap;
import java.util.Map;
import org.junit.jupiter.api.Test;

/** Embedding lookups, learned positions and the L2 norm against results worked out by hand. */
class GatherOpsTest {
  private static final Graph EMBED = compile("network n { input ids: [3]; emb: embedding(4, 2) }");
  // row r = (10 r, 10 r + 1)
  private static final Weights TABLE = weights(EMBED, "emb.weight", f(0, 1, 10, 11, 20, 21, 30, 31));

  @Test
  void embeddingCopiesTheRowOfEachId() {
    assertTensor(run(EMBED, TABLE, tensor(f(2, 0, 3, 1, 1, 2), 2, 3)),
        f(20, 21, 0, 1, 30, 31, 10, 11, 10, 11, 20, 21), 0, 2, 3, 2);
  }

  @Test
  void anIdPastTheTableIsAnErrorNamingTheLayerAndPosition() {
    InterpreterException e = assertThrows(InterpreterException.class, () -> run(EMBED, TABLE, tensor(f(0, 1, 2, 3, 4, 0), 2, 3)));
    assertEquals("emb: embedding: token id 4.0 (item 1, position 1) is not an integer in [0, 4)", e.getMessage());
  }

  @Test
  void negativeFractionalAndNanIdsAreErrors() {
    for (float bad : new float[] {-1f, 1.5f, Float.NaN, Float.POSITIVE_INFINITY}) {
      assertThrows(InterpreterException.class, () -> run(EMBED, TABLE, tensor(f(0, bad, 1), 1, 3)), "id " + bad);
    }
  }

  @Test
  void positionalEmbeddingAddsTheFirstRowsToEveryItem() {
    Graph g = compile("network n { input x: [2, 2]; pos: positional_embedding(3) }");
    Weights w = weights(g, "pos.weight", f(1, 2, 3, 4, 100, 200));
    // rows 0 and 1 of the table ((1, 2), (3, 4)) added to each of two items; row 2 unused
    assertTensor(run(g, w, tensor(f(0, 0, 0, 0, 10, 20, 30, 40), 2, 2, 2)), f(1, 2, 3, 4, 11, 22, 33, 44), 0,
        2, 2, 2);
  }

  @Test
  void tokenTypesAndPositionsSumLikeBertsEmbeddings() {
    Graph g = compile("""
        network n {
          input ids: [2]
          input types: [2]
          @types; tt: embedding(2, 2) -> t
          @ids; word: embedding(3, 2); add(@t)
          pos: positional_embedding(4)
        }
        """);
    Weights w = weights(g, "tt.weight", f(0, 0, 100, 100), "word.weight", f(1, 2, 3, 4, 5, 6),
        "pos.weight", f(10, 20, 30, 40, 0, 0, 0, 0));
    Map<String, dev.netc.runtime.Tensor> in = new LinkedHashMap<>();
    in.put("ids", tensor(f(2, 0), 1, 2));
    in.put("types", tensor(f(0, 1), 1, 2));
    // position 0: word 2 (5, 6) + type 0 (0, 0) + (10, 20); position 1: word 0 (1, 2) + type 1 (100, 100) + (30, 40)
    assertTensor(new Interpreter(g, w).run(in).values().iterator().next(), f(15, 26, 131, 142), 0, 1, 2, 2);
  }

  @Test
  void l2normDividesByTheNormAcrossChannelsThenScales() {
    Graph g = compile("network n { input x: [2, 2]; L2Norm: l2norm(eps: 0.0) }");
    Weights w = weights(g, "L2Norm.weight", f(1, 10));
    // position 0: (3, 4) / 5 = (0.6, 0.8); position 1: (0, -2) / 2 = (0, -1); channel 1 scaled by 10
    assertTensor(run(g, w, tensor(f(3, 0, 4, -2), 1, 2, 2)), f(0.6, 0, 8, -10), 1e-6, 1, 2, 2);
  }

  @Test
  void l2normAddsEpsToTheNorm() {
    Graph g = compile("network n { input x: [1, 1]; l2norm(eps: 1.0, affine: false) }");
    // 2 / (|2| + 1)
    assertTensor(run(g, Weights.random(g, 0), tensor(f(2), 1, 1, 1)), f(2.0 / 3), 1e-6, 1, 1, 1);
  }
}

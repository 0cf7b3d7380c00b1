package dev.netc.compiler.emit.java;

import static dev.netc.compiler.emit.java.Helpers.FLOATS;
import static dev.netc.compiler.emit.java.RuntimeTypes.EMBEDDINGS;
import static dev.netc.compiler.emit.java.RuntimeTypes.NORMS;
import static dev.netc.compiler.emit.java.RuntimeTypes.POSITIONAL_ENCODING;

import com.palantir.javapoet.CodeBlock;
import dev.netc.compiler.ir.Embedding;
import dev.netc.compiler.ir.L2Norm;
import dev.netc.compiler.ir.PositionalEmbedding;
import dev.netc.compiler.ir.TensorType;
import dev.netc.runtime.InputException;

/**
 * Steps that read a learned table by position or by token id, or gather across channels, each by the runtime's
 * kernel on NCHW: {@code embedding} (a row copy per id, the id checked first), {@code positional_embedding} (the
 * table's first {@code T} rows added to every item), and {@code l2norm} (its per-position norms in the session's
 * scratch).
 */
final class GatherSteps {
  private GatherSteps() {}

  /**
   * {@code out[i, :] = weight[id_i, :]} for every id of every item; an id that is not an integer in
   * {@code [0, num)} throws {@link InputException} naming the layer, the item and the position.
   */
  static CodeBlock embedding(StepContext s, Embedding op) {
    s.requireNchw();
    TensorType ids = s.inType(0);
    int perItem = Math.toIntExact(ids.elements());
    String table = s.parts().modelField(FLOATS, s.baseName() + "Weight", s.step().comment(),
        StepContext.tensor(s.param(0, "weight")));
    return CodeBlock.builder().addStatement("$T.lookup($N, $L, $L, $L, $L, $L, $L, $S)", EMBEDDINGS, table, op.num(),
        op.dim(), s.at(0), Memory.scaled(perItem, ids.batched()), perItem, s.outAt(), s.node().path()).build();
  }

  /** {@code y[b] = x[b] + weight[0..T)}: the table's first T rows are its first T·E floats. */
  static CodeBlock positionalEmbedding(StepContext s, PositionalEmbedding op) {
    s.requireNchw();
    TensorType x = s.inType(0);
    String table = s.parts().modelField(FLOATS, s.baseName() + "Weight", s.step().comment(),
        StepContext.tensor(s.param(0, "weight")));
    return CodeBlock.builder().addStatement("$T.add($L, $N, $L, $L, $L, $L)", POSITIONAL_ENCODING, s.at(0), table,
        s.outAt(), Memory.items(x), x.dim(0), x.dim(1)).build();
  }

  /**
   * The runtime's {@code Norms.l2Norm} over NCHW, its per-position sums in the session's scratch (the forward pass
   * allocates nothing).
   */
  static CodeBlock l2norm(StepContext s, L2Norm op) {
    s.requireNchw();
    TensorType t = s.inType(0);
    int sp = StepContext.spatial(t);
    s.parts().needScratch(0, sp);
    CodeBlock weight = op.affine() ? CodeBlock.of("$N", s.parts().modelField(FLOATS, s.baseName() + "Weight",
        s.step().comment(), StepContext.tensor(s.param(0, "weight")))) : CodeBlock.of("null");
    return CodeBlock.builder().addStatement("$T.l2Norm($L, $L, $L, $L, $L, $L, $Lf, $N)", NORMS, s.at(0), s.outAt(),
        Memory.items(t), t.dim(0), sp, weight, (float) op.eps(), Memory.SCRATCH).build();
  }
}

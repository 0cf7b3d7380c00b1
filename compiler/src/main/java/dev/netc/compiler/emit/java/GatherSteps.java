package dev.netc.compiler.emit.java;

import static dev.netc.compiler.emit.java.Helpers.FLOATS;

import com.palantir.javapoet.ClassName;
import com.palantir.javapoet.CodeBlock;
import dev.netc.compiler.ir.Embedding;
import dev.netc.compiler.ir.L2Norm;
import dev.netc.compiler.ir.PositionalEmbedding;
import dev.netc.compiler.ir.TensorType;
import dev.netc.runtime.InputException;

/**
 * Steps that read a learned table by position or by token id, or gather across channels: {@code embedding} (a row
 * copy per id, the id checked first), {@code positional_embedding} (the table's first {@code T} rows added to every
 * item), and {@code l2norm} (the runtime's kernel, its per-position norms in the session's scratch). All read and
 * write NCHW; the embedding loop is written out here (every extent but the batch is a constant), its locals in its
 * own loop so that two such steps in one method cannot clash.
 */
final class GatherSteps {
  private static final ClassName PE = ClassName.get("dev.netc.runtime.kernels", "PositionalEncoding");
  private static final ClassName NORMS = ClassName.get("dev.netc.runtime.kernels", "Norms");

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
    CodeBlock in = s.mem().array(s.in(0));
    CodeBlock inOff = s.mem().offset(s.in(0));
    CodeBlock out = s.mem().array(s.out());
    CodeBlock outOff = s.mem().offset(s.out());
    String value = s.parts().names.newName("tokenValue");
    String id = s.parts().names.newName("tokenId");
    return CodeBlock.builder()
        .beginControlFlow("for (int i0 = 0; i0 < $L; i0++)", Memory.scaled(perItem, ids.batched()))
        .addStatement("float $N = $L[$L + i0]", value, in, inOff)
        .addStatement("int $N = (int) $N", id, value)
        // (int) NaN is 0, so a NaN fails the first test; a fraction or an infinity too.
        .beginControlFlow("if ($N != $N || $N < 0 || $N >= $L)", id, value, id, id, op.num())
        .addStatement("throw new $T($S + $N + $S + i0 / $L + $S + i0 % $L + $S)", InputException.class,
            s.node().path() + ": token id ", value, " (item ", perItem, ", position ", perItem,
            ") is not an integer in [0, " + op.num() + ")")
        .endControlFlow()
        .addStatement("System.arraycopy($N, $N * $L, $L, $L + i0 * $L, $L)", table, id, op.dim(), out, outOff, op.dim(),
            op.dim())
        .endControlFlow()
        .build();
  }

  /** {@code y[b] = x[b] + weight[0..T)}: the table's first T rows are its first T·E floats. */
  static CodeBlock positionalEmbedding(StepContext s, PositionalEmbedding op) {
    s.requireNchw();
    TensorType x = s.inType(0);
    String table = s.parts().modelField(FLOATS, s.baseName() + "Weight", s.step().comment(),
        StepContext.tensor(s.param(0, "weight")));
    return CodeBlock.builder().addStatement("$T.add($L, $N, $L, $L, $L, $L)", PE, s.at(0), table, s.outAt(),
        Memory.items(x), x.dim(0), x.dim(1)).build();
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
        Memory.items(t), t.dim(0), sp, weight, (float) op.eps(), "scratch").build();
  }
}

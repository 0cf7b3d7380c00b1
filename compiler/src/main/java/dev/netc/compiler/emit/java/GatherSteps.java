package dev.netc.compiler.emit.java;

import static dev.netc.compiler.emit.java.Helpers.FLOATS;

import com.palantir.javapoet.ClassName;
import com.palantir.javapoet.CodeBlock;
import dev.netc.compiler.ir.Embedding;
import dev.netc.compiler.ir.L2Norm;
import dev.netc.compiler.ir.PositionalEmbedding;
import dev.netc.compiler.ir.TensorType;
import dev.netc.runtime.InputException;
import java.util.Arrays;

/**
 * Steps that read a learned table by position or by token id: {@code embedding} (a row copy per id, the id
 * checked first), {@code positional_embedding} (the table's first {@code T} rows added to every item), and
 * {@code l2norm}, whose per-position norm is gathered across channels into the session's scratch before the
 * per-channel scale is applied. All read and write NCHW; the loops are written out here (every extent but the
 * batch is a constant) because the runtime has no kernel for them, and each step's locals live in its own loop
 * so that two such steps in one method cannot clash.
 */
final class GatherSteps {
  private static final ClassName PE = ClassName.get("dev.netc.runtime.kernels", "PositionalEncoding");

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
   * Per item: squares summed over channels in channel order into {@code scratch[0..P)} (P positions), then
   * {@code n = sqrt(sum) + eps}, then {@code y = x / n * weight[c]} — the interpreter's order, in float.
   */
  static CodeBlock l2norm(StepContext s, L2Norm op) {
    s.requireNchw();
    TensorType t = s.inType(0);
    int c = t.dim(0);
    int sp = StepContext.spatial(t);
    long item = (long) c * sp;
    s.parts().needScratch(0, sp);
    String weight = op.affine() ? s.parts().modelField(FLOATS, s.baseName() + "Weight", s.step().comment(),
        StepContext.tensor(s.param(0, "weight"))) : null;
    CodeBlock x = s.mem().array(s.in(0));
    CodeBlock y = s.mem().array(s.out());
    String xBase = s.parts().names.newName("xBase");
    String yBase = s.parts().names.newName("yBase");
    String v = s.parts().names.newName("value");
    String w = s.parts().names.newName("scale");
    CodeBlock.Builder b = CodeBlock.builder()
        .beginControlFlow("for (int i0 = 0; i0 < $L; i0++)", Memory.items(t))
        .addStatement("int $N = $L + i0 * $L", xBase, s.mem().offset(s.in(0)), item)
        .addStatement("int $N = $L + i0 * $L", yBase, s.mem().offset(s.out()), item)
        .addStatement("$T.fill($N, 0, $L, 0f)", Arrays.class, "scratch", sp)
        .beginControlFlow("for (int i1 = 0; i1 < $L; i1++)", c)
        .beginControlFlow("for (int i2 = 0; i2 < $L; i2++)", sp)
        .addStatement("float $N = $L[$N + i1 * $L + i2]", v, x, xBase, sp)
        .addStatement("$N[i2] += $N * $N", "scratch", v, v)
        .endControlFlow()
        .endControlFlow()
        .beginControlFlow("for (int i2 = 0; i2 < $L; i2++)", sp)
        .addStatement("$N[i2] = (float) Math.sqrt($N[i2]) + $Lf", "scratch", "scratch", (float) op.eps())
        .endControlFlow()
        .beginControlFlow("for (int i1 = 0; i1 < $L; i1++)", c)
        .addStatement("float $N = $L", w, weight == null ? CodeBlock.of("1f") : CodeBlock.of("$N[i1]", weight))
        .beginControlFlow("for (int i2 = 0; i2 < $L; i2++)", sp)
        .addStatement("$L[$N + i1 * $L + i2] = $L[$N + i1 * $L + i2] / $N[i2] * $N", y, yBase, sp, x, xBase, sp,
            "scratch", w)
        .endControlFlow()
        .endControlFlow()
        .endControlFlow();
    return b.build();
  }
}

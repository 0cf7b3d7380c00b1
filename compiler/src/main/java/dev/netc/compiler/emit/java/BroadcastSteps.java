package dev.netc.compiler.emit.java;

import static dev.netc.compiler.emit.java.Helpers.FLOATS;
import static dev.netc.compiler.emit.java.RuntimeTypes.SLICES;

import com.palantir.javapoet.ClassName;
import com.palantir.javapoet.CodeBlock;
import dev.netc.compiler.ir.Broadcast;
import dev.netc.compiler.ir.Concat;
import dev.netc.compiler.ir.Rules;
import dev.netc.compiler.ir.TensorType;
import dev.netc.compiler.plan.Plan.Buffer;

/**
 * Learned tensors and PyTorch's general broadcasting in NCHW: a {@code param} step copies its weights into its
 * buffer; add, sub, mul and div with an operand of another rank or without a batch run the runtime's
 * {@code BroadcastBinary} (its geometry a constant made when the class loads); a concat repeats an unbatched
 * {@code [1, ...]} input over the batch.
 */
final class BroadcastSteps {
  static final ClassName BINARY = ClassName.get("dev.netc.runtime.kernels", "BroadcastBinary");

  private BroadcastSteps() {}

  /** The learned tensor's weights, loaded once, copied into the step's buffer. */
  static CodeBlock learned(StepContext s) {
    String field = s.parts().modelField(FLOATS, s.baseName() + "Param", s.step().comment(),
        StepContext.tensor(s.node().params().getFirst()));
    return CodeBlock.builder().addStatement("System.arraycopy($N, 0, $L, $L)", field, s.outAt(),
        Memory.length(s.out())).build();
  }

  /** Whether an add or mul needs the general rule: an operand without a batch, or of another rank. */
  static boolean general(StepContext s) {
    return s.ins().stream().anyMatch(b -> Broadcast.general(b.type(), s.outType()));
  }

  /** {@code ((in0 op in1) op in2) ...}, each step over the whole output shape. */
  static CodeBlock combine(StepContext s, String kind) {
    s.requireNchw();
    TensorType out = s.outType();
    int rank = out.rank();
    CodeBlock.Builder b = CodeBlock.builder();
    for (int i = 1; i < s.ins().size(); i++) {
      TensorType left = i == 1 ? s.inType(0) : out;
      TensorType right = s.inType(i);
      String op = s.parts().constant(BINARY, s.baseName() + "Broadcast", CodeBlock.of("$T.of($T.$L, $L, $L, $L, $L, $L)",
          BINARY, BINARY.nestedClass("Kind"), kind, DataSteps.ints(Broadcast.aligned(left, rank)), left.batched(),
          DataSteps.ints(Broadcast.aligned(right, rank)), right.batched(), DataSteps.ints(out)));
      b.addStatement("$N.run($L, $L, $L, $L)", op, Memory.items(out), i == 1 ? s.at(0) : s.outAt(), s.at(i),
          s.outAt());
    }
    return b.build();
  }

  /** Whether a concat repeats an unbatched input over the batch. */
  static boolean expands(StepContext s) {
    return s.outType().batched() && s.ins().stream().anyMatch(b -> !b.type().batched());
  }

  /** A concat whose unbatched {@code [1, ...]} inputs are copied into every item. */
  static CodeBlock concat(StepContext s, Concat op) {
    s.requireNchw();
    TensorType out = s.outType();
    int a = Rules.shapeAxis("concat", out, op.axis());
    long outer = product(out, 0, a);
    long inner = product(out, a + 1, out.rank());
    CodeBlock.Builder b = CodeBlock.builder();
    int at = 0;
    for (int i = 0; i < s.ins().size(); i++) {
      Buffer in = s.in(i);
      TensorType t = in.type().batched() ? in.type() : TensorType.batched(in.type().shape().drop(1));
      int n = t.dim(a);
      if (in.type().batched()) {
        b.addStatement("$T.copy($L, $L, 0, $L, $L, $L, $L, $L, $L)", SLICES, s.at(i), n, s.outAt(), out.dim(a), at, n,
            Memory.scaled(outer, true), inner);
      } else {
        // The loop variable has a '$': no name derived from a layer or input can be it.
        b.beginControlFlow("for (int item$$ = 0; item$$ < $N; item$$++)", Memory.BATCH)
            .addStatement("$T.copy($L, $L, 0, $L, $L + item$$ * $L, $L, $L, $L, $L, $L)", SLICES, s.at(i), n,
                s.mem().array(s.out()), s.mem().offset(s.out()), out.elements(), out.dim(a), at, n, outer, inner)
            .endControlFlow();
      }
      at += n;
    }
    return b.build();
  }

  private static long product(TensorType t, int from, int to) {
    long p = 1;
    for (int d = from; d < to; d++) p *= t.dim(d);
    return p;
  }
}

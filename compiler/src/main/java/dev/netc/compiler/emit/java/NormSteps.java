package dev.netc.compiler.emit.java;

import static dev.netc.compiler.emit.java.Helpers.FLOATS;
import static dev.netc.compiler.emit.java.RuntimeTypes.ACTIVATION;
import static dev.netc.compiler.emit.java.RuntimeTypes.NORMS;
import static dev.netc.compiler.emit.java.RuntimeTypes.SCALE_SHIFT;

import com.palantir.javapoet.CodeBlock;
import dev.netc.compiler.ir.BatchNorm;
import dev.netc.compiler.ir.GroupNorm;
import dev.netc.compiler.ir.InstanceNorm;
import dev.netc.compiler.ir.LayerNorm;
import dev.netc.compiler.ir.Lrn;
import dev.netc.compiler.ir.Param;
import dev.netc.compiler.ir.TensorType;

/**
 * Normalizations the optimizer could not fold into a conv: batchnorm as a per-channel scale and shift computed at
 * load time, layer, group and instance norm with their affine tensors, and local response normalization.
 */
final class NormSteps {
  private NormSteps() {}

  static CodeBlock batchNorm(StepContext s, BatchNorm bn) {
    s.requireNchw();
    s.parts().use(Helpers.Helper.NORM);
    TensorType t = s.inType(0);
    Param first = s.node().params().getFirst();
    String field = s.parts().modelField(SCALE_SHIFT, s.baseName(), s.step().comment(),
        CodeBlock.of("norm(w, $S, $L, $Lf, $L).scaleShift()", StepContext.layerOf(first), t.dim(0), (float) bn.eps(),
            bn.affine()));
    return CodeBlock.builder().addStatement("$T.channelAffine($L, $L, $L, $L, $L, $N.scale(), $N.shift(), $T.IDENTITY, 0f)",
        NORMS, s.at(0), s.outAt(), Memory.items(t), t.dim(0), StepContext.spatial(t), field, field, ACTIVATION)
        .build();
  }

  static CodeBlock layerNorm(StepContext s, LayerNorm op) {
    s.requireNchw();
    TensorType t = s.inType(0);
    long size = t.shape().drop(t.rank() - op.dims()).elements();
    CodeBlock[] affine = affine(s, op.affine());
    return CodeBlock.builder().addStatement("$T.layerNorm($L, $L, $L, $L, $L, $L, $Lf)", NORMS, s.at(0), s.outAt(),
        Memory.scaled(t.elements() / size, t.batched()), size, affine[0], affine[1], (float) op.eps()).build();
  }

  static CodeBlock groupNorm(StepContext s, int groups, double eps, boolean affineParams) {
    s.requireNchw();
    TensorType t = s.inType(0);
    CodeBlock[] affine = affine(s, affineParams);
    return CodeBlock.builder().addStatement("$T.groupNorm($L, $L, $L, $L, $L, $L, $L, $L, $Lf)", NORMS, s.at(0),
        s.outAt(), Memory.items(t), t.dim(0), StepContext.spatial(t), groups, affine[0], affine[1], (float) eps)
        .build();
  }

  static CodeBlock groupNorm(StepContext s, GroupNorm op) { return groupNorm(s, op.groups(), op.eps(), op.affine()); }

  static CodeBlock instanceNorm(StepContext s, InstanceNorm op) {
    return groupNorm(s, s.inType(0).dim(0), op.eps(), op.affine());
  }

  static CodeBlock lrn(StepContext s, Lrn op) {
    s.requireNchw();
    TensorType t = s.inType(0);
    return CodeBlock.builder().addStatement("$T.localResponseNorm($L, $L, $L, $L, $L, $L, $Lf, $Lf, $Lf)", NORMS,
        s.at(0), s.outAt(), Memory.items(t), t.dim(0), StepContext.spatial(t), op.size(), (float) op.alpha(),
        (float) op.beta(), (float) op.k()).build();
  }

  /** Model fields for {@code weight} and {@code bias} when affine (their names), else two {@code null}s. */
  private static CodeBlock[] affine(StepContext s, boolean affine) {
    if (!affine) return new CodeBlock[] {CodeBlock.of("null"), CodeBlock.of("null")};
    String gamma = s.parts().modelField(FLOATS, s.baseName() + "Weight", s.step().comment(),
        StepContext.tensor(s.param(0, "weight")));
    String beta = s.parts().modelField(FLOATS, s.baseName() + "Bias", null, StepContext.tensor(s.param(0, "bias")));
    return new CodeBlock[] {CodeBlock.of("$N", gamma), CodeBlock.of("$N", beta)};
  }
}

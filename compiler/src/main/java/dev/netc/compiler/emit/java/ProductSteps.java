package dev.netc.compiler.emit.java;

import static dev.netc.compiler.emit.java.RuntimeTypes.CONV_AXIS;
import static dev.netc.compiler.emit.java.RuntimeTypes.CONV_BN;
import static dev.netc.compiler.emit.java.RuntimeTypes.CONV_PLAN;
import static dev.netc.compiler.emit.java.RuntimeTypes.CONV_SPEC;
import static dev.netc.compiler.emit.java.RuntimeTypes.EPILOGUE;
import static dev.netc.compiler.emit.java.RuntimeTypes.GEMM_PLAN;
import static dev.netc.compiler.emit.java.RuntimeTypes.GEMM_SPEC;
import static dev.netc.compiler.emit.java.RuntimeTypes.LAYOUT;

import com.palantir.javapoet.CodeBlock;
import dev.netc.compiler.ir.Activation;
import dev.netc.compiler.ir.BatchNorm;
import dev.netc.compiler.ir.Conv;
import dev.netc.compiler.ir.ConvTranspose;
import dev.netc.compiler.ir.Fused;
import dev.netc.compiler.ir.Linear;
import dev.netc.compiler.ir.MatMul;
import dev.netc.compiler.ir.Op;
import dev.netc.compiler.ir.Param;
import dev.netc.compiler.ir.TensorType;
import dev.netc.compiler.plan.Plan;
import java.util.ArrayList;
import java.util.List;

/**
 * Convolutions (plain, transposed, 1-3-D, grouped), linear layers and matrix products, with their fused epilogue:
 * each becomes a runtime plan prepared at load time ({@code ConvPlan}, {@code GemmPlan}) with a following
 * batchnorm folded into its weights by the runtime ({@code ConvBatchNorm}), and one {@code run} call per forward
 * pass.
 */
final class ProductSteps {
  private ProductSteps() {}

  /** A conv or linear with what the optimizer fused into it; a plain layer is one with an empty epilogue. */
  static CodeBlock layer(StepContext s, Fused f) {
    return f.main() instanceof Linear l ? linear(s, l, f) : conv(s, f);
  }

  private static CodeBlock conv(StepContext s, Fused f) {
    TensorType in = s.inType(0);
    String field = convPlan(s, f);
    CodeBlock.Builder b = CodeBlock.builder();
    if (Memory.isSlice(s.out())) {
      // Writes its channel slice of an elided concat: images the concat's size apart.
      b.addStatement("$N.run($L, $L, $L, $L, $L, $N)", field, Memory.items(in), s.at(0), s.outAt(),
          Math.toIntExact(Memory.imageStride(s.out())), residual(s, f), Memory.EXECUTOR);
    } else {
      b.addStatement("$N.run($L, $L, $L, $L, $N)", field, Memory.items(in), s.at(0), s.outAt(), residual(s, f), Memory.EXECUTOR);
    }
    return b.add(PointwiseSteps.customSoftplus(s, f.act(), s.out(), s.out())).build();
  }

  /** The model field of a conv layer's {@code ConvPlan} (made here on its first use). */
  static String convPlan(StepContext s, Fused f) {
    TensorType in = s.inType(0);
    int own = f.main().params(List.of(in)).size();
    Param weight = s.param(0, "weight");
    Param bias = hasBias(f.main()) ? s.param(0, "bias") : null;
    CodeBlock init = CodeBlock.builder()
        .add("$T.conv($L,\n$>$>$L, $L,\n$L,\n$L, $T.$L)$<$<", CONV_BN, spec(f.main(), in), StepContext.tensor(weight),
            StepContext.tensor(bias), norm(s, f.norm(), own, s.outType().dim(0)), epilogue(f), LAYOUT,
            s.in(0).layout() == Plan.Layout.NCHW ? "NCHW" : "NCHWC16")
        .build();
    return s.parts().modelField(CONV_PLAN, s.baseName(), s.step().comment(), init);
  }

  private static CodeBlock linear(StepContext s, Linear l, Fused f) {
    s.requireNchw();
    TensorType in = s.inType(0);
    int features = in.shape().last();
    Param weight = s.param(0, "weight");
    Param bias = l.bias() ? s.param(0, "bias") : null;
    CodeBlock norm = norm(s, f.norm(), l.params(List.of(in)).size(), l.out());
    // The same layer fused otherwise where it is applied again (`reuse`): its packed weights are shared.
    String key = "linear\0" + features + "\0" + l.out() + "\0" + StepContext.tensor(weight) + "\0" + norm;
    String packed = s.parts().shared(key);
    CodeBlock init = CodeBlock.builder().add("$T.linear($L, $L, $L, $L,\n$>$>$L,\n$L)$<$<", CONV_BN, features,
        l.out(), StepContext.tensor(weight), StepContext.tensor(bias), norm, epilogue(f)).build();
    if (packed != null && s.parts().existing(GEMM_PLAN, init) == null) {
      init = CodeBlock.builder().add("$T.linear($N, $L,\n$>$>$L,\n$L)$<$<", CONV_BN, packed, StepContext.tensor(bias),
          norm, epilogue(f)).build();
    }
    String field = s.parts().modelField(GEMM_PLAN, s.baseName(), s.step().comment(), init);
    s.parts().share(key, field);
    CodeBlock rows = Memory.scaled(in.elements() / features, in.batched());
    CodeBlock.Builder b = CodeBlock.builder().addStatement("$N.run($L, $L, $L, $L, $N)", field, rows, s.at(0),
        s.outAt(), residual(s, f), Memory.EXECUTOR);
    return b.add(PointwiseSteps.customSoftplus(s, f.act(), s.out(), s.out())).build();
  }

  /** {@code a @ b} over the last two dims, one product per index of the leading ones; B changes every call. */
  static CodeBlock matmul(StepContext s, MatMul op) {
    s.requireNchw();
    TensorType a = s.inType(0);
    TensorType bt = s.inType(1);
    int m = a.shape().at(-2);
    int k = a.shape().last();
    int n = bt.shape().last();
    long count = a.elements() / ((long) m * k);
    CodeBlock spec = CodeBlock.of("new $T(false, false, $L, $L, $L, $L, $L, $L, $L, $L)", GEMM_SPEC, k, n,
        Math.max(1, k), n, n, m * k, k * n, m * n);
    String field = s.parts().modelField(GEMM_PLAN, s.baseName(), s.step().comment(),
        CodeBlock.of("$T.create($L, $T.NONE)", GEMM_PLAN, spec, EPILOGUE));
    return CodeBlock.builder().addStatement("$N.run($L, $L, $L, $L, $L, null, 0, $N)", field,
        Memory.scaled(count, a.batched()), m, s.at(0), s.at(1), s.outAt(), Memory.EXECUTOR).build();
  }

  private static boolean hasBias(Op main) {
    return switch (main) {
      case Conv c -> c.bias();
      case ConvTranspose t -> t.bias();
      case Linear l -> l.bias();
      default -> false;
    };
  }

  /** {@code norm(w, "layer", channels, eps, affine)} for a folded batchnorm, else {@code null}. */
  private static CodeBlock norm(StepContext s, BatchNorm bn, int ownParams, int channels) {
    if (bn == null) return CodeBlock.of("null");
    s.parts().use(Helpers.Helper.NORM);
    Param first = s.node().params().get(ownParams);
    return CodeBlock.of("norm(w, $S, $L, $Lf, $L)", StepContext.layerOf(first), channels, (float) bn.eps(),
        bn.affine());
  }

  /** The epilogue beyond bias and batchnorm: the residual flag and the activation. */
  private static CodeBlock epilogue(Fused f) {
    CodeBlock.Builder b = CodeBlock.builder().add("$T.NONE", EPILOGUE);
    if (f.residual()) b.add(".withResidual(true)");
    CodeBlock act = PointwiseSteps.runtimeActivation(f.act());
    if (act != null) b.add(".withActivation($L)", act);
    return b.build();
  }

  /** {@code res, resOff} of a fused residual, or {@code null, 0}. */
  static CodeBlock residual(StepContext s, Fused f) {
    return f.residual() ? s.at(1) : CodeBlock.of("null, 0");
  }

  /** The runtime's {@code ConvSpec} of a conv or transposed conv reading {@code in}. */
  static CodeBlock spec(Op main, TensorType in) {
    return switch (main) {
      case Conv c -> {
        List<CodeBlock> axes = new ArrayList<>();
        for (int d = 0; d < c.dims(); d++) {
          axes.add(CodeBlock.of("$T.of($L, $L, $L, $L, $L, $L)", CONV_AXIS, in.dim(d + 1), c.kernel().get(d),
              c.stride().get(d), c.padBegin().get(d), c.padEnd().get(d), c.dilation().get(d)));
        }
        yield specCall("conv" + c.dims() + "d", in.dim(0), c.out(), c.groups(), axes);
      }
      case ConvTranspose t -> {
        List<CodeBlock> axes = new ArrayList<>();
        for (int d = 0; d < t.dims(); d++) {
          axes.add(CodeBlock.of("new $T($L, $L, $L, $L, $L, $L, $L)", CONV_AXIS, in.dim(d + 1), t.kernel().get(d),
              t.stride().get(d), t.padBegin().get(d), t.padEnd().get(d), t.dilation().get(d),
              t.outputPadding().get(d)));
        }
        yield specCall("convTranspose" + t.dims() + "d", in.dim(0), t.out(), t.groups(), axes);
      }
      default -> throw new IllegalArgumentException("not a convolution: " + main.name());
    };
  }

  private static CodeBlock specCall(String factory, int in, int out, int groups, List<CodeBlock> axes) {
    CodeBlock.Builder b = CodeBlock.builder().add("$T.$L($L, $L, $L", CONV_SPEC, factory, in, out, groups);
    for (CodeBlock a : axes) b.add(",\n$>$>$L$<$<", a);
    return b.add(")").build();
  }
}

package dev.netc.compiler.emit.java;

import static dev.netc.compiler.emit.java.RuntimeTypes.ACTIVATION;
import static dev.netc.compiler.emit.java.RuntimeTypes.ELEMENTWISE;
import static dev.netc.compiler.emit.java.RuntimeTypes.SOFTMAX;
import static dev.netc.compiler.emit.java.RuntimeTypes.STRIDED_BOX;

import com.palantir.javapoet.CodeBlock;
import dev.netc.compiler.ir.Activation;
import dev.netc.compiler.ir.Rules;
import dev.netc.compiler.ir.Scale;
import dev.netc.compiler.ir.Softmax;
import dev.netc.compiler.ir.TensorType;
import dev.netc.compiler.plan.Plan.Buffer;

/**
 * Elementwise steps: activations (in place when the plan shares the buffer), {@code x * factor + shift}, softmax
 * along an axis, and sums and products of several tensors: equal shapes in any layout by the runtime's vector
 * kernels, a per-channel gate ({@code [C, H, W] * [C, 1, 1]}) by its channel kernels, any other broadcast along the
 * runtime's {@code StridedBox}.
 */
final class PointwiseSteps {
  private PointwiseSteps() {}

  /** True for PyTorch's default softplus (beta 1, threshold 20), the only one the runtime computes. */
  private static boolean runtimeSoftplus(Activation a) { return a.alpha() == 1 && a.beta() == 20; }

  /**
   * The arguments of {@code Epilogue.withActivation} for {@code a} ({@code Activation.RELU}, or with its alpha),
   * or null when nothing is to be fused (none, identity, or a softplus the runtime does not have).
   */
  static CodeBlock runtimeActivation(Activation a) {
    if (a == null || a.kind() == Activation.Kind.IDENTITY) return null;
    if (a.kind() == Activation.Kind.SOFTPLUS && !runtimeSoftplus(a)) return null;
    return switch (a.kind()) {
      case LEAKY_RELU, ELU -> CodeBlock.of("$T.$L, $Lf", ACTIVATION, a.kind().name(), (float) a.alpha());
      default -> CodeBlock.of("$T.$L", ACTIVATION, a.kind().name());
    };
  }

  /** A softplus with other settings than PyTorch's default, applied after a fused kernel (else nothing). */
  static CodeBlock customSoftplus(StepContext s, Activation a, Buffer x, Buffer y) {
    if (a == null || a.kind() != Activation.Kind.SOFTPLUS || runtimeSoftplus(a)) return CodeBlock.of("");
    return CodeBlock.builder().addStatement("$T.softplus($L, $L, $L, $Lf, $Lf)", ELEMENTWISE, s.mem().at(x), s.mem().at(y),
        Memory.length(y), (float) a.alpha(), (float) a.beta()).build();
  }

  static CodeBlock activation(StepContext s, Activation a) {
    Buffer x = s.in(0);
    Buffer y = s.out();
    boolean inPlace = s.mem().sameStart(x, y);
    if (a.kind() == Activation.Kind.IDENTITY) {
      return inPlace ? CodeBlock.of("// identity, in place: nothing to do\n")
          : CodeBlock.builder().addStatement("$T.arraycopy($L, $L, $L)", System.class, s.at(0), s.outAt(), Memory.length(y)).build();
    }
    if (a.kind() == Activation.Kind.SOFTPLUS && !runtimeSoftplus(a)) return customSoftplus(s, a, x, y);
    CodeBlock act = CodeBlock.of("$T.$L", ACTIVATION, a.kind().name());
    CodeBlock alpha = CodeBlock.of("$Lf", (float) (a.kind() == Activation.Kind.LEAKY_RELU
        || a.kind() == Activation.Kind.ELU ? a.alpha() : 0));
    if (inPlace) {
      return CodeBlock.builder().addStatement("$L.applyInPlace($L, $L, $L)", act, s.outAt(), Memory.length(y), alpha)
          .build();
    }
    return CodeBlock.builder().addStatement("$L.apply($L, $L, $L, $L)", act, s.at(0), s.outAt(), Memory.length(y),
        alpha).build();
  }

  static CodeBlock scale(StepContext s, Scale op) {
    return CodeBlock.builder().addStatement("$T.scaleShift($L, $L, $L, $Lf, $Lf)", ELEMENTWISE, s.at(0), s.outAt(),
        Memory.length(s.out()), (float) op.factor(), (float) op.shift()).build();
  }

  static CodeBlock softmax(StepContext s, Softmax op) {
    s.requireNchw();
    TensorType t = s.inType(0);
    int a = Rules.shapeAxis(op.name(), t, op.axis());
    long outer = 1;
    for (int d = 0; d < a; d++) outer *= t.dim(d);
    long inner = t.elements() / outer / t.dim(a);
    return CodeBlock.builder().addStatement("$T.$L($L, $L, $L, $L, $L)", SOFTMAX, op.log() ? "logSoftmax" : "softmax",
        s.at(0), s.outAt(), Memory.scaled(outer, t.batched()), t.dim(a), inner).build();
  }

  /** Sum ({@code mul} false) or product of two or more tensors, left to right. */
  static CodeBlock combine(StepContext s, boolean mul) {
    TensorType out = s.outType();
    boolean equal = s.ins().stream().allMatch(b -> b.type().equals(out));
    CodeBlock.Builder b = CodeBlock.builder();
    if (equal) {
      CodeBlock len = Memory.length(s.out());
      for (int i = 1; i < s.ins().size(); i++) {
        CodeBlock left = i == 1 ? s.at(0) : s.outAt();
        b.addStatement("$T.$L($L, $L, $L, $L)", ELEMENTWISE, mul ? "mul" : "add", left, s.at(i), s.outAt(), len);
      }
      return b.build();
    }
    s.requireNchw();
    if (s.ins().size() == 2) {
      int small = channelGate(s.inType(0), out) ? 0 : channelGate(s.inType(1), out) ? 1 : -1;
      if (small >= 0 && s.inType(1 - small).equals(out)) {
        return b.addStatement("$T.$L($L, $L, $L, $L, $L, $L, $L)", ELEMENTWISE, mul ? "mulChannel" : "addChannel",
            s.at(1 - small), s.at(small), out.dim(0), s.outAt(), Memory.items(out), out.dim(0),
            StepContext.spatial(out)).build();
      }
    }
    // Left to right: y = in0 op in1, then y = y op in_i, each pair along a broadcasting box fixed at load time.
    for (int i = 1; i < s.ins().size(); i++) {
      TensorType left = i == 1 ? s.inType(0) : out;
      String box = s.parts().constant(STRIDED_BOX, s.baseName() + "Box", CodeBlock.of("$T.broadcast($L, $L, $L)",
          STRIDED_BOX, DataSteps.ints(left), DataSteps.ints(s.inType(i)), DataSteps.ints(out)));
      b.addStatement("$N.$L($L, $L, $L, $L)", box, mul ? "mul" : "add", Memory.items(out), i == 1 ? s.at(0) : s.outAt(),
          s.at(i), s.outAt());
    }
    return b.build();
  }

  /** A {@code [C, 1, ...]} tensor that gates each channel of {@code out}. */
  private static boolean channelGate(TensorType t, TensorType out) {
    if (t.rank() != out.rank() || t.rank() < 2 || t.dim(0) != out.dim(0) || t.equals(out)) return false;
    for (int d = 1; d < t.rank(); d++) if (t.dim(d) != 1) return false;
    return true;
  }
}

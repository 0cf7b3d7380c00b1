package dev.netc.compiler.emit.java;

import static dev.netc.compiler.emit.java.RuntimeTypes.CONV_CHAIN;

import com.palantir.javapoet.CodeBlock;
import dev.netc.compiler.ir.Activation;
import dev.netc.compiler.ir.Conv;
import dev.netc.compiler.ir.Fused;
import dev.netc.compiler.ir.TensorType;
import dev.netc.compiler.plan.Plan;
import dev.netc.compiler.plan.Plan.Buffer;
import dev.netc.compiler.plan.Plan.Step;
import dev.netc.compiler.plan.Plan.Storage;
import dev.netc.runtime.kernels.ConvAxis;
import dev.netc.runtime.kernels.ConvChain;
import dev.netc.runtime.kernels.ConvSpec;
import java.util.List;

/**
 * A 1x1 convolution, a depthwise one and a 1x1 one in a row (or the last two), each the only reader of the one
 * before: one runtime {@code ConvChain} call instead of three layer calls, which runs the three band of rows by band
 * of rows without writing the tensors between them to memory (MobileNetV2's inverted residual blocks). The chain's
 * three {@code ConvPlan}s are the fields the layers would have had; it decides when it is built whether it fuses,
 * and otherwise runs them one after the other through the buffers the plan gave their outputs.
 */
final class ConvChainSteps {
  private ConvChainSteps() {}

  /**
   * How many steps from {@code at} run as one chain: 3 (expansion, depthwise, projection), 2 (depthwise,
   * projection) or 0. {@code uses}: readers per graph node ({@code Graph.useCounts}).
   */
  static int length(Plan plan, int at, int[] uses) {
    List<Step> steps = plan.steps();
    for (int n = 3; n >= 2; n--) {
      if (at + n <= steps.size() && chains(plan, steps.subList(at, at + n), uses)) return n;
    }
    return 0;
  }

  private static boolean chains(Plan plan, List<Step> steps, int[] uses) {
    for (int i = 0; i < steps.size(); i++) {
      Step s = steps.get(i);
      if (s.kind() != Step.Kind.COMPUTE || !(plan.node(s).op() instanceof Fused f) || !(f.main() instanceof Conv)
          || f.residual() && i < steps.size() - 1 || customSoftplus(f)) {
        return false;
      }
      Buffer in = plan.buffer(s.inputs().getFirst());
      if (in.layout() != Plan.Layout.NCHWC16 || Memory.isSlice(in) || Memory.isSlice(plan.buffer(s.output()))) {
        return false;
      }
      if (i > 0 && (s.inputs().getFirst() != steps.get(i - 1).output() || uses[steps.get(i - 1).node()] != 1)) {
        return false;
      }
    }
    Step first = steps.getFirst();
    Step last = steps.getLast();
    // bands read the block's input while other bands' outputs are written: the two must not share floats
    if (overlap(plan.buffer(first.inputs().getFirst()), plan.buffer(last.output()))) return false;
    ConvSpec[] specs = new ConvSpec[3];
    for (int i = 0; i < steps.size(); i++) {
      Step s = steps.get(i);
      specs[3 - steps.size() + i] = spec((Conv) ((Fused) plan.node(s).op()).main(), plan.buffer(s.inputs().getFirst()).type());
      if (specs[3 - steps.size() + i] == null) return false;
    }
    return ConvChain.shapes(specs[0], specs[1], specs[2]);
  }

  /** A softplus with other than PyTorch's settings runs as a pass of its own after its layer. */
  private static boolean customSoftplus(Fused f) {
    return f.act() != null && f.act().kind() == Activation.Kind.SOFTPLUS
        && !PointwiseSteps.runtimeSoftplus(f.act());
  }

  /** Whether two buffers may share floats of the same array. */
  private static boolean overlap(Buffer a, Buffer b) {
    if (a.storage() instanceof Storage.Arena x && b.storage() instanceof Storage.Arena y) {
      return a.batched() == b.batched() && x.offset() < y.offset() + b.size() && y.offset() < x.offset() + a.size();
    }
    return a.storage().equals(b.storage());
  }

  /** The runtime's spec of a 2-D conv reading {@code in} ([C, H, W]), or null for any other. */
  private static ConvSpec spec(Conv c, TensorType in) {
    if (c.dims() != 2 || in.rank() != 3) return null;
    ConvAxis[] axes = new ConvAxis[2];
    for (int d = 0; d < 2; d++) {
      axes[d] = ConvAxis.of(in.dim(d + 1), c.kernel().get(d), c.stride().get(d), c.padBegin().get(d),
          c.padEnd().get(d), c.dilation().get(d));
    }
    return ConvSpec.conv2d(in.dim(0), c.out(), c.groups(), axes[0], axes[1]);
  }

  /**
   * The chain's call for the steps {@code ss} ({@link #length} of them): its three layers' plan fields, a session
   * field holding the chain, and one {@code run}.
   */
  static CodeBlock chain(List<StepContext> ss) {
    StepContext last = ss.getLast();
    CodeBlock.Builder plans = CodeBlock.builder();
    for (StepContext s : ss) {
      plans.add(s == ss.getFirst() ? "$N" : ", $N", ProductSteps.convPlan(s, (Fused) s.node().op()));
    }
    String chain = last.parts().sessionField(CONV_CHAIN, last.baseName() + "Chain",
        CodeBlock.of("$T.of($L)", CONV_CHAIN, plans.build()));
    StepContext first = ss.getFirst();
    CodeBlock expanded = ss.size() == 3 ? first.outAt() : CodeBlock.of("null, 0");
    return CodeBlock.builder().addStatement("$N.run($L, $L, $L, $L, $L, $L, $N)", chain, Memory.items(first.inType(0)),
        first.at(0), expanded, ss.get(ss.size() - 2).outAt(), last.outAt(),
        ProductSteps.residual(last, (Fused) last.node().op()), Memory.EXECUTOR).build();
  }
}

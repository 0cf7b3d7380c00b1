package dev.netc.compiler.emit.java;

import static dev.netc.compiler.emit.java.RuntimeTypes.CONV_CHAIN;

import com.palantir.javapoet.CodeBlock;
import dev.netc.compiler.ir.Fused;
import dev.netc.compiler.plan.Plan;
import java.util.List;

/**
 * A chain of the plan ({@link Plan#chains}: a 1x1 convolution, a depthwise one and a 1x1 one in a row, or the last
 * two): one runtime {@code ConvChain} call instead of three layer calls, which runs the layers band of rows by band
 * of rows without writing the tensors between them to memory (MobileNetV2's inverted residual blocks). The chain's
 * {@code ConvPlan}s are the fields the layers would have had; it decides when it is built whether it fuses, and
 * otherwise runs them one after the other through the buffers the plan gave their outputs.
 */
final class ConvChainSteps {
  private ConvChainSteps() {}

  /**
   * The chain's call for the steps {@code ss} of a chain: its three layers' plan fields, a session
   * field holding the chain, and one {@code run}.
   */
  static CodeBlock chain(List<StepContext> ss) {
    StepContext last = ss.getLast();
    CodeBlock.Builder plans = CodeBlock.builder();
    for (StepContext s : ss) {
      plans.add(s == ss.getFirst() ? "$N" : ", $N", ProductSteps.convPlan(s, fused(s)));
    }
    String chain = last.parts().sessionField(CONV_CHAIN, last.baseName() + "Chain",
        CodeBlock.of("$T.of($L)", CONV_CHAIN, plans.build()));
    StepContext first = ss.getFirst();
    CodeBlock expanded = ss.size() == 3 ? first.outAt() : CodeBlock.of("null, 0");
    return CodeBlock.builder().addStatement("$N.run($L, $L, $L, $L, $L, $L, $N)", chain, Memory.items(first.inType(0)),
        first.at(0), expanded, ss.get(ss.size() - 2).outAt(), last.outAt(),
        ProductSteps.residual(last, fused(last)), Memory.EXECUTOR).build();
  }

  private static Fused fused(StepContext s) {
    return Fused.of(s.node().op());
  }
}

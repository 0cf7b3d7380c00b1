package dev.netc.compiler.plan;

import dev.netc.compiler.ir.Activation;
import dev.netc.compiler.ir.Conv;
import dev.netc.compiler.ir.Fused;
import dev.netc.compiler.ir.Graph;
import dev.netc.compiler.ir.TensorType;
import dev.netc.compiler.plan.Plan.Chain;
import dev.netc.compiler.plan.Plan.Layout;
import dev.netc.compiler.plan.Plan.Step;
import dev.netc.runtime.kernels.ConvAxis;
import dev.netc.runtime.kernels.ConvChain;
import dev.netc.runtime.kernels.ConvSpec;
import java.util.ArrayList;
import java.util.List;
import java.util.function.IntFunction;

/**
 * Steps that may run as one runtime {@code ConvChain}: a 1x1 convolution, a depthwise one and a 1x1 one in a row (or
 * the last two; MobileNetV2's inverted residual block), on blocked tensors, each the only reader of the one before,
 * none writing a concat slice, only the last adding a residual. Found before buffers are placed, so that a chain's
 * output is not placed over its input ({@link MemoryPlanner}): its bands read the input while others write the output.
 */
final class ConvChains {
  private ConvChains() {}

  /** What the search needs to know of a buffer before it is placed. */
  record BufferInfo(Layout layout, TensorType type, boolean slice) {}

  /** The chains of {@code steps}, in order, none overlapping: at each step the longest that starts there. */
  static List<Chain> find(Graph g, List<Step> steps, IntFunction<BufferInfo> buffers) {
    int[] uses = g.useCounts();
    List<Chain> chains = new ArrayList<>();
    for (int at = 0; at < steps.size(); at++) {
      for (int n = 3; n >= 2; n--) {
        if (at + n <= steps.size() && chains(g, steps.subList(at, at + n), uses, buffers)) {
          chains.add(new Chain(at, n));
          at += n - 1;
          break;
        }
      }
    }
    return chains;
  }

  private static boolean chains(Graph g, List<Step> steps, int[] uses, IntFunction<BufferInfo> buffers) {
    ConvSpec[] specs = new ConvSpec[3];
    for (int i = 0; i < steps.size(); i++) {
      Step s = steps.get(i);
      Fused f = s.kind() == Step.Kind.COMPUTE ? Fused.of(g.node(s.node()).op()) : null;
      if (f == null || !(f.main() instanceof Conv c) || f.residual() && i < steps.size() - 1 || softplus(f)) {
        return false;
      }
      BufferInfo in = buffers.apply(s.inputs().getFirst());
      if (in.layout() != Layout.NCHWC16 || in.slice() || buffers.apply(s.output()).slice()) return false;
      if (i > 0 && (s.inputs().getFirst() != steps.get(i - 1).output() || uses[steps.get(i - 1).node()] != 1)) {
        return false;
      }
      ConvSpec spec = spec(c, in.type());
      if (spec == null) return false;
      specs[3 - steps.size() + i] = spec;
    }
    return ConvChain.applies(specs[0], specs[1], specs[2]);
  }

  /** A softplus may run as a pass of its own after its layer (other settings than PyTorch's): no chain. */
  private static boolean softplus(Fused f) {
    return f.act() != null && f.act().kind() == Activation.Kind.SOFTPLUS;
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
}

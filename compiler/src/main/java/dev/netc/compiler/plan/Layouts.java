package dev.netc.compiler.plan;

import dev.netc.compiler.ir.Conv;
import dev.netc.compiler.ir.Fused;
import dev.netc.compiler.ir.Graph;
import dev.netc.compiler.ir.Node;
import dev.netc.compiler.ir.Op;
import dev.netc.compiler.ir.OpTraits;
import dev.netc.compiler.ir.Pool;
import dev.netc.compiler.plan.Plan.Layout;
import java.util.List;

/**
 * Layout rules: which layouts each op reads and writes, from its {@link OpTraits}. Convolutions run fastest on
 * channel-blocked NCHWc16 (bench/README.md: the direct kernel reaches 88–92 % of the FMA peak there, not in NCHW)
 * and write it; ops of any layout keep their input's; 2-D max pooling keeps a blocked input blocked; every other op
 * reads and writes plain NCHW, and the planner inserts a conversion where a producer's layout differs from what its
 * consumer reads.
 */
final class Layouts {
  private Layouts() {}

  /** The layout {@code node} writes, given the layouts its inputs arrive in. */
  static Layout output(Graph g, Node node, List<Layout> inputs) {
    Op op = node.op();
    if (OpTraits.isConv(op)) return Layout.NCHWC16;
    if (OpTraits.anyLayout(op) && !broadcasts(g, node)) return inputs.getFirst();
    if (blockedMax(node) && inputs.getFirst() == Layout.NCHWC16) return Layout.NCHWC16;
    return Layout.NCHW;
  }

  /** The layout input {@code i} must be in, given the layout it is available in. */
  static Layout input(Node node, int i, Layout available, Layout output) {
    Op op = node.op();
    // A convolution reads either layout (an NCHW stem reads its 3 real channels); a fused residual matches the output.
    // A grouped one reads blocks: only there does a depthwise conv get its lane-wise kernel (on NCHW it would run as a
    // dense conv with zeros between channels, 16 times the work, and 0 * NaN would carry a NaN into every channel).
    if (OpTraits.isConv(op)) return i == 0 && !grouped(op) ? available : Layout.NCHWC16;
    if (OpTraits.anyLayout(op) || blockedMax(node)) return output;
    return Layout.NCHW;
  }

  /** Whether {@code op} is a (possibly fused) convolution with more than one group. */
  private static boolean grouped(Op op) {
    Op main = op instanceof Fused f ? f.main() : op;
    return main instanceof Conv c && c.groups() > 1;
  }

  /** Whether an input has another shape than the output (an add or mul that broadcasts, which indexes NCHW). */
  private static boolean broadcasts(Graph g, Node node) {
    return !node.inputs().stream().allMatch(i -> g.node(i).type().equals(node.type()));
  }

  /**
   * 2-D max pooling runs on the blocked layout too (the runtime's vector kernel, 16 channels per vector; windows
   * clipped to the input, so ceil mode and any padding work), so a pooling between convolutions needs no
   * conversion.
   */
  static boolean blockedMax(Node node) {
    return node.op() instanceof Pool p && p.undilatedMax2d() && p.dims() == 2 && node.type().rank() == 3;
  }
}

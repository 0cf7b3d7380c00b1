package dev.netc.compiler.plan;

import dev.netc.compiler.ir.*;
import dev.netc.compiler.plan.Plan.Layout;
import java.util.List;

/**
 * Layout rules: which layouts each op reads and writes. Convolutions run fastest on channel-blocked NCHWc16
 * (bench/README.md: the direct kernel reaches 88–92 % of the FMA peak there, not in NCHW) and write it; pure
 * elementwise ops work in any layout; every other op reads and writes plain NCHW, and the planner inserts a
 * conversion where a producer's layout differs from what its consumer reads.
 */
final class Layouts {
  private Layouts() {}

  /** The layout {@code node} writes, given the layouts its inputs arrive in. */
  static Layout output(Graph g, Node node, List<Layout> inputs) {
    return switch (node.op()) {
      case Conv c -> Layout.NCHWC16;
      case ConvTranspose t -> Layout.NCHWC16;
      case Fused f -> f.main() instanceof Linear ? Layout.NCHW : Layout.NCHWC16;
      case Activation a -> inputs.getFirst();
      case Scale s -> inputs.getFirst();
      case ElementwiseChain c when !c.perChannel() -> inputs.getFirst();
      case Pool p when blockedMax(node) && inputs.getFirst() == Layout.NCHWC16 -> Layout.NCHWC16;
      case Add a when sameShapes(g, node) -> inputs.getFirst();
      case Mul m when sameShapes(g, node) -> inputs.getFirst();
      // Token ids, position tables and the across-channel L2 norm index NCHW directly (GatherSteps).
      case Embedding e -> Layout.NCHW;
      case PositionalEmbedding p -> Layout.NCHW;
      case L2Norm l -> Layout.NCHW;
      default -> Layout.NCHW;
    };
  }

  /** The layout input {@code i} must be in, given the layout it is available in. */
  static Layout input(Node node, int i, Layout available, Layout output) {
    return switch (node.op()) {
      // Conv reads either layout (an NCHW stem reads its 3 real channels); a fused residual matches the output.
      case Conv c -> available;
      case ConvTranspose t -> available;
      case Fused f when !(f.main() instanceof Linear) -> i == 0 ? available : Layout.NCHWC16;
      case Activation a -> output;
      case Scale s -> output;
      case ElementwiseChain c -> output;
      case Pool p when blockedMax(node) -> output;
      case Add a -> output;
      case Mul m -> output;
      default -> Layout.NCHW;
    };
  }

  /** Elementwise add/mul work in a blocked layout only without broadcasting (all shapes equal). */
  private static boolean sameShapes(Graph g, Node node) {
    return node.inputs().stream().allMatch(i -> g.node(i).type().equals(node.type()));
  }

  /**
   * 2-D max pooling runs on the blocked layout too (the runtime's vector kernel, 16 channels per vector; windows
   * clipped to the input, so ceil mode and any padding work), so a pooling between convolutions needs no
   * conversion.
   */
  static boolean blockedMax(Node node) {
    return node.op() instanceof Pool p && p.kind() == Pool.Kind.MAX && p.dims() == 2 && node.type().rank() == 3
        && p.dilation().stream().allMatch(d -> d == 1);
  }

  /** Unary elementwise ops may write over their input when nothing else needs it afterwards. */
  static boolean inPlace(Op op) {
    return op instanceof Activation || op instanceof Scale || op instanceof ElementwiseChain;
  }

  /** Ops whose output is their input's floats seen with another shape (contiguous NCHW only). */
  static boolean isView(Op op) {
    return op instanceof Reshape || op instanceof Flatten || op instanceof Dropout;
  }
}

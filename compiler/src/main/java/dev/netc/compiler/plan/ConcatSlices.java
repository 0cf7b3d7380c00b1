package dev.netc.compiler.plan;

import dev.netc.compiler.ir.Activation;
import dev.netc.compiler.ir.Concat;
import dev.netc.compiler.ir.Fused;
import dev.netc.compiler.ir.Graph;
import dev.netc.compiler.ir.Node;
import dev.netc.compiler.ir.OpTraits;
import dev.netc.compiler.ir.Rules;
import dev.netc.compiler.ir.TensorType;
import java.util.HashMap;
import java.util.Map;

/**
 * Concat elision: which channel concatenations need no copy, because every input's producer can write straight
 * into its channel slice of the result (inception modules, SqueezeNet's fire modules).
 *
 * <p>In the channel-blocked layout (NCHWc16) an image is a run of 16-channel blocks, each contiguous; a slice of
 * the channels starting at a multiple of 16 is therefore one contiguous run per image, and the images of the
 * result are the result's image size apart. A convolution kernel can write there (the runtime's conv plans take
 * an output image stride). A concat is elided when it concatenates batched tensors along the channels and each
 * input:
 * <ul>
 *   <li>is computed by a convolution or transposed convolution, possibly with a folded batchnorm and an
 *       activation fused (not a residual, whose input would need the same stride; not a softplus, which may run
 *       as a separate pass over a contiguous buffer);
 *   <li>is read by this concat only, once, and is no model output (nothing else may see the slice);
 *   <li>has a channel count that is a multiple of 16, except the last input, so every slice starts on a block
 *       and no input's padding channels overlap the next input's channels (the last one's padding is the
 *       result's padding).
 * </ul>
 * Any other concat is copied in NCHW as before.
 */
final class ConcatSlices {
  private ConcatSlices() {}

  /** A producer's place in an elided concat: the concat node and the first channel of its slice. */
  record Slot(int concat, int channelOffset) {}

  /** Producer node to its slot, for every elided concat. */
  static Map<Integer, Slot> of(Graph g, int[] readers, boolean[] isOutput) {
    Map<Integer, Slot> slots = new HashMap<>();
    for (Node n : g.nodes()) {
      if (!(n.op() instanceof Concat c) || !elidable(g, n, c, readers, isOutput)) continue;
      int at = 0;
      for (int in : n.inputs()) {
        slots.put(in, new Slot(n.id(), at));
        at += g.node(in).type().dim(0);
      }
    }
    return slots;
  }

  private static boolean elidable(Graph g, Node n, Concat c, int[] readers, boolean[] isOutput) {
    TensorType out = n.type();
    if (!out.batched() || out.rank() < 1 || Rules.shapeAxis("concat", out, c.axis()) != 0) return false;
    for (int i = 0; i < n.inputs().size(); i++) {
      Node p = g.node(n.inputs().get(i));
      boolean last = i == n.inputs().size() - 1;
      if (readers[p.id()] != 1 || isOutput[p.id()] || !writesSlices(p)) return false;
      if (!last && p.type().dim(0) % Plan.Layout.BLOCK != 0) return false;
    }
    return true;
  }

  /**
   * Whether the node's kernel writes a blocked output and can write it with another image stride: a convolution
   * without a fused residual (whose input would need the same stride) or softplus (which may run as a separate pass
   * over a contiguous buffer).
   */
  private static boolean writesSlices(Node p) {
    if (!OpTraits.isConv(p.op())) return false;
    return !(p.op() instanceof Fused f) || !f.residual() && (f.act() == null || f.act().kind() != Activation.Kind.SOFTPLUS);
  }
}

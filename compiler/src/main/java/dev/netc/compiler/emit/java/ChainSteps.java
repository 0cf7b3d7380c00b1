package dev.netc.compiler.emit.java;

import static dev.netc.compiler.emit.java.RuntimeTypes.ACTIVATION;
import static dev.netc.compiler.emit.java.RuntimeTypes.ELEMENTWISE;
import static dev.netc.compiler.emit.java.RuntimeTypes.NORMS;
import static dev.netc.compiler.emit.java.RuntimeTypes.SCALE_SHIFT;

import com.palantir.javapoet.CodeBlock;
import dev.netc.compiler.ir.Activation;
import dev.netc.compiler.ir.Add;
import dev.netc.compiler.ir.BatchNorm;
import dev.netc.compiler.ir.ElementwiseChain;
import dev.netc.compiler.ir.Graph;
import dev.netc.compiler.ir.Mul;
import dev.netc.compiler.ir.Node;
import dev.netc.compiler.ir.Op;
import dev.netc.compiler.ir.Param;
import dev.netc.compiler.ir.Scale;
import dev.netc.compiler.ir.TensorType;
import java.util.ArrayList;
import java.util.List;

/**
 * An {@link ElementwiseChain}: one pass over memory. A batchnorm followed by an activation (DenseNet's
 * {@code norm → relu}) is the runtime's vectorized per-channel affine with its activation; any other chain runs
 * tile by tile, every link over a cache-resident tile with the runtime's vector kernels (per channel plane, in
 * NCHW, when a batchnorm needs the channel or an add or mul reads another tensor; else over the whole buffer in any
 * layout). Batchnorms become per-channel scale and shift at load time; an operand with one value per channel is
 * read once per plane. Safe in place: each element is read before it is written.
 */
final class ChainSteps {
  /** Floats per tile: 4 KB, so a tile and an operand's tile stay in the L1 cache across all links. */
  private static final int TILE = 1024;

  private ChainSteps() {}

  /**
   * The locals of the chains in {@code g} (arrays, plane and tile indices, each batchnorm's scale and shift, each
   * operand's array, offset or gate value), which no layer-derived name may take: a chain's block also reads fields
   * and arrays by those names.
   */
  static List<String> reserved(Graph g) {
    int links = 0;
    for (Node n : g.nodes()) if (n.op() instanceof ElementwiseChain c) links = Math.max(links, c.ops().size());
    List<String> names = new ArrayList<>(List.of("cx", "cy", "cp", "cc", "cxo", "cyo", "ct", "cn"));
    for (int k = 0; k < links; k++) names.addAll(List.of("cs" + k, "cb" + k, "cw" + k, "cwo" + k, "cg" + k));
    return names;
  }

  static CodeBlock chain(StepContext s, ElementwiseChain op) {
    TensorType t = s.inType(0);
    List<String> norms = norms(s, op, t);
    if (op.perChannel()) s.requireNchw();
    List<Op> links = op.ops();
    if (links.size() == 2 && links.get(0) instanceof BatchNorm && links.get(1) instanceof Activation a) {
      String bn = norms.getFirst();
      return CodeBlock.builder().addStatement("$T.channelAffine($L, $L, $L, $L, $L, $N.scale(), $N.shift(), $T.$L, $Lf)",
          NORMS, s.at(0), s.outAt(), Memory.items(t), t.dim(0), StepContext.spatial(t), bn, bn, ACTIVATION,
          a.kind().name(), alpha(a)).build();
    }
    return loop(s, op, t, norms);
  }

  /** A scale-and-shift field per batchnorm link, in order, built at load time from its layer's tensors. */
  private static List<String> norms(StepContext s, ElementwiseChain op, TensorType t) {
    List<String> fields = new ArrayList<>();
    int at = 0;
    for (Op link : op.ops()) {
      if (!(link instanceof BatchNorm bn)) continue;
      s.parts().use(Helpers.Helper.NORM);
      Param first = s.node().params().get(at);
      at += bn.params(List.of(t)).size();
      fields.add(s.parts().modelField(SCALE_SHIFT, s.baseName(), s.step().comment(),
          CodeBlock.of("norm(w, $S, $L, $Lf, $L).scaleShift()", StepContext.layerOf(first), t.dim(0), (float) bn.eps(),
              bn.affine())));
    }
    return fields;
  }

  /**
   * Per plane (a channel plane when a link needs the channel or reads another tensor, else the whole buffer as one),
   * in tiles of {@link #TILE} floats: every link in turn over the tile with the runtime's vector kernels, the first
   * reading x, the others updating y in place. The tile stays in the L1 cache across the links, so memory is
   * crossed once, and each link runs vectorized (a generated per-element loop was not: its arrays may alias, so
   * the JIT does not vectorize it, and it ran at half the speed of separate vector passes).
   */
  private static CodeBlock loop(StepContext s, ElementwiseChain op, TensorType t, List<String> norms) {
    boolean perChannel = op.perChannel();
    CodeBlock planes = perChannel ? Memory.scaled((long) t.dim(0), t.batched()) : CodeBlock.of("1");
    CodeBlock length = perChannel ? CodeBlock.of("$L", StepContext.spatial(t)) : Memory.length(s.out());
    CodeBlock.Builder b = CodeBlock.builder().add("{\n$>")
        .addStatement("float[] cx = $L", s.mem().array(s.in(0)))
        .addStatement("float[] cy = $L", s.mem().array(s.out()));
    int operands = s.ins().size() - 1;
    for (int k = 0; k < operands; k++) b.addStatement("float[] cw$L = $L", k, s.mem().array(s.in(k + 1)));
    b.beginControlFlow("for (int cp = 0; cp < $L; cp++)", planes);
    if (perChannel) b.addStatement("int cc = cp % $L", t.dim(0));
    for (int i = 0; i < norms.size(); i++) {
      b.addStatement("float cs$L = $N.scale()[cc], cb$L = $N.shift()[cc]", i, norms.get(i), i, norms.get(i));
    }
    b.addStatement("int cxo = $L + cp * $L", s.mem().offset(s.in(0)), length)
        .addStatement("int cyo = $L + cp * $L", s.mem().offset(s.out()), length);
    for (int k = 0; k < operands; k++) {
      // One value per channel plane ([N, C, 1, ...]: plane cp is element cp), or a whole plane like x's.
      if (s.inType(k + 1).equals(t)) b.addStatement("int cwo$L = $L + cp * $L", k, s.mem().offset(s.in(k + 1)), length);
      else b.addStatement("float cg$L = cw$L[$L + cp]", k, k, s.mem().offset(s.in(k + 1)));
    }
    b.beginControlFlow("for (int ct = 0; ct < $L; ct += $L)", length, TILE)
        .addStatement("int cn = $T.min($L, $L - ct)", Math.class, TILE, length);
    int bn = 0;
    int k = 0;
    boolean first = true;
    for (Op link : op.ops()) {
      CodeBlock src = first ? CodeBlock.of("cx, cxo + ct") : CodeBlock.of("cy, cyo + ct");
      CodeBlock dst = CodeBlock.of("cy, cyo + ct");
      first = false;
      switch (link) {
        case BatchNorm n -> b.addStatement("$T.scaleShift($L, $L, cn, cs$L, cb$L)", ELEMENTWISE, src, dst, bn, bn++);
        case Scale sc -> b.addStatement("$T.scaleShift($L, $L, cn, $Lf, $Lf)", ELEMENTWISE, src, dst,
            (float) sc.factor(), (float) sc.shift());
        case Activation a -> b.addStatement("$T.$L.apply($L, $L, cn, $Lf)", ACTIVATION, a.kind().name(), src, dst,
            alpha(a));
        case Add a -> b.addStatement("$L", binary(s, t, k++, false, src, dst));
        case Mul m -> b.addStatement("$L", binary(s, t, k++, true, src, dst));
        default -> throw new IllegalStateException("not a chain link: " + link.name());
      }
    }
    return b.endControlFlow().endControlFlow().add("$<}\n").build();
  }

  /** An add or mul with operand {@code k}: elementwise over the tile, or by its channel's one value. */
  private static CodeBlock binary(StepContext s, TensorType t, int k, boolean mul, CodeBlock src, CodeBlock dst) {
    if (s.inType(k + 1).equals(t)) {
      return CodeBlock.of("$T.$L($L, cw$L, cwo$L + ct, $L, cn)", ELEMENTWISE, mul ? "mul" : "add", src, k, k, dst);
    }
    return mul ? CodeBlock.of("$T.scaleShift($L, $L, cn, cg$L, 0f)", ELEMENTWISE, src, dst, k)
        : CodeBlock.of("$T.scaleShift($L, $L, cn, 1f, cg$L)", ELEMENTWISE, src, dst, k);
  }

  private static float alpha(Activation a) {
    return (float) (a.kind() == Activation.Kind.LEAKY_RELU || a.kind() == Activation.Kind.ELU ? a.alpha() : 0);
  }
}

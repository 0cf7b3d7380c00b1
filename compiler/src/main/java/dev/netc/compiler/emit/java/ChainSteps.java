package dev.netc.compiler.emit.java;

import static dev.netc.compiler.emit.java.Helpers.ACTIVATION;
import static dev.netc.compiler.emit.java.Helpers.SCALE_SHIFT;

import com.palantir.javapoet.ClassName;
import com.palantir.javapoet.CodeBlock;
import dev.netc.compiler.ir.Activation;
import dev.netc.compiler.ir.BatchNorm;
import dev.netc.compiler.ir.ElementwiseChain;
import dev.netc.compiler.ir.Op;
import dev.netc.compiler.ir.Param;
import dev.netc.compiler.ir.Scale;
import dev.netc.compiler.ir.TensorType;
import java.util.ArrayList;
import java.util.List;

/**
 * An {@link ElementwiseChain}: one pass over memory. A batchnorm followed by an activation (DenseNet's
 * {@code norm → relu}) is the runtime's vectorized per-channel affine with its activation; any other chain is a
 * generated loop applying every link to each element in turn (per channel plane when a batchnorm needs the
 * channel, else over the whole buffer in any layout). Batchnorms become per-channel scale and shift at load time.
 * Safe in place: each element is read before it is written.
 */
final class ChainSteps {
  private static final ClassName NORMS = ClassName.get("dev.netc.runtime.kernels", "Norms");

  private ChainSteps() {}

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
      s.parts().use(Helpers.Helper.BATCH_NORM);
      Param first = s.node().params().get(at);
      at += bn.params(List.of(t)).size();
      fields.add(s.parts().modelField(SCALE_SHIFT, s.baseName(), s.step().comment(),
          CodeBlock.of("batchNorm(w, $S, $L, $Lf, $L)", StepContext.layerOf(first), t.dim(0), (float) bn.eps(),
              bn.affine())));
    }
    return fields;
  }

  /**
   * {@code for each plane: for each element: v = x; v = link1(v); ...; y = v}, planes being channel planes when
   * a link is per channel, else the whole buffer as one plane.
   */
  private static CodeBlock loop(StepContext s, ElementwiseChain op, TensorType t, List<String> norms) {
    boolean perChannel = op.perChannel();
    CodeBlock planes = perChannel ? Memory.scaled((long) t.dim(0), t.batched()) : CodeBlock.of("1");
    CodeBlock length = perChannel ? CodeBlock.of("$L", StepContext.spatial(t)) : Memory.length(s.out());
    CodeBlock.Builder b = CodeBlock.builder().add("{\n$>")
        .addStatement("float[] cx = $L", s.mem().array(s.in(0)))
        .addStatement("float[] cy = $L", s.mem().array(s.out()))
        .beginControlFlow("for (int cp = 0; cp < $L; cp++)", planes);
    if (perChannel) b.addStatement("int cc = cp % $L", t.dim(0));
    for (int i = 0; i < norms.size(); i++) {
      b.addStatement("float cs$L = $N.scale()[cc], cb$L = $N.shift()[cc]", i, norms.get(i), i, norms.get(i));
    }
    b.addStatement("int cxo = $L + cp * $L", s.mem().offset(s.in(0)), length)
        .addStatement("int cyo = $L + cp * $L", s.mem().offset(s.out()), length)
        .beginControlFlow("for (int ck = 0; ck < $L; ck++)", length)
        .addStatement("float cv = cx[cxo + ck]");
    int bn = 0;
    for (Op link : op.ops()) {
      switch (link) {
        case BatchNorm n -> b.addStatement("cv = cv * cs$L + cb$L", bn, bn++);
        case Scale sc -> b.addStatement("cv = cv * $Lf + $Lf", (float) sc.factor(), (float) sc.shift());
        case Activation a -> b.addStatement("cv = $T.$L.apply(cv, $Lf)", ACTIVATION, a.kind().name(), alpha(a));
        default -> throw new IllegalStateException("not a chain link: " + link.name());
      }
    }
    return b.addStatement("cy[cyo + ck] = cv").endControlFlow().endControlFlow().add("$<}\n").build();
  }

  private static float alpha(Activation a) {
    return (float) (a.kind() == Activation.Kind.LEAKY_RELU || a.kind() == Activation.Kind.ELU ? a.alpha() : 0);
  }
}

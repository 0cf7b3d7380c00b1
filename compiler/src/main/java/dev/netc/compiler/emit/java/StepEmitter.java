package dev.netc.compiler.emit.java;

import static dev.netc.compiler.emit.java.RuntimeTypes.LAYOUT_CONVERT;

import com.palantir.javapoet.CodeBlock;
import dev.netc.compiler.ir.*;
import dev.netc.compiler.plan.Plan;
import dev.netc.compiler.plan.Plan.Buffer;

/**
 * The Java code of one plan step. The op table is one exhaustive switch over {@link Op} without a default: an op
 * added to the IR fails to compile here until the emitter can run it. Each case hands the step to the family file
 * that writes it; what a step needs at load time (prepared kernels, weights) it adds to the class {@link Parts}.
 */
final class StepEmitter {
  private StepEmitter() {}

  static CodeBlock emit(StepContext s) {
    return switch (s.step().kind()) {
      case COMPUTE -> compute(s);
      case RELAYOUT -> relayout(s.mem(), s.in(0), s.out());
      case WRITE_OUTPUT -> writeOutput(s);
    };
  }

  private static CodeBlock compute(StepContext s) {
    return switch (s.node().op()) {
      case Input i -> throw new IllegalStateException("input " + i.inputName() + " is the caller's array, not a step");
      case Conv c -> ProductSteps.layer(s, new Fused(c, null, null, false));
      case ConvTranspose t -> ProductSteps.layer(s, new Fused(t, null, null, false));
      case Linear l -> ProductSteps.layer(s, new Fused(l, null, null, false));
      case Fused f -> ProductSteps.layer(s, f);
      case ElementwiseChain c -> ChainSteps.chain(s, c);
      case MatMul m -> ProductSteps.matmul(s, m);
      case BatchNorm b -> NormSteps.batchNorm(s, b);
      case LayerNorm l -> NormSteps.layerNorm(s, l);
      case GroupNorm g -> NormSteps.groupNorm(s, g);
      case InstanceNorm n -> NormSteps.instanceNorm(s, n);
      case Lrn l -> NormSteps.lrn(s, l);
      case L2Norm l -> GatherSteps.l2norm(s, l);
      case Activation a -> PointwiseSteps.activation(s, a);
      case Scale sc -> PointwiseSteps.scale(s, sc);
      case Softmax sm -> PointwiseSteps.softmax(s, sm);
      case Add a when BroadcastSteps.general(s) -> BroadcastSteps.combine(s, "ADD");
      case Add a -> PointwiseSteps.combine(s, false);
      case Mul m when BroadcastSteps.general(s) -> BroadcastSteps.combine(s, "MUL");
      case Mul m -> PointwiseSteps.combine(s, true);
      case Binary b -> BroadcastSteps.combine(s, b.kind().name());
      case Learned l -> BroadcastSteps.learned(s);
      case Pool p -> PoolSteps.pool(s, p);
      case PoolIndices p -> PoolSteps.indices(s, p);
      case MaxUnpool u -> PoolSteps.unpool(s, u);
      case AdaptivePool p -> PoolSteps.adaptive(s, p);
      case Upsample u -> PoolSteps.upsample(s, u);
      case RoiPool r -> PoolSteps.roiPool(s, r);
      case RoiAlign r -> PoolSteps.roiAlign(s, r);
      case Concat c when BroadcastSteps.expands(s) -> BroadcastSteps.concat(s, c);
      case Concat c -> DataSteps.concat(s, c);
      case Slice sl -> DataSteps.slice(s, sl);
      case ChannelShuffle c -> DataSteps.channelShuffle(s, c);
      case Permute p -> DataSteps.permute(s, p);
      case Pad p -> DataSteps.pad(s, p);
      case Crop c -> DataSteps.crop(s, c);
      case Mean m -> DataSteps.mean(s, m);
      case Reduce r -> ReduceSteps.reduce(s, r);
      case Reshape r -> DataSteps.view(s);
      case Flatten f -> DataSteps.view(s);
      case Dropout d -> DataSteps.view(s);
      case PositionalEncoding p -> SequenceSteps.positionalEncoding(s, p);
      case Embedding e -> GatherSteps.embedding(s, e);
      case PositionalEmbedding p -> GatherSteps.positionalEmbedding(s, p);
      case Attention a -> SequenceSteps.attention(s, a);
      case WindowAttention a -> SequenceSteps.windowAttention(s, a);
      case Recurrent r -> SequenceSteps.recurrent(s, r);
    };
  }

  /** A layout conversion between NCHW and channel-blocked NCHWc16 (or a copy when both are the same). */
  static CodeBlock relayout(Memory mem, Buffer from, Buffer to) {
    TensorType t = from.type();
    if (from.layout() == to.layout()) {
      return CodeBlock.builder().addStatement("$T.arraycopy($L, $L, $L)", System.class, mem.at(from), mem.at(to),
          Memory.length(to)).build();
    }
    String method = to.layout() == Plan.Layout.NCHWC16 ? "toBlocked" : "toNchw";
    return CodeBlock.builder().addStatement("$T.$L($L, $L, $L, $L, $L, $N)", LAYOUT_CONVERT, method, Memory.items(t),
        t.dim(0), StepContext.spatial(t), mem.at(from), mem.at(to), Memory.EXECUTOR).build();
  }

  private static CodeBlock writeOutput(StepContext s) { return relayout(s.mem(), s.in(0), s.out()); }
}

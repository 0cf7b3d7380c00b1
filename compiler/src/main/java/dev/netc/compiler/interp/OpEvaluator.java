package dev.netc.compiler.interp;

import dev.netc.compiler.ir.AdaptivePool;
import dev.netc.compiler.ir.Activation;
import dev.netc.compiler.ir.Add;
import dev.netc.compiler.ir.Attention;
import dev.netc.compiler.ir.WindowAttention;
import dev.netc.compiler.ir.BatchNorm;
import dev.netc.compiler.ir.Binary;
import dev.netc.compiler.ir.ChannelShuffle;
import dev.netc.compiler.ir.Concat;
import dev.netc.compiler.ir.Conv;
import dev.netc.compiler.ir.ConvTranspose;
import dev.netc.compiler.ir.Crop;
import dev.netc.compiler.ir.Dropout;
import dev.netc.compiler.ir.ElementwiseChain;
import dev.netc.compiler.ir.Embedding;
import dev.netc.compiler.ir.Flatten;
import dev.netc.compiler.ir.Fused;
import dev.netc.compiler.ir.GroupNorm;
import dev.netc.compiler.ir.Input;
import dev.netc.compiler.ir.InstanceNorm;
import dev.netc.compiler.ir.L2Norm;
import dev.netc.compiler.ir.Learned;
import dev.netc.compiler.ir.LayerNorm;
import dev.netc.compiler.ir.Linear;
import dev.netc.compiler.ir.Lrn;
import dev.netc.compiler.ir.MatMul;
import dev.netc.compiler.ir.Mean;
import dev.netc.compiler.ir.Mul;
import dev.netc.compiler.ir.Op;
import dev.netc.compiler.ir.Pad;
import dev.netc.compiler.ir.Permute;
import dev.netc.compiler.ir.MaxUnpool;
import dev.netc.compiler.ir.Pool;
import dev.netc.compiler.ir.PoolIndices;
import dev.netc.compiler.ir.PositionalEmbedding;
import dev.netc.compiler.ir.PositionalEncoding;
import dev.netc.compiler.ir.Recurrent;
import dev.netc.compiler.ir.Reduce;
import dev.netc.compiler.ir.Reshape;
import dev.netc.compiler.ir.RoiAlign;
import dev.netc.compiler.ir.RoiPool;
import dev.netc.compiler.ir.Scale;
import dev.netc.compiler.ir.Slice;
import dev.netc.compiler.ir.Softmax;
import dev.netc.compiler.ir.Upsample;
import dev.netc.runtime.kernels.BroadcastBinary;
import java.util.List;

/**
 * The interpreter's op table: one exhaustive switch over {@link Op}, without a default, so that an op added to
 * the IR fails to compile here until it can be interpreted. Each case hands its inputs to the family file
 * that implements it.
 */
final class OpEvaluator {
  private OpEvaluator() {}

  static TensorValue eval(Op op, List<TensorValue> in, Frame f) {
    return switch (op) {
      case Input i -> throw new IllegalStateException("input " + i.inputName() + " is bound, not evaluated");
      case Conv c -> ProductOps.conv(c, in.getFirst(), f);
      case ConvTranspose c -> ProductOps.convTranspose(c, in.getFirst(), f);
      case Linear l -> ProductOps.linear(l, in.getFirst(), f);
      case MatMul m -> ProductOps.matmul(m, in.get(0), in.get(1), f);
      case BatchNorm b -> NormOps.batchNorm(b, in.getFirst(), f);
      case LayerNorm l -> NormOps.layerNorm(l, in.getFirst(), f);
      case GroupNorm g -> NormOps.groupNorm(g, in.getFirst(), f);
      case InstanceNorm n -> NormOps.instanceNorm(n, in.getFirst(), f);
      case Lrn l -> NormOps.lrn(l, in.getFirst(), f);
      case L2Norm l -> NormOps.l2norm(l, in.getFirst(), f);
      case Activation a -> PointwiseOps.activation(a, in.getFirst(), f);
      case Scale s -> PointwiseOps.scale(s, in.getFirst(), f);
      case Softmax s -> PointwiseOps.softmax(s, in.getFirst(), f);
      case Pool p -> PoolOps.pool(p, in.getFirst(), f);
      case PoolIndices p -> PoolOps.indices(p, in.getFirst(), f);
      case MaxUnpool u -> PoolOps.unpool(u, in.get(0), in.get(1), f);
      case AdaptivePool p -> PoolOps.adaptive(p, in.getFirst(), f);
      case Upsample u -> ResampleOps.upsample(u, in.getFirst(), f);
      case Concat c when in.stream().anyMatch(v -> !v.batched()) && f.out().batched() ->
          LayoutOps.concat(c, BroadcastOps.expand(in, f), f);
      case Concat c -> LayoutOps.concat(c, in, f);
      case Add a when BroadcastOps.general(in, f) -> BroadcastOps.fold(BroadcastBinary.Kind.ADD, in, f);
      case Add a -> PointwiseOps.add(in, f);
      case Mul m when BroadcastOps.general(in, f) -> BroadcastOps.fold(BroadcastBinary.Kind.MUL, in, f);
      case Mul m -> PointwiseOps.mul(in, f);
      case Binary b -> BroadcastOps.fold(b.kind() == Binary.Kind.SUB ? BroadcastBinary.Kind.SUB
          : BroadcastBinary.Kind.DIV, in, f);
      case Learned l -> BroadcastOps.learned(f);
      case Slice s -> LayoutOps.slice(s, in.getFirst(), f);
      case ChannelShuffle c -> LayoutOps.channelShuffle(c, in.getFirst(), f);
      // Views: the data is already in C order for the new shape.
      case Reshape r -> in.getFirst().view(f.out());
      case Flatten fl -> in.getFirst().view(f.out());
      case Permute p -> LayoutOps.permute(p, in.getFirst(), f);
      case Pad p -> LayoutOps.pad(p, in.getFirst(), f);
      case Crop c -> LayoutOps.crop(c, in.getFirst(), f);
      case Mean m -> LayoutOps.mean(m, in.getFirst(), f);
      case Reduce r -> ReduceOps.reduce(r, in.getFirst(), f);
      case Dropout d -> in.getFirst(); // the identity at inference
      case PositionalEncoding p -> SequenceOps.positionalEncoding(p, in.getFirst(), f);
      case Embedding e -> GatherOps.embedding(e, in.getFirst(), f);
      case PositionalEmbedding p -> GatherOps.positionalEmbedding(p, in.getFirst(), f);
      case Attention a -> SequenceOps.attention(a, in.getFirst(), f);
      case WindowAttention a -> SequenceOps.windowAttention(a, in.getFirst(), f);
      case Recurrent r -> RecurrentOps.recurrent(r, in.getFirst(), f);
      case RoiPool r -> ResampleOps.roiPool(r, in.get(0), in.get(1), f);
      case RoiAlign r -> ResampleOps.roiAlign(r, in.get(0), in.get(1), f);
      case Fused fu -> fused(fu, in, f);
      case ElementwiseChain c -> chain(c, in, f);
    };
  }

  /**
   * A chain computed link by link: each batchnorm with its own tensors in the order the node carries them, each
   * add or mul with the next of the node's other inputs.
   */
  private static TensorValue chain(ElementwiseChain op, List<TensorValue> in, Frame f) {
    TensorValue x = in.getFirst();
    int operand = 1;
    LayerParams rest = f.params();
    for (Op link : op.ops()) {
      List<TensorValue> args = ElementwiseChain.isBinary(link) ? List.of(x, in.get(operand++)) : List.of(x);
      int own = link.params(List.of(x.type())).size();
      List<LayerParams> parts = rest.split(own);
      x = eval(link, args, f.with(f.out(), parts.get(0)));
      rest = parts.get(1);
    }
    return x;
  }

  /**
   * A fused layer computed as the layers it replaced, one after the other: the main op with its own tensors,
   * then the folded batchnorm with the rest of the node's tensors, the residual add, the activation. So the
   * interpreter checks the optimizer's rewrites instead of sharing their arithmetic.
   */
  private static TensorValue fused(Fused op, List<TensorValue> in, Frame f) {
    TensorValue x = in.getFirst();
    int own = op.main().params(List.of(x.type())).size();
    List<LayerParams> parts = f.params().split(own);
    TensorValue y = eval(op.main(), List.of(x), f.with(f.out(), parts.get(0)));
    if (op.norm() != null) y = NormOps.batchNorm(op.norm(), y, f.with(f.out(), parts.get(1)));
    if (op.residual()) y = PointwiseOps.add(List.of(y, in.get(1)), f);
    if (op.act() != null) y = PointwiseOps.activation(op.act(), y, f);
    return y;
  }
}

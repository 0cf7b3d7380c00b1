package dev.netc.compiler.emit.cuda;

import dev.netc.compiler.ir.*;
import dev.netc.compiler.plan.Plan.Step;

/** The op table: which kernel family writes each op's step; an op missing here has no CUDA kernel yet. */
final class Ops {
  private Ops() {}

  static void compute(CudaEmitter e, Step s, Node n) {
    switch (n.op()) {
      case Conv c -> ConvKernels.layer(e, s, n, new Fused(c, null, null, false));
      case ConvTranspose t -> ConvKernels.layer(e, s, n, new Fused(t, null, null, false));
      case Linear l -> ConvKernels.layer(e, s, n, new Fused(l, null, null, false));
      case Fused f -> ConvKernels.layer(e, s, n, f);
      case MatMul m -> ConvKernels.matmul(e, s, n);
      case ElementwiseChain c -> MapKernels.chain(e, s, n, c.ops());
      case Activation a -> MapKernels.chain(e, s, n, java.util.List.of(a));
      case Scale sc -> MapKernels.chain(e, s, n, java.util.List.of(sc));
      case BatchNorm b -> MapKernels.chain(e, s, n, java.util.List.of(b));
      case Add a -> MapKernels.combine(e, s, n, "+");
      case Mul m -> MapKernels.combine(e, s, n, "*");
      case Binary b -> MapKernels.combine(e, s, n, b.kind() == Binary.Kind.SUB ? "-" : "/");
      case Learned l -> DataKernels.learned(e, s, n);
      case Reduce r -> PoolKernels.reduce(e, s, n, r);
      case Embedding em -> SequenceKernels.embedding(e, s, n, em);
      case PositionalEmbedding p -> SequenceKernels.positionalEmbedding(e, s, n);
      case PositionalEncoding p -> SequenceKernels.positionalEncoding(e, s, n, p);
      case Attention a -> SequenceKernels.attention(e, s, n, a);
      case WindowAttention w -> SequenceKernels.windowAttention(e, s, n, w);
      case Recurrent r -> SequenceKernels.recurrent(e, s, n, r);
      case Softmax sm -> MapKernels.softmax(e, s, n, sm);
      case LayerNorm l -> MapKernels.layerNorm(e, s, n, l);
      case GroupNorm g -> MapKernels.groupNorm(e, s, n, g);
      case InstanceNorm in -> MapKernels.instanceNorm(e, s, n, in);
      case Lrn l -> MapKernels.lrn(e, s, n, l);
      case L2Norm l -> MapKernels.l2norm(e, s, n, l);
      case Pool p -> PoolKernels.pool(e, s, n, p);
      case AdaptivePool p -> PoolKernels.adaptive(e, s, n, p);
      case PoolIndices p -> PoolKernels.indices(e, s, n, p);
      case MaxUnpool u -> PoolKernels.unpool(e, s, n, u);
      case Upsample u -> PoolKernels.upsample(e, s, n, u);
      case RoiPool r -> RoiKernels.pool(e, s, n, r);
      case RoiAlign r -> RoiKernels.align(e, s, n, r);
      case Mean m -> PoolKernels.mean(e, s, n, m);
      case Concat c -> DataKernels.concat(e, s, n, c);
      case Reshape r -> DataKernels.copyStep(e, s);
      case Flatten f -> DataKernels.copyStep(e, s);
      case Dropout d -> DataKernels.copyStep(e, s);
      case ChannelShuffle c -> DataKernels.channelShuffle(e, s, n, c);
      case Slice sl -> DataKernels.slice(e, s, n, sl);
      case Pad p -> DataKernels.pad(e, s, n, p);
      case Crop c -> DataKernels.crop(e, s, n, c);
      case Permute p -> DataKernels.permute(e, s, n, p);
      default -> throw CudaEmitter.unsupported(n, "");
    }
  }
}

package dev.netc.compiler.ir;

import java.util.List;

/**
 * An operation of the graph: its attributes (fully resolved: no defaults, no "same" padding, one value per
 * spatial dimension), its shape rule, the tensors it owns, and its cost. This sealed hierarchy is the IR's op
 * table; every pass that must handle every op switches over it exhaustively, without a default, so a new op
 * fails to compile wherever it is not handled yet. The surface syntax (names, argument lists, defaults) of each
 * op is its entry in {@code dev.netc.compiler.ops.OpCatalogue}.
 */
public sealed interface Op
    permits Input, Conv, ConvTranspose, Linear, MatMul, BatchNorm, LayerNorm, GroupNorm, InstanceNorm, Lrn,
        Activation, Scale, Softmax, Pool, AdaptivePool, Upsample, Concat, Add, Mul, Slice, ChannelShuffle, Reshape,
        Flatten, Permute, Pad, Crop, Mean, Dropout, PositionalEncoding, Attention, Recurrent, RoiPool, RoiAlign,
        Embedding, PositionalEmbedding, L2Norm, Fused, ElementwiseChain, Reduce, Learned, Binary, PoolIndices,
        MaxUnpool, WindowAttention {

  /** The catalogue name shown in reports ({@code conv}, {@code relu}, {@code maxpool}, ...). */
  String name();

  /** How many tensor inputs the op takes; {@code -1} for "two or more" (concat, add, mul). */
  int arity();

  /** The output type for these input types, or a {@link ShapeException} naming both shapes. */
  TensorType infer(List<TensorType> in);

  /** The parameter tensors this op owns for these inputs (names relative to the layer). */
  default List<ParamSpec> params(List<TensorType> in) { return List.of(); }

  /** Cost for a batch of {@code batch} items; {@code out} is {@link #infer}'s result. */
  Cost cost(List<TensorType> in, TensorType out, int batch);

  /** A short description of the attributes for reports and dumps, e.g. {@code 64, k=3, s=2, p=1}. */
  String describe();
}

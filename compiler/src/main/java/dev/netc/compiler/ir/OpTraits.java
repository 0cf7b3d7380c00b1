package dev.netc.compiler.ir;

import java.util.EnumSet;
import java.util.Set;

/**
 * What the passes after the IR need to know about an op beyond its shape rule, decided here once per op by one
 * exhaustive switch (a new op fails to compile here until its traits are decided): the planner's layout and buffer
 * rules, concat elision and the emitter's output strides, the optimizer's chains, and receptive fields read them
 * instead of each listing op types of its own.
 */
public final class OpTraits {
  private OpTraits() {}

  /** A property an op has or lacks. */
  public enum Trait {
    /**
     * A link of an {@link ElementwiseChain}: output element {@code i} is a function of element {@code i} of the
     * input, of its channel, and (add, mul) of one more tensor of the same shape or one value per channel.
     */
    ELEMENTWISE,
    /**
     * Reads and writes any layout, channel-blocked NCHWc16 included, the output in its input's layout: no channel
     * dependence and no indexing by position. For add and mul only when every input has the output's shape (a
     * broadcast indexes NCHW).
     */
    ANY_LAYOUT,
    /** Unary and elementwise: may write over its input when nothing else reads it afterwards. */
    IN_PLACE,
    /** The output is the input's floats seen with another shape (in contiguous NCHW): no step, no buffer. */
    VIEW,
    /**
     * A convolution kernel (plain or transposed, with or without a fused epilogue, not a linear layer): reads NCHW
     * or NCHWc16, writes NCHWc16, and can write its images a given stride apart (a channel slice of a concat).
     */
    CONV,
    /**
     * Every output position is computed from the same position of the input only (a norm's or softmax's
     * statistics over other positions are not counted), so the receptive field passes through unchanged.
     */
    KEEPS_FIELD
  }

  /** The traits of {@code op}. */
  public static Set<Trait> of(Op op) {
    return switch (op) {
      case Activation a -> EnumSet.of(Trait.ELEMENTWISE, Trait.ANY_LAYOUT, Trait.IN_PLACE, Trait.KEEPS_FIELD);
      case Scale s -> EnumSet.of(Trait.ELEMENTWISE, Trait.ANY_LAYOUT, Trait.IN_PLACE, Trait.KEEPS_FIELD);
      case Add a -> EnumSet.of(Trait.ELEMENTWISE, Trait.ANY_LAYOUT);
      case Mul m -> EnumSet.of(Trait.ELEMENTWISE, Trait.ANY_LAYOUT);
      case BatchNorm b -> EnumSet.of(Trait.ELEMENTWISE, Trait.KEEPS_FIELD);
      case ElementwiseChain c -> c.perChannel() ? EnumSet.of(Trait.IN_PLACE, Trait.KEEPS_FIELD)
          : EnumSet.of(Trait.ANY_LAYOUT, Trait.IN_PLACE, Trait.KEEPS_FIELD);
      case Conv c -> EnumSet.of(Trait.CONV);
      case ConvTranspose t -> EnumSet.of(Trait.CONV);
      case Fused f -> f.main() instanceof Linear ? EnumSet.noneOf(Trait.class) : EnumSet.of(Trait.CONV);
      case Reshape r -> EnumSet.of(Trait.VIEW);
      case Flatten f -> EnumSet.of(Trait.VIEW);
      case Dropout d -> EnumSet.of(Trait.VIEW, Trait.KEEPS_FIELD);
      case LayerNorm n -> EnumSet.of(Trait.KEEPS_FIELD);
      case GroupNorm n -> EnumSet.of(Trait.KEEPS_FIELD);
      case InstanceNorm n -> EnumSet.of(Trait.KEEPS_FIELD);
      case Lrn n -> EnumSet.of(Trait.KEEPS_FIELD);
      case L2Norm n -> EnumSet.of(Trait.KEEPS_FIELD);
      case Softmax s -> EnumSet.of(Trait.KEEPS_FIELD);
      case ChannelShuffle c -> EnumSet.of(Trait.KEEPS_FIELD);
      case Pad p -> EnumSet.of(Trait.KEEPS_FIELD);
      case Crop c -> EnumSet.of(Trait.KEEPS_FIELD);
      case PositionalEncoding p -> EnumSet.of(Trait.KEEPS_FIELD);
      case PositionalEmbedding p -> EnumSet.of(Trait.KEEPS_FIELD);
      case Input i -> EnumSet.noneOf(Trait.class);
      case Linear l -> EnumSet.noneOf(Trait.class);
      case MatMul m -> EnumSet.noneOf(Trait.class);
      case Pool p -> EnumSet.noneOf(Trait.class);
      case PoolIndices p -> EnumSet.noneOf(Trait.class);
      case MaxUnpool u -> EnumSet.noneOf(Trait.class);
      case AdaptivePool p -> EnumSet.noneOf(Trait.class);
      case Upsample u -> EnumSet.noneOf(Trait.class);
      case Concat c -> EnumSet.noneOf(Trait.class);
      case Slice s -> EnumSet.noneOf(Trait.class);
      case Permute p -> EnumSet.noneOf(Trait.class);
      case Mean m -> EnumSet.noneOf(Trait.class);
      case Reduce r -> EnumSet.noneOf(Trait.class);
      case Learned l -> EnumSet.noneOf(Trait.class);
      case Binary b -> EnumSet.noneOf(Trait.class);
      case Attention a -> EnumSet.noneOf(Trait.class);
      case WindowAttention a -> EnumSet.noneOf(Trait.class);
      case Recurrent r -> EnumSet.noneOf(Trait.class);
      case RoiPool r -> EnumSet.noneOf(Trait.class);
      case RoiAlign r -> EnumSet.noneOf(Trait.class);
      case Embedding e -> EnumSet.noneOf(Trait.class);
    };
  }

  /** Whether {@code op} has trait {@code t}. */
  public static boolean has(Op op, Trait t) { return of(op).contains(t); }

  /** {@link Trait#CONV}. */
  public static boolean isConv(Op op) { return has(op, Trait.CONV); }

  /** {@link Trait#VIEW}. */
  public static boolean isView(Op op) { return has(op, Trait.VIEW); }

  /** {@link Trait#IN_PLACE}. */
  public static boolean inPlace(Op op) { return has(op, Trait.IN_PLACE); }

  /** {@link Trait#ELEMENTWISE}. */
  public static boolean isElementwise(Op op) { return has(op, Trait.ELEMENTWISE); }

  /** {@link Trait#ANY_LAYOUT}. */
  public static boolean anyLayout(Op op) { return has(op, Trait.ANY_LAYOUT); }

  /** {@link Trait#KEEPS_FIELD}. */
  public static boolean keepsField(Op op) { return has(op, Trait.KEEPS_FIELD); }
}

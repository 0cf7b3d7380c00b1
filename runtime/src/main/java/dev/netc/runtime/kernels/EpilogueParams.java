package dev.netc.runtime.kernels;

/**
 * An {@link Epilogue} fused for a kernel: {@code y = act(acc * mul[c] + add[c] + residual)}, with
 * {@code add = shift + bias}, arrays zero-padded to whole vectors so kernels load them without
 * tails. Built once at load time; immutable.
 */
final class EpilogueParams {
  /** How the vector epilogue applies the activation. */
  static final int ACT_IDENTITY = 0;
  static final int ACT_RELU = 1;
  static final int ACT_RELU6 = 2;
  static final int ACT_LEAKY = 3;
  /** Anything else: computed after the store by the activation's own array kernel. */
  static final int ACT_AFTER_STORE = 4;

  /** The number of real channels; entries past it are zero. */
  final int channels;
  /** Per-channel multiplier (1 where the epilogue has no scale: {@code fma(acc, 1, add)} is exactly
   * {@code acc + add}, so kernels need no second path). */
  final float[] mul;
  /** Per-channel addend (shift + bias), never null. */
  final float[] add;
  final boolean residual;
  final Activation activation;
  final float alpha;
  final int actKind;

  EpilogueParams(int channels, float[] mul, float[] add, boolean residual, Activation activation,
      float alpha) {
    this.channels = channels;
    this.mul = mul;
    this.add = add;
    this.residual = residual;
    this.activation = activation;
    this.alpha = alpha;
    this.actKind = switch (activation) {
      case IDENTITY -> ACT_IDENTITY;
      case RELU -> ACT_RELU;
      case RELU6 -> ACT_RELU6;
      case LEAKY_RELU -> ACT_LEAKY;
      default -> ACT_AFTER_STORE;
    };
  }

  /** The scalar epilogue of one accumulator of channel {@code c}. */
  float apply(float acc, int c, float res) {
    float y = Math.fma(acc, mul[c], add[c]);
    if (residual) {
      y += res;
    }
    return activation.apply(y, alpha);
  }
}

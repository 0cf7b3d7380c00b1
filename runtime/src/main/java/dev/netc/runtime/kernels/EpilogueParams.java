package dev.netc.runtime.kernels;

/**
 * An {@link Epilogue} fused for a kernel: {@code y = act(acc * mul[c] + add[c] + residual)}, with
 * {@code add = shift + bias}, arrays zero-padded to whole vectors so kernels load them without
 * tails. Built once at load time; immutable.
 */
final class EpilogueParams {
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
  /** How the vector epilogues apply the activation: a {@link FusedActivation} kind. */
  final int actKind;

  EpilogueParams(int channels, float[] mul, float[] add, boolean residual, Activation activation,
      float alpha) {
    this.channels = channels;
    this.mul = mul;
    this.add = add;
    this.residual = residual;
    this.activation = activation;
    this.alpha = alpha;
    this.actKind = FusedActivation.of(activation);
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

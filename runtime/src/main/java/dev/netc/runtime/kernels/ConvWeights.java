package dev.netc.runtime.kernels;

/**
 * Read access to a convolution's weights by (output channel, input channel, kernel position),
 * whatever their stored layout; used only while packing at load time.
 */
@FunctionalInterface
interface ConvWeights {
  /**
   * The weight connecting input channel {@code ic} to output channel {@code oc} at kernel
   * position ({@code kz}, {@code ky}, {@code kx}); 0 when the two channels are in different groups.
   */
  float at(int oc, int ic, int kz, int ky, int kx);

  /** PyTorch convolution weights {@code [out, in/groups, kD, kH, kW]} at {@code w[off..]}. */
  static ConvWeights of(ConvSpec s, float[] w, int off) {
    int icg = s.inChannels() / s.groups();
    int ocg = s.outChannels() / s.groups();
    int kd = s.depth().kernel();
    int kh = s.height().kernel();
    int kw = s.width().kernel();
    if (!s.transposed()) {
      return (oc, ic, kz, ky, kx) -> oc / ocg != ic / icg ? 0f
          : w[off + (((oc * icg + ic % icg) * kd + kz) * kh + ky) * kw + kx];
    }
    return (oc, ic, kz, ky, kx) -> oc / ocg != ic / icg ? 0f
        : w[off + (((ic * ocg + oc % ocg) * kd + kz) * kh + ky) * kw + kx];
  }
}

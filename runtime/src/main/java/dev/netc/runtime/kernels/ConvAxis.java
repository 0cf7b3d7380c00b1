package dev.netc.runtime.kernels;

/**
 * One spatial axis of a convolution: input length, kernel, stride, padding before and after,
 * dilation, and (transposed convolutions only) output padding.
 *
 * <p>Output length: {@code floor((in + padBegin + padEnd - dilation*(kernel-1) - 1) / stride) + 1}
 * for a convolution; {@code (in-1)*stride - padBegin - padEnd + dilation*(kernel-1) +
 * outputPadding + 1} for a transposed one (PyTorch's rules, with padding allowed to differ at the
 * two ends; a causal 1-D convolution pads only at the beginning).
 *
 * @param in            input length, at least 1
 * @param kernel        kernel length, at least 1
 * @param stride        at least 1
 * @param padBegin      zero padding before the first element (top, left, front), at least 0
 * @param padEnd        zero padding after the last element (bottom, right, back), at least 0
 * @param dilation      distance between kernel taps, at least 1
 * @param outputPadding extra output elements at the end of a transposed convolution; 0 otherwise
 */
public record ConvAxis(int in, int kernel, int stride, int padBegin, int padEnd, int dilation,
    int outputPadding) {
  /** Checks the ranges. */
  public ConvAxis {
    if (in < 1 || kernel < 1 || stride < 1 || dilation < 1 || padBegin < 0 || padEnd < 0
        || outputPadding < 0) {
      throw new IllegalArgumentException("bad convolution axis: in=" + in + " kernel=" + kernel
          + " stride=" + stride + " pad=" + padBegin + "/" + padEnd + " dilation=" + dilation
          + " outputPadding=" + outputPadding);
    }
  }

  /** A trivial axis (length 1, kernel 1): the unused depth of a 2-D convolution. */
  public static ConvAxis unit() {
    return new ConvAxis(1, 1, 1, 0, 0, 1, 0);
  }

  /** An axis without output padding. */
  public static ConvAxis of(int in, int kernel, int stride, int padBegin, int padEnd, int dilation) {
    return new ConvAxis(in, kernel, stride, padBegin, padEnd, dilation, 0);
  }

  /** The output length of a convolution along this axis (may be &lt;= 0 for a bad shape). */
  public int convOut() {
    return Math.floorDiv(in + padBegin + padEnd - dilation * (kernel - 1) - 1, stride) + 1;
  }

  /** The output length of a transposed convolution along this axis. */
  public int transposedOut() {
    return (in - 1) * stride - padBegin - padEnd + dilation * (kernel - 1) + outputPadding + 1;
  }
}

package dev.netc.runtime.kernels;

/**
 * The shape of one convolution layer (1-, 2- or 3-D, plain or transposed, grouped), for batch 1;
 * the batch is given per call.
 *
 * <p>Weights are PyTorch's: {@code [out, in/groups, kD, kH, kW]} for a convolution and
 * {@code [in, out/groups, kD, kH, kW]} for a transposed one, with the missing spatial axes of 1-
 * and 2-D layers dropped (their {@link ConvAxis#unit()} axes have kernel 1). Tensors are
 * {@code [C, D, H, W]} per image, in a {@link Layout}.
 *
 * @param rank        1, 2 or 3 spatial dimensions
 * @param transposed  a transposed convolution (PyTorch {@code ConvTransposeNd})
 * @param inChannels  input channels
 * @param outChannels output channels
 * @param groups      channel groups; both channel counts are multiples of it
 * @param depth       the depth axis (unit for rank 1 and 2)
 * @param height      the height axis (unit for rank 1)
 * @param width       the width (or length) axis
 */
public record ConvSpec(int rank, boolean transposed, int inChannels, int outChannels, int groups,
    ConvAxis depth, ConvAxis height, ConvAxis width) {
  /** Checks channels, groups and that every output length is positive. */
  public ConvSpec {
    if (rank < 1 || rank > 3) {
      throw new IllegalArgumentException("rank must be 1, 2 or 3, got " + rank);
    }
    if (inChannels < 1 || outChannels < 1 || groups < 1 || inChannels % groups != 0
        || outChannels % groups != 0) {
      throw new IllegalArgumentException("channels " + inChannels + " -> " + outChannels
          + " not divisible into " + groups + " groups");
    }
    if (rank < 3 && !depth.equals(ConvAxis.unit()) || rank < 2 && !height.equals(ConvAxis.unit())) {
      throw new IllegalArgumentException("unused axes of a rank-" + rank + " convolution must be unit");
    }
    for (ConvAxis a : new ConvAxis[] {depth, height, width}) {
      int out = transposed ? a.transposedOut() : a.convOut();
      if (out < 1) {
        throw new IllegalArgumentException("empty output along " + a);
      }
      if (transposed && a.outputPadding() >= Math.max(a.stride(), a.dilation())) {
        throw new IllegalArgumentException("output padding must be smaller than stride or dilation: " + a);
      }
      if (!transposed && a.outputPadding() != 0) {
        throw new IllegalArgumentException("output padding applies to transposed convolutions only");
      }
    }
  }

  /** A 2-D convolution with explicit (possibly asymmetric) padding. */
  public static ConvSpec conv2d(int inC, int outC, int groups, ConvAxis height, ConvAxis width) {
    return new ConvSpec(2, false, inC, outC, groups, ConvAxis.unit(), height, width);
  }

  /**
   * A 2-D convolution: input {@code inH x inW}, kernel {@code kH x kW}, strides, padding
   * (top, left, bottom, right), dilations, groups.
   */
  public static ConvSpec conv2d(int inC, int outC, int inH, int inW, int kH, int kW, int strideH,
      int strideW, int padTop, int padLeft, int padBottom, int padRight, int dilH, int dilW,
      int groups) {
    return conv2d(inC, outC, groups, ConvAxis.of(inH, kH, strideH, padTop, padBottom, dilH),
        ConvAxis.of(inW, kW, strideW, padLeft, padRight, dilW));
  }

  /** A 1-D convolution; a causal one has {@code padEnd = 0}. */
  public static ConvSpec conv1d(int inC, int outC, int groups, ConvAxis length) {
    return new ConvSpec(1, false, inC, outC, groups, ConvAxis.unit(), ConvAxis.unit(), length);
  }

  /** A 3-D convolution. */
  public static ConvSpec conv3d(int inC, int outC, int groups, ConvAxis depth, ConvAxis height,
      ConvAxis width) {
    return new ConvSpec(3, false, inC, outC, groups, depth, height, width);
  }

  /** A transposed 1-D convolution (axis with output padding). */
  public static ConvSpec convTranspose1d(int inC, int outC, int groups, ConvAxis length) {
    return new ConvSpec(1, true, inC, outC, groups, ConvAxis.unit(), ConvAxis.unit(), length);
  }

  /** A transposed 2-D convolution. */
  public static ConvSpec convTranspose2d(int inC, int outC, int groups, ConvAxis height, ConvAxis width) {
    return new ConvSpec(2, true, inC, outC, groups, ConvAxis.unit(), height, width);
  }

  /** A transposed 3-D convolution. */
  public static ConvSpec convTranspose3d(int inC, int outC, int groups, ConvAxis depth,
      ConvAxis height, ConvAxis width) {
    return new ConvSpec(3, true, inC, outC, groups, depth, height, width);
  }

  /** The output length along {@code a}. */
  private int out(ConvAxis a) {
    return transposed ? a.transposedOut() : a.convOut();
  }

  /** Output depth. */
  public int outDepth() {
    return out(depth);
  }

  /** Output height. */
  public int outHeight() {
    return out(height);
  }

  /** Output width (length). */
  public int outWidth() {
    return out(width);
  }

  /** Input positions per channel: {@code D*H*W}. */
  public int inSpatial() {
    return depth.in() * height.in() * width.in();
  }

  /** Output positions per channel. */
  public int outSpatial() {
    return outDepth() * outHeight() * outWidth();
  }

  /** Kernel taps: {@code kD*kH*kW}. */
  public int taps() {
    return depth.kernel() * height.kernel() * width.kernel();
  }

  /** The number of weight elements. */
  public int weightSize() {
    return (transposed ? inChannels * (outChannels / groups) : outChannels * (inChannels / groups)) * taps();
  }

  /** Multiply-accumulates per image (zero-padding taps included, as PyTorch counters do). */
  public long macs() {
    long perOut = (long) (inChannels / groups) * taps();
    return transposed
        ? (long) inSpatial() * inChannels * (outChannels / groups) * taps()
        : (long) outSpatial() * outChannels * perOut;
  }

  /** True for a depthwise convolution with channel multiplier 1 (groups = in = out channels). */
  public boolean depthwise() {
    return !transposed && groups == inChannels && groups == outChannels;
  }

  /** Input floats per image in {@code layout}. */
  public int inSize(Layout layout) {
    return layout.imageSize(inChannels, inSpatial());
  }

  /** Output floats per image in {@code layout}. */
  public int outSize(Layout layout) {
    return layout.imageSize(outChannels, outSpatial());
  }
}

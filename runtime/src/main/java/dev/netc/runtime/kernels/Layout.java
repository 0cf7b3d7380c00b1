package dev.netc.runtime.kernels;

/**
 * How an activation tensor's channels and spatial positions are laid out in a {@code float[]}.
 *
 * <p>Spatial positions (d, h, w for 3-D; h, w for 2-D; l for 1-D) are always row-major and
 * flattened into one index {@code p} in {@code [0, spatial)}; images of a batch follow each other.
 * <ul>
 *   <li>{@link #NCHW}: PyTorch's layout; channel {@code c} at {@code c * spatial + p}.</li>
 *   <li>{@link #NCHWC16}: channels in blocks of {@value #BLOCK}; channel {@code c} at
 *       {@code (c / 16) * spatial * 16 + p * 16 + c % 16}. The channel count is padded to a
 *       multiple of 16 and <b>padding channels hold zeros</b>: every kernel that writes this
 *       layout writes zeros there, and kernels that read it never depend on them.</li>
 * </ul>
 * The blocked layout is the one the fast kernels run on: the 16 channels of one pixel are two
 * 256-bit vectors (one 512-bit), so a convolution's output tile is a few pixels times whole
 * vectors, and a depthwise kernel is plain vector arithmetic with no partial vectors. The whole
 * network stays blocked; only model inputs and outputs are converted ({@link LayoutConvert}).
 */
public enum Layout {
  /** Plain channel-major (PyTorch) layout. */
  NCHW,
  /** Channels blocked by 16, zero-padded: {@code [N][C/16][spatial][16]}. */
  NCHWC16;

  /** The channel block of {@link #NCHWC16}. */
  public static final int BLOCK = 16;

  /** {@code channels} rounded up to a multiple of {@link #BLOCK}. */
  public static int paddedChannels(int channels) {
    return (channels + BLOCK - 1) / BLOCK * BLOCK;
  }

  /** The number of floats one image takes in this layout. */
  public int imageSize(int channels, int spatial) {
    return this == NCHW ? channels * spatial : paddedChannels(channels) * spatial;
  }

  /** The offset of channel {@code c} at spatial position 0 within one image. */
  public int channelOffset(int c, int spatial) {
    return this == NCHW ? c * spatial : (c / BLOCK) * spatial * BLOCK + c % BLOCK;
  }

  /** The distance between two neighbouring spatial positions of one channel. */
  public int pixelStride() {
    return this == NCHW ? 1 : BLOCK;
  }

  /** The offset of element ({@code c}, {@code p}) within one image. */
  public int index(int c, int p, int spatial) {
    return channelOffset(c, spatial) + p * pixelStride();
  }
}

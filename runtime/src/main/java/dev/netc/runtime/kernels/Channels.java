package dev.netc.runtime.kernels;

/**
 * Channel-granular copies in either {@link Layout}: concat and split along channels at any
 * channel offsets, and channel shuffle, also when the offsets do not fall on 16-channel block
 * boundaries of {@link Layout#NCHWC16}. Runs of channels that are contiguous in both tensors
 * are copied with {@link System#arraycopy}. Writers of the blocked layout keep padding channels
 * zero: {@link #zeroPadding} is called for each destination that ends in a partial block.
 */
public final class Channels {
  private Channels() {}

  /**
   * Copies channels {@code [srcStart, srcStart + count)} of {@code src} ({@code srcC} channels) to
   * {@code [dstStart, ..)} of {@code dst} ({@code dstC} channels), for every image and position.
   */
  public static void copy(Layout layout, int n, int spatial, float[] src, int srcOff, int srcC, int srcStart,
      float[] dst, int dstOff, int dstC, int dstStart, int count) {
    if (srcStart < 0 || srcStart + count > srcC || dstStart < 0 || dstStart + count > dstC) {
      throw new IllegalArgumentException("channels [" + srcStart + ", " + (srcStart + count) + ") of " + srcC
          + " into [" + dstStart + ", " + (dstStart + count) + ") of " + dstC + " are out of range");
    }
    int srcImage = layout.imageSize(srcC, spatial);
    int dstImage = layout.imageSize(dstC, spatial);
    for (int b = 0; b < n; b++) {
      int so = srcOff + b * srcImage;
      int d = dstOff + b * dstImage;
      if (layout == Layout.NCHW) {
        System.arraycopy(src, so + srcStart * spatial, dst, d + dstStart * spatial, count * spatial);
      } else {
        copyBlocked(spatial, src, so, srcStart, dst, d, dstStart, count);
      }
    }
  }

  /** One image: runs that stay inside one block of both tensors are contiguous per position. */
  private static void copyBlocked(int spatial, float[] src, int so, int srcStart, float[] dst, int d, int dstStart,
      int count) {
    int bl = Layout.BLOCK;
    for (int k = 0; k < count; ) {
      int sc = srcStart + k;
      int dc = dstStart + k;
      int run = Math.min(count - k, Math.min(bl - sc % bl, bl - dc % bl));
      int sBase = so + (sc / bl) * spatial * bl + sc % bl;
      int dBase = d + (dc / bl) * spatial * bl + dc % bl;
      if (run == bl) {
        System.arraycopy(src, sBase, dst, dBase, spatial * bl); // whole aligned block
      } else {
        for (int p = 0; p < spatial; p++) {
          System.arraycopy(src, sBase + p * bl, dst, dBase + p * bl, run);
        }
      }
      k += run;
    }
  }

  /** Zeroes the padding channels {@code [c, roundUp16(c))} of every image of a blocked tensor. */
  public static void zeroPadding(int n, int c, int spatial, float[] y, int yOff) {
    int bl = Layout.BLOCK;
    int valid = c % bl;
    if (valid == 0) {
      return;
    }
    int image = Layout.NCHWC16.imageSize(c, spatial);
    for (int b = 0; b < n; b++) {
      int last = yOff + b * image + (c / bl) * spatial * bl;
      for (int p = 0; p < spatial; p++) {
        java.util.Arrays.fill(y, last + p * bl + valid, last + (p + 1) * bl, 0f);
      }
    }
  }

  /** Concatenates along channels: source {@code i} has {@code channels[i]} channels at {@code srcs[i][offsets[i] ..]}. */
  public static void concat(Layout layout, int n, int spatial, float[][] srcs, int[] offsets, int[] channels,
      float[] y, int yOff) {
    int total = 0;
    for (int c : channels) {
      total += c;
    }
    int start = 0;
    for (int i = 0; i < srcs.length; i++) {
      copy(layout, n, spatial, srcs[i], offsets[i], channels[i], 0, y, yOff, total, start, channels[i]);
      start += channels[i];
    }
    if (layout == Layout.NCHWC16) {
      zeroPadding(n, total, spatial, y, yOff);
    }
  }

  /** Splits along channels into parts of {@code channels[i]} written to {@code dsts[i][offsets[i] ..]}. */
  public static void split(Layout layout, int n, int spatial, float[] x, int xOff, float[][] dsts, int[] offsets,
      int[] channels) {
    int total = 0;
    for (int c : channels) {
      total += c;
    }
    int start = 0;
    for (int i = 0; i < dsts.length; i++) {
      copy(layout, n, spatial, x, xOff, total, start, dsts[i], offsets[i], channels[i], 0, channels[i]);
      if (layout == Layout.NCHWC16) {
        zeroPadding(n, channels[i], spatial, dsts[i], offsets[i]);
      }
      start += channels[i];
    }
  }

  /** ShuffleNet's channel shuffle (see {@link ChannelShuffle}) in either layout. Not in place. */
  public static void shuffle(Layout layout, int n, int c, int groups, int spatial, float[] x, int xOff,
      float[] y, int yOff) {
    if (c % groups != 0) {
      throw new IllegalArgumentException(c + " channels do not split into " + groups + " groups");
    }
    int perGroup = c / groups;
    for (int i = 0; i < perGroup; i++) {
      for (int g = 0; g < groups; g++) {
        copy(layout, n, spatial, x, xOff, c, g * perGroup + i, y, yOff, c, i * groups + g, 1);
      }
    }
    if (layout == Layout.NCHWC16) {
      zeroPadding(n, c, spatial, y, yOff);
    }
  }
}

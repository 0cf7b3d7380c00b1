package dev.netc.runtime.kernels;

/**
 * ShuffleNet's channel shuffle on NCHW: view channels as {@code [groups, c / groups]}, transpose
 * to {@code [c / groups, groups]}, flatten; output channel {@code i * groups + g} is input channel
 * {@code g * (c / groups) + i} (PyTorch's {@code nn.ChannelShuffle}). Not in place.
 */
public final class ChannelShuffle {
  private ChannelShuffle() {}

  /** Shuffles {@code [n, c, spatial]} into {@code y}. */
  public static void shuffle(float[] x, int xOff, float[] y, int yOff, int n, int c, int groups, int spatial) {
    if (c % groups != 0) {
      throw new IllegalArgumentException(c + " channels do not split into " + groups + " groups");
    }
    int perGroup = c / groups;
    for (int b = 0; b < n; b++) {
      for (int i = 0; i < perGroup; i++) {
        for (int g = 0; g < groups; g++) {
          int src = (b * c + g * perGroup + i) * spatial;
          int dst = (b * c + i * groups + g) * spatial;
          System.arraycopy(x, xOff + src, y, yOff + dst, spatial);
        }
      }
    }
  }
}

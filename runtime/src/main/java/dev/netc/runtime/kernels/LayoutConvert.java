package dev.netc.runtime.kernels;

import dev.netc.runtime.exec.CallFrame;
import dev.netc.runtime.exec.Executor;
import dev.netc.runtime.exec.ParallelTask;

/**
 * Converts activations between {@link Layout#NCHW} and {@link Layout#NCHWC16} (model inputs and
 * outputs are NCHW; the network runs blocked). Padding channels of a blocked result are zeroed.
 *
 * <p>Pure data movement, bound by memory bandwidth: the loops write contiguously and read 16
 * channel streams, which the hardware prefetchers follow. Parallel over (image, channel block).
 */
public final class LayoutConvert {
  private static final ParallelTask TO_BLOCKED = LayoutConvert::toBlockedChunk;
  private static final ParallelTask TO_NCHW = LayoutConvert::toNchwChunk;

  private LayoutConvert() {}

  /**
   * NCHW {@code [batch, channels, spatial]} at {@code src[srcOff..]} to blocked
   * {@code [batch, ceil(channels/16), spatial, 16]} at {@code dst[dstOff..]}.
   */
  public static void toBlocked(int batch, int channels, int spatial, float[] src, int srcOff,
      float[] dst, int dstOff, Executor ex) {
    run(TO_BLOCKED, batch, channels, spatial, src, srcOff, dst, dstOff, ex);
  }

  /** Blocked {@code [batch, ceil(channels/16), spatial, 16]} to NCHW {@code [batch, channels, spatial]}. */
  public static void toNchw(int batch, int channels, int spatial, float[] src, int srcOff,
      float[] dst, int dstOff, Executor ex) {
    run(TO_NCHW, batch, channels, spatial, src, srcOff, dst, dstOff, ex);
  }

  private static void run(ParallelTask t, int batch, int channels, int spatial, float[] src,
      int srcOff, float[] dst, int dstOff, Executor ex) {
    CallFrame f = ex.frame();
    f.src = src;
    f.srcOff = srcOff;
    f.dst = dst;
    f.dstOff = dstOff;
    f.n0 = batch;
    f.n1 = channels;
    f.n2 = spatial;
    ex.invoke(t, batch * blocks(channels));
  }

  private static int blocks(int channels) {
    return (channels + Layout.BLOCK - 1) / Layout.BLOCK;
  }

  private static void toBlockedChunk(CallFrame f, int chunk, float[] scratch) {
    int channels = f.n1;
    int spatial = f.n2;
    int nb = blocks(channels);
    int n = chunk / nb;
    int b = chunk % nb;
    int c0 = b * Layout.BLOCK;
    int valid = Math.min(Layout.BLOCK, channels - c0);
    int s = f.srcOff + (n * channels + c0) * spatial;
    int d = f.dstOff + (n * nb + b) * spatial * Layout.BLOCK;
    float[] src = f.src;
    float[] dst = f.dst;
    for (int p = 0; p < spatial; p++) {
      int dp = d + p * Layout.BLOCK;
      for (int c = 0; c < valid; c++) {
        dst[dp + c] = src[s + c * spatial + p];
      }
      for (int c = valid; c < Layout.BLOCK; c++) {
        dst[dp + c] = 0f;
      }
    }
  }

  private static void toNchwChunk(CallFrame f, int chunk, float[] scratch) {
    int channels = f.n1;
    int spatial = f.n2;
    int nb = blocks(channels);
    int n = chunk / nb;
    int b = chunk % nb;
    int c0 = b * Layout.BLOCK;
    int valid = Math.min(Layout.BLOCK, channels - c0);
    int s = f.srcOff + (n * nb + b) * spatial * Layout.BLOCK;
    int d = f.dstOff + (n * channels + c0) * spatial;
    float[] src = f.src;
    float[] dst = f.dst;
    for (int c = 0; c < valid; c++) {
      int dc = d + c * spatial;
      for (int p = 0; p < spatial; p++) {
        dst[dc + p] = src[s + p * Layout.BLOCK + c];
      }
    }
  }
}

package dev.netc.runtime.kernels;

import dev.netc.runtime.exec.CallFrame;
import dev.netc.runtime.exec.ParallelTask;

/**
 * The input of a strided 1x1 convolution without padding (ResNet's downsampling shortcuts), gathered
 * into a dense blocked tensor of the output's spatial size: the pixels the layer reads, and only
 * those, side by side. The layer then runs as a stride-1 1x1 convolution over the gathered tensor,
 * whose pixels are one run the 5- and 8-pixel tiles cover with constant steps, reading whole cache
 * lines in order.
 *
 * <p>Measured (ResNet-50, 1 thread, before: the strided layer read in place, each output row a run of
 * its own, so the 7-wide rows of layer4 ended in a 2-pixel tile, and every cache line of input
 * fetched carried one used pixel in two): see {@link ConvPlan}.
 *
 * <p>Chunks are (image, 16-channel input block); the frame holds {@code src, srcOff} (the layer's
 * input) and {@code dst, dstOff} (the gathered tensor).
 */
final class ConvGather implements ParallelTask {
  private final int inH;
  private final int inW;
  private final int inSpatial;
  private final int sD;
  private final int sH;
  private final int sW;
  private final int outD;
  private final int outH;
  private final int outW;
  private final int blocks;
  private final int inImage;
  private final int image;

  /** For {@code spec}, a 1x1 convolution without padding, whose input is blocked. */
  ConvGather(ConvSpec spec) {
    this.inH = spec.height().in();
    this.inW = spec.width().in();
    this.inSpatial = spec.inSpatial();
    this.sD = spec.depth().stride();
    this.sH = spec.height().stride();
    this.sW = spec.width().stride();
    this.outD = spec.outDepth();
    this.outH = spec.outHeight();
    this.outW = spec.outWidth();
    this.blocks = Layout.paddedChannels(spec.inChannels()) / Layout.BLOCK;
    this.inImage = spec.inSize(Layout.NCHWC16);
    this.image = blocks * spec.outSpatial() * Layout.BLOCK;
  }

  /** Whether {@code spec} with input layout {@code in} is a strided 1x1 convolution this gathers for. */
  static boolean applies(ConvSpec spec, Layout in) {
    if (spec.transposed() || spec.depthwise() || in != Layout.NCHWC16) {
      return false;
    }
    boolean strided = false;
    for (ConvAxis a : new ConvAxis[] {spec.depth(), spec.height(), spec.width()}) {
      if (a.kernel() != 1 || a.padBegin() != 0 || a.padEnd() != 0) {
        return false;
      }
      strided |= a.stride() > 1;
    }
    return strided;
  }

  /** The same layer over the gathered input: stride 1, input of the output's size. */
  static ConvSpec denseSpec(ConvSpec spec) {
    return new ConvSpec(spec.rank(), false, spec.inChannels(), spec.outChannels(), spec.groups(),
        dense(spec.depth()), dense(spec.height()), dense(spec.width()));
  }

  private static ConvAxis dense(ConvAxis a) {
    return ConvAxis.of(a.convOut(), 1, 1, 0, 0, 1);
  }

  /** Floats of one gathered image. */
  int image() {
    return image;
  }

  /** Chunks per image. */
  int blocks() {
    return blocks;
  }

  @Override
  public void runChunk(CallFrame f, int chunk, float[] scratch) {
    int n = chunk / blocks;
    int b = chunk % blocks;
    float[] src = f.src;
    float[] dst = f.dst;
    int s = f.srcOff + n * inImage + b * inSpatial * Layout.BLOCK;
    int d = f.dstOff + n * image + b * (image / blocks);
    int step = sW * Layout.BLOCK;
    for (int z = 0; z < outD; z++) {
      for (int y = 0; y < outH; y++) {
        int i = s + ((z * sD * inH) + y * sH) * inW * Layout.BLOCK;
        for (int x = 0; x < outW; x++, i += step, d += Layout.BLOCK) {
          System.arraycopy(src, i, dst, d, Layout.BLOCK);
        }
      }
    }
  }
}

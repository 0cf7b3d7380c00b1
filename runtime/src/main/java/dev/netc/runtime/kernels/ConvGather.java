package dev.netc.runtime.kernels;

import dev.netc.runtime.exec.CallFrame;
import dev.netc.runtime.exec.ParallelTask;
import java.util.Arrays;

/**
 * The input of a convolution copied into a blocked tensor its stages read more simply: for the dense and patches
 * kinds in a pass of its own before the stages run, into the executor's shared scratch; for the padded kind by each
 * participant into its own scratch ({@link ConvPlan#PAD_COPY_EACH}). Three kinds:
 * <ul>
 *   <li><b>Dense</b>, for a strided 1x1 convolution without padding (ResNet's downsampling
 *       shortcuts): the pixels the layer reads, and only those, side by side, so that the layer runs
 *       as a stride-1 1x1 convolution whose pixels are one run the widest tiles cover with constant
 *       steps, reading whole cache lines in order (before, each output row was a run of its own, so
 *       the 7-wide rows of layer4 ended in a 2-pixel tile, and every cache line of input fetched
 *       carried one used pixel in two).</li>
 *   <li><b>Padded</b>, for a padded convolution with a small output ({@link #PAD_MAX_OUT_PIXELS},
 *       {@link #PAD_MIN_OUT_WIDTH}) enough of whose windows reach into the padding
 *       ({@link #PAD_MIN_BORDER_SHARE}):
 *       the input inside a border of zeros, so that the layer runs unpadded. Every output pixel then
 *       has every tap: no border runs with part of the taps, no single corner pixels, no vertical
 *       runs (which read a second copy of the weights in another tap order: a 3x3 layer of 512
 *       channels has 295 KB of weights per output block, so the two copies of a block pair did not
 *       fit the 512 KB L2 together). Zero taps add exact zeros, so the sums are the unpadded ones. Each
 *       participant makes its own copy of an image, in its scratch ({@link ConvPlan#PAD_COPY_EACH}).</li>
 *   <li><b>Patches</b>, for a strided 2-D convolution with a kernel larger than 1x1 and output rows
 *       narrower than {@link #PAD_MIN_OUT_WIDTH} (ResNet's stride-2 3x3 layers at 7x7, at 256 bits): each output
 *       pixel's input window side by side ("im2col", plane {@code tap * blocks + block}), so that the
 *       layer runs as a 1x1 convolution of {@code taps x channels} inputs whose 49 pixels are one run
 *       (9 tiles of 5 and one of 4, where each 7-wide row ended in a 2-pixel tile), reading its
 *       input in order. Its reduction runs in the same order as the direct path's (tap, then
 *       channel); taps in the padding and the input's padding lanes are copied as zeros.</li>
 * </ul>
 * Measured: see {@link ConvPlan} and bench/README.md.
 *
 * <p>Run as a pass of its own (dense and patches copies), its chunks are (image, 16-channel input block); the frame
 * holds {@code src, srcOff} (the layer's input) and {@code dst, dstOff} (the copy).
 */
final class ConvGather implements ParallelTask {
  /**
   * The largest output (pixels per image) a padded convolution is copied into a zero border for:
   * ResNet's and GoogLeNet's 7x7 to 28x28 layers, VGG's 28x28 and 14x14 ones. At 56x56 and above the
   * border pixels are few (7 % at 56x56) and the copy of a large input costs more than they do.
   * {@code -Dnetc.conv.padMaxOut=N} sets it for measurements (0: never copy; bench/README.md).
   */
  static final int PAD_MAX_OUT_PIXELS = Integer.getInteger("netc.conv.padMaxOut", 28 * 28);

  /**
   * Narrower outputs keep their border runs (or, strided, take the patches): at 256 bits a padded 7-wide row is
   * cut 5 + 2, and the 2-pixel tile is slower than the border runs it replaces (ResNet-50's layer4 3x3 layers,
   * 7x7: 3.5 -> 3.9-4.0 ms, Zen 3). At 512 bits a 7-wide row is one 7-pixel tile, and the zero border beat the
   * patches: scratch harness, 2 threads, Zen 5, 3x3 stride 2 from 14x14 to 7x7, 512 -> 512 channels 970/979 ->
   * 805/866 us, 256 -> 512 486/490 -> 415/436. {@code -Dnetc.conv.padMinWidth=N} sets it for measurements.
   */
  static final int PAD_MIN_OUT_WIDTH = padMinOutWidth(PackedKernels.BITS);

  /** {@link #PAD_MIN_OUT_WIDTH} for the micro-kernels of {@code bits}-bit vectors (0: scalar). */
  static int padMinOutWidth(int bits) {
    return Integer.getInteger("netc.conv.padMinWidth", bits == 512 ? 7 : 10);
  }

  /**
   * The copy pays only where at least one output pixel in this many has part of its window in the padding: a
   * 3x3 stride-1 layer at 28x28 has 14 % border pixels, a stride-2 one from 56x56 to 28x28 7 % (the bottom and
   * right windows end inside the input). That one ran faster without the copy: 2 threads, scratch harness,
   * 128 -> 128 channels 881/959 us with it, 701/718 without (ResNet-50's layer2.0.conv2), and 64 -> 128
   * 409/406 against 350 (ResNet-18's layer2.0.conv1).
   */
  static final int PAD_MIN_BORDER_SHARE = 10;

  /** Whether narrow strided layers are copied as patches; {@code -Dnetc.conv.patches=false} for measurements. */
  static final boolean PATCHES = !"false".equals(System.getProperty("netc.conv.patches"));

  /** The three kinds of copy (class comment). */
  enum Kind { DENSE, PADDED, PATCHES }

  private final Kind kind;
  /** Patches kind: every tap of the kernel, height-major, and the input's real channels. */
  private final int kH;
  private final int kW;
  private final int dH;
  private final int dW;
  private final int channels;
  private final int inD;
  private final int inH;
  private final int inW;
  private final int inSpatial;
  private final int sD;
  private final int sH;
  private final int sW;
  private final int outD;
  private final int outH;
  private final int outW;
  /** Padded kind: the zero border before the input along depth, height and width. */
  private final int pD;
  private final int pH;
  private final int pW;
  private final int blocks;
  private final int inImage;
  private final int image;
  /** The convolution the stages run over the copy. */
  private final ConvSpec stageSpec;

  private ConvGather(ConvSpec spec, Kind kind) {
    this.kind = kind;
    boolean padded = kind == Kind.PADDED;
    this.kH = spec.height().kernel();
    this.kW = spec.width().kernel();
    this.dH = spec.height().dilation();
    this.dW = spec.width().dilation();
    this.channels = spec.inChannels();
    this.inD = spec.depth().in();
    this.inH = spec.height().in();
    this.inW = spec.width().in();
    this.inSpatial = spec.inSpatial();
    this.sD = spec.depth().stride();
    this.sH = spec.height().stride();
    this.sW = spec.width().stride();
    this.pD = spec.depth().padBegin();
    this.pH = spec.height().padBegin();
    this.pW = spec.width().padBegin();
    this.blocks = Layout.paddedChannels(spec.inChannels()) / Layout.BLOCK;
    this.inImage = spec.inSize(Layout.NCHWC16);
    this.stageSpec = switch (kind) {
      case DENSE -> denseSpec(spec);
      case PADDED -> paddedSpec(spec);
      case PATCHES -> patchesSpec(spec);
    };
    this.outD = padded ? stageSpec.depth().in() : spec.outDepth();
    this.outH = padded ? stageSpec.height().in() : spec.outHeight();
    this.outW = padded ? stageSpec.width().in() : spec.outWidth();
    this.image = (kind == Kind.PATCHES ? kH * kW : 1) * blocks * stageSpec.inSpatial() * Layout.BLOCK;
  }

  /**
   * The copy {@code spec} with input layout {@code in} reads through, or null when it reads its input in place;
   * padded layers are copied when their output has at most {@code padMaxOut} pixels and rows at least
   * {@code padMinWidth} wide.
   */
  static ConvGather of(ConvSpec spec, Layout in, int padMaxOut, int padMinWidth, int padBorderShare) {
    if (spec.transposed() || spec.depthwise() || in != Layout.NCHWC16) {
      return null;
    }
    boolean oneByOne = true;
    boolean strided = false;
    boolean pads = false;
    for (ConvAxis a : new ConvAxis[] {spec.depth(), spec.height(), spec.width()}) {
      oneByOne &= a.kernel() == 1;
      strided |= a.stride() > 1;
      pads |= a.padBegin() > 0 || a.padEnd() > 0;
    }
    if (oneByOne && strided && !pads) {
      return new ConvGather(spec, Kind.DENSE);
    }
    if (pads && spec.outSpatial() <= padMaxOut && spec.outWidth() >= padMinWidth
        && borderPixels(spec) * padBorderShare >= spec.outSpatial()) {
      return new ConvGather(spec, Kind.PADDED);
    }
    ConvAxis depth = spec.depth();
    boolean flat = depth.in() == 1 && depth.kernel() == 1 && depth.padBegin() == 0 && depth.padEnd() == 0;
    if (PATCHES && !oneByOne && strided && spec.outWidth() < padMinWidth && flat && spec.groups() == 1) {
      return new ConvGather(spec, Kind.PATCHES);
    }
    return null;
  }

  /** Output pixels whose window reaches into the padding (on any axis): those not {@link ConvTapAxis#full}. */
  static long borderPixels(ConvSpec spec) {
    long inside = 1;
    for (ConvAxis a : new ConvAxis[] {spec.depth(), spec.height(), spec.width()}) {
      ConvTapAxis t = ConvTapAxis.forward(a);
      int n = 0;
      for (int j = 0; j < t.count; j++) {
        n += t.full(j) ? 1 : 0;
      }
      inside *= n;
    }
    return spec.outSpatial() - inside;
  }

  /** The weights of the convolution the stages run ({@link #stageSpec}), given the layer's. */
  ConvWeights stageWeights(ConvWeights w) {
    if (kind != Kind.PATCHES) {
      return w;
    }
    int padded = blocks * Layout.BLOCK;
    return (oc, ic, kz, ky, kx) -> {
      int tap = ic / padded;
      int c = ic % padded;
      return c < channels ? w.at(oc, c, 0, tap / kW, tap % kW) : 0f;
    };
  }

  /** The layer as a 1x1 convolution over the patches: one input channel per (tap, padded channel). */
  static ConvSpec patchesSpec(ConvSpec spec) {
    int taps = spec.height().kernel() * spec.width().kernel();
    return new ConvSpec(spec.rank(), false, taps * Layout.paddedChannels(spec.inChannels()), spec.outChannels(), 1,
        dense(spec.depth()), dense(spec.height()), dense(spec.width()));
  }

  /** The convolution the stages run over the copy: stride 1 over the dense pixels, or unpadded over the padded input. */
  ConvSpec stageSpec() {
    return stageSpec;
  }

  /** The same layer over the gathered input: stride 1, input of the output's size. */
  static ConvSpec denseSpec(ConvSpec spec) {
    return new ConvSpec(spec.rank(), false, spec.inChannels(), spec.outChannels(), spec.groups(),
        dense(spec.depth()), dense(spec.height()), dense(spec.width()));
  }

  private static ConvAxis dense(ConvAxis a) {
    return ConvAxis.of(a.convOut(), 1, 1, 0, 0, 1);
  }

  /** The same layer over the padded input: no padding, the input that much larger. */
  static ConvSpec paddedSpec(ConvSpec spec) {
    return new ConvSpec(spec.rank(), false, spec.inChannels(), spec.outChannels(), spec.groups(),
        unpadded(spec.depth()), unpadded(spec.height()), unpadded(spec.width()));
  }

  private static ConvAxis unpadded(ConvAxis a) {
    return ConvAxis.of(a.in() + a.padBegin() + a.padEnd(), a.kernel(), a.stride(), 0, 0, a.dilation());
  }

  /** Which kind of copy this is. */
  Kind kind() {
    return kind;
  }

  /** Floats of one gathered image. */
  int image() {
    return image;
  }

  /** Chunks per image: one per 16-channel input block. */
  int inputChunks() {
    return blocks;
  }

  /** Floats of the copy of {@code images} images. */
  int sharedFloats(int images) {
    return images * image;
  }

  /** Images whose copy takes at most {@code maxFloats} floats, at least 1. */
  int sharedImages(long maxFloats) {
    return (int) Math.max(1, Math.min(Integer.MAX_VALUE, maxFloats / image));
  }

  @Override
  public void runChunk(CallFrame f, int chunk, float[] scratch) {
    int n = chunk / blocks;
    copyBlock(f.src, f.srcOff + n * inImage, f.dst, f.dstOff + n * image, chunk % blocks);
  }

  /** Copies one image, its input at {@code src[srcImg ..]}, into {@code dst[dstImg ..]} ({@link #image()} floats). */
  void copyImage(float[] src, int srcImg, float[] dst, int dstImg) {
    for (int b = 0; b < blocks; b++) {
      copyBlock(src, srcImg, dst, dstImg, b);
    }
  }

  /** Input block {@code b} of the image at {@code src[srcImg ..]} into its part of the copy at {@code dst[dstImg ..]}. */
  private void copyBlock(float[] src, int srcImg, float[] dst, int dstImg, int b) {
    int s = srcImg + b * inSpatial * Layout.BLOCK;
    int d = dstImg + b * (image / blocks);
    if (kind == Kind.PADDED) {
      pad(src, s, dst, d);
      return;
    }
    if (kind == Kind.PATCHES) {
      patches(src, s, dst, dstImg, b);
      return;
    }
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

  /**
   * One input block's taps into the patches: plane {@code tap * blocks + b} holds, for every output pixel, the 16
   * channels the tap reads there (zero in the padding, and in the lanes past the input's channels).
   */
  private void patches(float[] src, int s, float[] dst, int img, int b) {
    int lanes = Math.min(Layout.BLOCK, channels - b * Layout.BLOCK);
    int plane = outH * outW * Layout.BLOCK;
    for (int ky = 0; ky < kH; ky++) {
      for (int kx = 0; kx < kW; kx++) {
        int d = img + ((ky * kW + kx) * blocks + b) * plane;
        for (int y = 0; y < outH; y++) {
          int iy = y * sH - pH + ky * dH;
          for (int x = 0; x < outW; x++, d += Layout.BLOCK) {
            int ix = x * sW - pW + kx * dW;
            if (iy < 0 || iy >= inH || ix < 0 || ix >= inW) {
              Arrays.fill(dst, d, d + Layout.BLOCK, 0f);
              continue;
            }
            System.arraycopy(src, s + (iy * inW + ix) * Layout.BLOCK, dst, d, lanes);
            if (lanes < Layout.BLOCK) {
              Arrays.fill(dst, d + lanes, d + Layout.BLOCK, 0f);
            }
          }
        }
      }
    }
  }

  /** One input block into its padded copy ({@code outD x outH x outW} pixels here): every row written, borders zero. */
  private void pad(float[] src, int s, float[] dst, int d) {
    int rowLen = outW * Layout.BLOCK;
    int before = pW * Layout.BLOCK;
    int len = inW * Layout.BLOCK;
    for (int z = 0; z < outD; z++) {
      int iz = z - pD;
      for (int y = 0; y < outH; y++, d += rowLen) {
        int iy = y - pH;
        if (iz < 0 || iz >= inD || iy < 0 || iy >= inH) {
          Arrays.fill(dst, d, d + rowLen, 0f);
          continue;
        }
        Arrays.fill(dst, d, d + before, 0f);
        System.arraycopy(src, s + (iz * inH + iy) * len, dst, d + before, len);
        Arrays.fill(dst, d + before + len, d + rowLen, 0f);
      }
    }
  }
}

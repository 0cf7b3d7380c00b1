package dev.netc.runtime.kernels;

/**
 * A depthwise convolution (groups = input = output channels) on blocked activations, prepared at
 * load time: the same {@link ConvRuns} as a direct convolution, with one tap per reduction step
 * (no channel loop: channels are the vector lanes) and weights packed per 16-channel block as
 * {@code [tap][16]}, in tap orders A and B, times the epilogue's per-channel multiplier: every
 * kernel starts a pixel's sum at the epilogue's addend, so the epilogue after the taps is only the
 * residual and the activation (no multiply-add on the critical path). A chunk is one channel block
 * times one group of runs.
 */
final class DepthwiseStage implements ConvPlan.Stage {
  private final ConvRuns runs;
  private final int[] groupBounds;
  private final int blocks;
  private final int taps;
  private final int[] offA;
  private final int[] offB;
  private final float[] wA;
  private final float[] wB;
  private final int inSpatial;
  private final int outSpatial;
  /** Kernel rows of three undilated taps at stride 1: the vector kernels' {@code runK3} applies. */
  private final boolean k3;

  /**
   * Packs the weights; {@code mul} is the fused epilogue's multiplier ({@link EpilogueParams#mul}),
   * folded into them, so {@link #run} must be given an epilogue with that multiplier.
   */
  DepthwiseStage(ConvSpec spec, ConvTapAxis z, ConvTapAxis y, ConvTapAxis x, ConvWeights weights,
      int groups, float[] mul) {
    this.runs = new ConvRuns(z, y, x, spec.outHeight(), spec.outWidth());
    this.groupBounds = runs.partition(groups);
    this.blocks = Layout.paddedChannels(spec.outChannels()) / 16;
    this.taps = z.taps() * y.taps() * x.taps();
    this.inSpatial = spec.inSpatial();
    this.outSpatial = spec.outSpatial();
    this.k3 = x.taps() == 3 && x.dilation == 1 && x.stride == 1;
    offA = new int[Math.max(1, taps)];
    offB = new int[Math.max(1, taps)];
    tapOffsets(z, y, x, offA, offB);
    wA = new float[Math.max(1, blocks * taps * 16)];
    wB = new float[Math.max(1, blocks * taps * 16)];
    for (int tap = 0; tap < taps; tap++) {
      int tz = tap / (y.taps() * x.taps());
      int ty = tap / x.taps() % y.taps();
      int tx = tap % x.taps();
      int tapB = (tx * z.taps() + tz) * y.taps() + ty;
      for (int b = 0; b < blocks; b++) {
        for (int j = 0; j < 16; j++) {
          int c = 16 * b + j;
          float v = c < spec.outChannels()
              ? weights.at(c, c, z.kernelIndex(tz), y.kernelIndex(ty), x.kernelIndex(tx)) * mul[c]
              : 0f;
          wA[(b * taps + tap) * 16 + j] = v;
          wB[(b * taps + tapB) * 16 + j] = v;
        }
      }
    }
  }

  /** Each tap's input distance from a pixel's first tap, in tap orders A {@code (tz, ty, tx)} and B {@code (tx, tz, ty)}. */
  private static void tapOffsets(ConvTapAxis z, ConvTapAxis y, ConvTapAxis x, int[] offA, int[] offB) {
    for (int tap = 0; tap < z.taps() * y.taps() * x.taps(); tap++) {
      int tz = tap / (y.taps() * x.taps());
      int ty = tap / x.taps() % y.taps();
      int tx = tap % x.taps();
      offA[tap] = ((tz * z.dilation * y.inSize + ty * y.dilation) * x.inSize + tx * x.dilation) * 16;
      offB[(tx * z.taps() + tz) * y.taps() + ty] = offA[tap];
    }
  }

  /**
   * This layer's output rows {@code [row0, row1)} of a 2-D {@code spec} as one run group, with the same packed weights
   * (and the same multiplier folded in), reading input blocks {@code inSpatial} pixels apart and writing output blocks
   * {@code outSpatial} pixels apart ({@link ConvChain}: a band of rows in scratch). Pixels keep their places in the
   * whole image: {@link #run}'s image offsets place the band. {@code spec} is the layer's own, unpadded by any copy.
   */
  DepthwiseStage rows(ConvSpec spec, int row0, int row1, int inSpatial, int outSpatial) {
    return new DepthwiseStage(this, ConvTapAxis.forward(spec.depth()), ConvTapAxis.forward(spec.height(), row0, row1),
        ConvTapAxis.forward(spec.width()),
        spec.outHeight(), spec.outWidth(), inSpatial, outSpatial);
  }

  private DepthwiseStage(DepthwiseStage s, ConvTapAxis z, ConvTapAxis y, ConvTapAxis x, int outH, int outW,
      int inSpatial, int outSpatial) {
    this.runs = new ConvRuns(z, y, x, outH, outW);
    this.groupBounds = new int[] {0, runs.size};
    this.blocks = s.blocks;
    this.taps = s.taps;
    if (z.taps() * y.taps() * x.taps() != taps) {
      throw new IllegalArgumentException("a band of another layer: " + taps + " taps expected");
    }
    this.offA = new int[Math.max(1, taps)];
    this.offB = new int[Math.max(1, taps)];
    tapOffsets(z, y, x, offA, offB);
    this.wA = s.wA;
    this.wB = s.wB;
    this.inSpatial = inSpatial;
    this.outSpatial = outSpatial;
    this.k3 = x.taps() == 3 && x.dilation == 1 && x.stride == 1;
  }

  @Override
  public int tiles() {
    return blocks;
  }

  @Override
  public int groups() {
    return groupBounds.length - 1;
  }

  @Override
  public void run(float[] in, int inImg, float[] out, int outImg, float[] res, int resDelta,
      int block, int group, EpilogueParams e, int bits, float[] scratch) {
    int ch = 16 * block;
    int inBlock = inImg + block * inSpatial * 16;
    int outBlock = outImg + block * outSpatial * 16;
    int wb = block * taps * 16;
    for (int i = groupBounds[group]; i < groupBounds[group + 1]; i++) {
      int ib = inBlock + runs.inBase[i] * 16;
      int ob = outBlock + runs.outBase[i] * 16;
      if (runs.kind[i] == ConvRuns.PIXEL) {
        int q0 = runs.lo[i];
        int nq = runs.hi[i];
        switch (bits) {
          case 256 -> DepthwiseVector256.pixel(in, ib, offA, runs.ranges, q0, nq, wA, wb, out, ob,
              e, ch, res, resDelta);
          case 512 -> DepthwiseVector512.pixel(in, ib, offA, runs.ranges, q0, nq, wA, wb, out, ob,
              e, ch, res, resDelta);
          default -> DepthwiseScalar.pixel(in, ib, offA, runs.ranges, q0, nq, wA, wb, out, ob,
              e, ch, res, resDelta, scratch);
        }
        continue;
      }
      boolean b = runs.kind[i] == ConvRuns.VERTICAL;
      int is = runs.inStep[i] * 16;
      int[] off = b ? offB : offA;
      int r0 = runs.lo[i];
      int r1 = runs.hi[i];
      float[] w = b ? wB : wA;
      int os = runs.outStep[i] * 16;
      int count = runs.count[i];
      // runK3 reads taps in order A, a kernel row at a time
      boolean rows3 = k3 && !b;
      switch (bits) {
        case 256 -> DepthwiseVector256.line(in, ib, is, off, r0, r1, w, wb, out, ob, os, count, e,
            ch, res, resDelta, rows3);
        case 512 -> DepthwiseVector512.line(in, ib, is, off, r0, r1, w, wb, out, ob, os, count, e,
            ch, res, resDelta, rows3);
        default -> DepthwiseScalar.line(in, ib, is, off, r0, r1, w, wb, out, ob, os, count, e, ch,
            res, resDelta, scratch);
      }
    }
  }
}

package dev.netc.runtime.kernels;

import java.util.HashMap;
import java.util.Map;

/**
 * One direct-convolution sub-problem, prepared at load time: its {@link ConvRuns}, and per
 * 16-channel output block the packed weights and offset tables of the flat reduction.
 *
 * <p>Block {@code t} reduces over the input channels of the groups its output channels belong to
 * ({@code nic} channels from {@code icLo}); weights of channel pairs in different groups are
 * packed as zeros, so a grouped convolution whose groups are narrower than a block runs the same
 * kernel (with that much wasted work; depthwise layers have their own stage). Entry
 * {@code r = tap * nic + channel} of order A (B) holds the 16 output channels' weights for that
 * input channel at that tap, and its offset table entry the input distance from a pixel's base:
 * {@code channelOffset(icLo + channel) + tapPixelOffset(tap) * pixelStride}.
 */
final class ConvStage implements ConvPlan.Stage {
  private final ConvRuns runs;
  private final int[] groupBounds;
  private final int tiles;
  private final int[] nic;
  private final int[][] offA;
  private final int[][] offB;
  private final int[] wBaseA;
  private final int[] wBaseB;
  private final float[] wA;
  private final float[] wB;
  private final int inPitch;
  private final int outSpatial;
  /**
   * The reduction steps of one part (a multiple of 16; 0: the reduction is not cut). See
   * {@link #runRuns}.
   */
  private final int partSteps;
  private final int taps;
  /** The epilogue the stage runs with ({@link ConvPlan}'s), and its three part forms where the reduction is cut. */
  private final EpilogueParams epi;
  private final EpilogueParams epiFirst;
  private final EpilogueParams epiMiddle;
  private final EpilogueParams epiLast;

  /**
   * Reductions longer than this many steps (input channels x taps) are cut into parts of at most
   * {@link #PART_STEPS}: with 4608 steps (512 channels x 9 taps) a 5-pixel tile's input (92 KB)
   * overflows L1 and the layer ran at 57 % of the FMA peak on one thread against 76 % with 1152
   * (bench/README.md, "Reductions cut into parts"). Set by {@code -Dnetc.conv.cutAbove} (0: never cut).
   */
  static final int CUT_ABOVE = Integer.getInteger("netc.conv.cutAbove", 1536);
  /** The longest part of a cut reduction. */
  static final int PART_STEPS = 1024;

  ConvStage(ConvSpec spec, Layout inLayout, ConvTapAxis z, ConvTapAxis y, ConvTapAxis x,
      ConvWeights weights, int groups, EpilogueParams epi) {
    this.runs = new ConvRuns(z, y, x, spec.outHeight(), spec.outWidth());
    this.groupBounds = runs.partition(groups);
    this.tiles = Layout.paddedChannels(spec.outChannels()) / 16;
    this.inPitch = inLayout.pixelStride();
    this.outSpatial = spec.outSpatial();
    int taps = z.taps() * y.taps() * x.taps();
    int icg = spec.inChannels() / spec.groups();
    int ocg = spec.outChannels() / spec.groups();
    nic = new int[tiles];
    offA = new int[tiles][];
    offB = new int[tiles][];
    wBaseA = new int[tiles];
    wBaseB = new int[tiles];
    int[] icLo = new int[tiles];
    int total = PackGemm.ALIGN;
    for (int t = 0; t < tiles; t++) {
      int ocLast = Math.min(spec.outChannels(), 16 * t + 16) - 1;
      icLo[t] = (16 * t / ocg) * icg;
      nic[t] = (ocLast / ocg + 1) * icg - icLo[t];
      wBaseA[t] = total;
      total += taps * nic[t] * 16;
    }
    this.taps = taps;
    int steps = taps * icg;
    if (CUT_ABOVE > 0 && spec.groups() == 1 && steps > CUT_ABOVE) {
      int parts = (steps + PART_STEPS - 1) / PART_STEPS;
      partSteps = ((steps + parts - 1) / parts + 15) / 16 * 16;
    } else {
      partSteps = 0;
    }
    this.epi = epi;
    float[] zeros = partSteps == 0 ? null : new float[epi.add.length];
    epiFirst = partSteps == 0 ? null
        : new EpilogueParams(epi.channels, epi.mul, epi.add, epi.residual, Activation.IDENTITY, 0f);
    epiMiddle = partSteps == 0 ? null : new EpilogueParams(epi.channels, epi.mul, zeros, true, Activation.IDENTITY, 0f);
    epiLast = partSteps == 0 ? null : new EpilogueParams(epi.channels, epi.mul, zeros, true, epi.activation, epi.alpha);
    wA = new float[total];
    wB = runs.anyVertical ? new float[total] : null;
    Map<Long, int[][]> tables = new HashMap<>();
    for (int t = 0; t < tiles; t++) {
      long key = (long) icLo[t] << 32 | nic[t];
      int lo = icLo[t];
      int n = nic[t];
      int[][] tab = tables.computeIfAbsent(key, k -> offsetTables(spec, inLayout, z, y, x, lo, n));
      offA[t] = tab[0];
      offB[t] = tab[1];
      wBaseB[t] = wBaseA[t];
      pack(spec, weights, z, y, x, t, icLo[t], false, wA, wBaseA[t]);
      if (wB != null) {
        pack(spec, weights, z, y, x, t, icLo[t], true, wB, wBaseB[t]);
      }
    }
  }

  /**
   * This stage of a 1x1, stride-1, unpadded, ungrouped convolution over a {@link Layout#NCHWC16} input whose blocks are
   * {@code inSpatial} pixels apart instead of the layer's own input size: the same packed weights, other offsets. For
   * {@link ConvChain}, whose last layer reads a band of rows that its middle layer wrote into scratch. Only {@link
   * #runPixels} may be called on the copy: its runs are still the layer's own.
   */
  ConvStage reading(int inSpatial) {
    if (!pointwiseBlocked()) {
      throw new IllegalStateException("only an ungrouped 1x1 stage over a blocked input reads another spatial size");
    }
    return new ConvStage(this, inSpatial);
  }

  /** A 1x1 stage over a blocked input in which every output block reduces over every input channel (ungrouped). */
  boolean pointwiseBlocked() {
    if (taps != 1 || inPitch != Layout.BLOCK) {
      return false;
    }
    for (int n : nic) {
      if (n != nic[0]) {
        return false;
      }
    }
    return true;
  }

  private ConvStage(ConvStage s, int inSpatial) {
    this.runs = s.runs;
    this.groupBounds = s.groupBounds;
    this.tiles = s.tiles;
    this.nic = s.nic;
    this.inPitch = s.inPitch;
    this.outSpatial = s.outSpatial;
    this.partSteps = s.partSteps;
    this.taps = s.taps;
    this.epi = s.epi;
    this.epiFirst = s.epiFirst;
    this.epiMiddle = s.epiMiddle;
    this.epiLast = s.epiLast;
    this.wBaseA = s.wBaseA;
    this.wBaseB = s.wBaseB;
    this.wA = s.wA;
    this.wB = s.wB;
    this.offA = new int[tiles][];
    this.offB = s.offB;
    for (int t = 0; t < tiles; t++) {
      int[] o = new int[Math.max(1, nic[t])];
      for (int c = 0; c < nic[t]; c++) {
        o[c] = Layout.NCHWC16.channelOffset(c, inSpatial);
      }
      offA[t] = t > 0 && nic[t] == nic[t - 1] ? offA[t - 1] : o;
    }
  }

  /**
   * For a 1x1, stride-1, unpadded convolution whose reduction is not cut ({@link ConvChain}): every output block of
   * {@code count} consecutive pixels from pixel {@code p0} of the image at {@code inImg}, pixel {@code p0 + i} of
   * block {@code t} written at {@code outBase + t * outBlockStride + 16 * i} (residual {@code resDelta} after it).
   */
  void runPixels(float[] in, int inImg, int p0, int count, float[] out, int outBase, int outBlockStride,
      float[] res, int resDelta, EpilogueParams e, int bits, float[] scratch) {
    int ib = inImg + p0 * inPitch;
    for (int t0 = 0; t0 < tiles; t0 += 2) {
      int t1 = t0 + 1;
      int ob = outBase + t0 * outBlockStride;
      int n = nic[t0];
      int ch = 16 * t0;
      if (t1 < tiles && bits != 0 && nic[t0] == nic[t1] && offA[t0] == offA[t1]) {
        if (bits == 512) {
          ConvTileVector512.line2(in, ib, inPitch, offA[t0], 0, n, wA, wBaseA[t0], wBaseA[t1], out, ob,
              ob + outBlockStride, 16, count, e, ch, res, resDelta);
        } else {
          ConvTileVector256.line2(in, ib, inPitch, offA[t0], 0, n, wA, wBaseA[t0], wBaseA[t1], out, ob,
              ob + outBlockStride, 16, count, e, ch, res, resDelta);
        }
        continue;
      }
      for (int t = t0; t < Math.min(t0 + 2, tiles); t++) {
        int o = outBase + t * outBlockStride;
        switch (bits) {
          case 512 -> ConvTileVector512.line(in, ib, inPitch, offA[t], 0, nic[t], wA, wBaseA[t], out, o, 16, count,
              e, 16 * t, res, resDelta);
          case 256 -> ConvTileVector256.line(in, ib, inPitch, offA[t], 0, nic[t], wA, wBaseA[t], out, o, 16, count,
              e, 16 * t, res, resDelta);
          default -> ConvTileScalar.line(in, ib, inPitch, offA[t], 0, nic[t], wA, wBaseA[t], out, o, 16, count, e,
              16 * t, res, resDelta, scratch);
        }
      }
    }
  }

  /** Pairs of neighbouring output blocks: the unit of work ({@link #run}'s {@code tile}). */
  @Override
  public int tiles() {
    return (tiles + 1) / 2;
  }

  /** The reduction steps of one part, 0 where the reduction is not cut (tests). */
  int partSteps() {
    return partSteps;
  }

  @Override
  public int groups() {
    return groupBounds.length - 1;
  }

  /** The (z, y, x) taps of flat tap {@code tap}, flattened in order A {@code (tz, ty, tx)} or B {@code (tx, tz, ty)}. */
  private static int[] tapAxes(int tap, boolean orderB, ConvTapAxis z, ConvTapAxis y, ConvTapAxis x) {
    if (orderB) {
      return new int[] {tap / y.taps() % z.taps(), tap % y.taps(), tap / (z.taps() * y.taps())};
    }
    return new int[] {tap / (y.taps() * x.taps()), tap / x.taps() % y.taps(), tap % x.taps()};
  }

  /** Input position (in pixels) of tap {@code tap} relative to tap 0, in order A or B. */
  private static int tapOffset(int tap, boolean orderB, ConvTapAxis z, ConvTapAxis y, ConvTapAxis x) {
    int[] t = tapAxes(tap, orderB, z, y, x);
    return (t[0] * z.dilation * y.inSize + t[1] * y.dilation) * x.inSize + t[2] * x.dilation;
  }

  private static int[][] offsetTables(ConvSpec spec, Layout inLayout, ConvTapAxis z, ConvTapAxis y,
      ConvTapAxis x, int icLo, int n) {
    int taps = z.taps() * y.taps() * x.taps();
    int[][] tab = new int[2][Math.max(1, taps * n)];
    for (int order = 0; order < 2; order++) {
      for (int tap = 0; tap < taps; tap++) {
        int pix = tapOffset(tap, order == 1, z, y, x) * inLayout.pixelStride();
        for (int c = 0; c < n; c++) {
          tab[order][tap * n + c] = inLayout.channelOffset(icLo + c, spec.inSpatial()) + pix;
        }
      }
    }
    return tab;
  }

  private void pack(ConvSpec spec, ConvWeights weights, ConvTapAxis z, ConvTapAxis y, ConvTapAxis x,
      int t, int icLo, boolean orderB, float[] dst, int base) {
    int taps = z.taps() * y.taps() * x.taps();
    int n = nic[t];
    for (int tap = 0; tap < taps; tap++) {
      int[] a = tapAxes(tap, orderB, z, y, x);
      int kz = z.kernelIndex(a[0]);
      int ky = y.kernelIndex(a[1]);
      int kx = x.kernelIndex(a[2]);
      for (int c = 0; c < n; c++) {
        int d = base + (tap * n + c) * 16;
        for (int j = 0; j < 16; j++) {
          int oc = 16 * t + j;
          dst[d + j] = oc < spec.outChannels() ? weights.at(oc, icLo + c, kz, ky, kx) : 0f;
        }
      }
    }
  }

  /**
   * Computes output blocks {@code 2 * pair} and {@code 2 * pair + 1} (when it exists) over the run
   * group: with the vector kernels, blocks that share their offset table (every pair of an ungrouped
   * layer) go through the two-block kernels together, whose narrow tiles keep twice the FMA chains.
   */
  @Override
  public void run(float[] in, int inImg, float[] out, int outImg, float[] res, int resDelta,
      int pair, int group, EpilogueParams e, int bits, float[] scratch) {
    int t0 = 2 * pair;
    int t1 = t0 + 1;
    if (t1 < tiles && bits != 0 && nic[t0] == nic[t1] && offA[t0] == offA[t1]) {
      runRuns(in, inImg, out, outImg, res, resDelta, t0, true, group, e, bits, scratch);
      return;
    }
    runRuns(in, inImg, out, outImg, res, resDelta, t0, false, group, e, bits, scratch);
    if (t1 < tiles) {
      runRuns(in, inImg, out, outImg, res, resDelta, t1, false, group, e, bits, scratch);
    }
  }

  /**
   * Computes output block {@code tile} over the run group, and with {@code pair} block
   * {@code tile + 1} too (same offset tables; vector kernels only) through the two-block kernels.
   */
  private void runRuns(float[] in, int inImg, float[] out, int outImg, float[] res, int resDelta,
      int tile, boolean pair, int group, EpilogueParams e, int bits, float[] scratch) {
    if (partSteps == 0 || bits == 0 || e != epi) {
      runPart(in, inImg, out, outImg, res, resDelta, tile, pair, group, e, bits, scratch, 0, Integer.MAX_VALUE);
      return;
    }
    int steps = taps * nic[tile];
    for (int k0 = 0; k0 < steps; k0 += partSteps) {
      runPart(in, inImg, out, outImg, res, resDelta, tile, pair, group, e, bits, scratch, k0, k0 + partSteps);
    }
  }

  /**
   * The reduction steps {@code [k0, k1)} of {@link #runRuns}: each run reduces the part of its range
   * inside them. A cut run's first part applies the multiplier, the addend and the layer's residual
   * without the activation, the next ones add their sums times the multiplier to what the part before
   * left in the output (as a residual), and its last part applies the activation: {@code act(Σ acc_j
   * * mul + add + residual)}, the uncut epilogue up to rounding. Single pixels (the corners of a
   * padded layer) run whole with the first part.
   */
  private void runPart(float[] in, int inImg, float[] out, int outImg, float[] res, int resDelta,
      int tile, boolean pair, int group, EpilogueParams e, int bits, float[] scratch, int k0, int k1) {
    int n = nic[tile];
    int ch = 16 * tile;
    int outBlock = outImg + tile * outSpatial * 16;
    int next = outSpatial * 16;
    int tile2 = pair ? tile + 1 : tile;
    int kernels = pair ? -bits : bits; // negative: the two-block kernels of that width
    for (int i = groupBounds[group]; i < groupBounds[group + 1]; i++) {
      int ib = inImg + runs.inBase[i] * inPitch;
      int ob = outBlock + runs.outBase[i] * 16;
      int kind = runs.kind[i];
      if (kind == ConvRuns.PIXEL) {
        if (k0 > 0) {
          continue;
        }
        int[] off = offA[tile];
        int q0 = runs.lo[i];
        int nq = runs.hi[i];
        int wb = wBaseA[tile];
        int wb2 = wBaseA[tile2];
        switch (kernels) {
          case -256 -> ConvTileVector256.pixelPair(in, ib, off, runs.ranges, q0, nq, n, wA, wb, wb2, out,
              ob, ob + next, e, ch, res, resDelta);
          case -512 -> ConvTileVector512.pixelPair(in, ib, off, runs.ranges, q0, nq, n, wA, wb, wb2, out,
              ob, ob + next, e, ch, res, resDelta);
          case 256 -> ConvTileVector256.pixel(in, ib, off, runs.ranges, q0, nq, n, wA, wb, out, ob,
              e, ch, res, resDelta);
          case 512 -> ConvTileVector512.pixel(in, ib, off, runs.ranges, q0, nq, n, wA, wb, out, ob,
              e, ch, res, resDelta);
          default -> ConvTileScalar.pixel(in, ib, off, runs.ranges, q0, nq, n, wA, wb, out, ob,
              e, ch, res, resDelta, scratch);
        }
        continue;
      }
      boolean b = kind == ConvRuns.VERTICAL;
      int is = runs.inStep[i] * inPitch;
      int[] off = b ? offB[tile] : offA[tile];
      int lo = runs.lo[i] * n;
      int hi = runs.hi[i] * n;
      int r0 = Math.max(lo, k0);
      int r1 = Math.min(hi, k1);
      if (lo == hi) {
        // pixels whose every tap falls in the padding: the epilogue of a zero sum, with the first part
        if (k0 > 0) {
          continue;
        }
        r0 = lo;
        r1 = hi;
      } else if (r0 >= r1) {
        continue;
      }
      EpilogueParams pe = e;
      float[] pres = res;
      int prd = resDelta;
      if (r0 > lo || r1 < hi) {
        pe = r0 == lo ? epiFirst : r1 == hi ? epiLast : epiMiddle;
        if (r0 > lo) {
          pres = out; // the sums of the parts before, in place
          prd = 0;
        }
      }
      float[] w = b ? wB : wA;
      int wb = b ? wBaseB[tile] : wBaseA[tile];
      int wb2 = b ? wBaseB[tile2] : wBaseA[tile2];
      int os = runs.outStep[i] * 16;
      int count = runs.count[i];
      switch (kernels) {
        case -256 -> ConvTileVector256.line2(in, ib, is, off, r0, r1, w, wb, wb2, out, ob, ob + next, os,
            count, pe, ch, pres, prd);
        case -512 -> ConvTileVector512.line2(in, ib, is, off, r0, r1, w, wb, wb2, out, ob, ob + next, os,
            count, pe, ch, pres, prd);
        case 256 -> ConvTileVector256.line(in, ib, is, off, r0, r1, w, wb, out, ob, os, count, pe, ch,
            pres, prd);
        case 512 -> ConvTileVector512.line(in, ib, is, off, r0, r1, w, wb, out, ob, os, count, pe, ch,
            pres, prd);
        default -> ConvTileScalar.line(in, ib, is, off, r0, r1, w, wb, out, ob, os, count, pe,
            ch, pres, prd, scratch);
      }
    }
  }
}

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

  ConvStage(ConvSpec spec, Layout inLayout, ConvTapAxis z, ConvTapAxis y, ConvTapAxis x,
      ConvWeights weights, int groups) {
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

  @Override
  public int tiles() {
    return tiles;
  }

  @Override
  public int groups() {
    return groupBounds.length - 1;
  }

  /** Input position (in pixels) of tap {@code tap} relative to tap 0, in order A or B. */
  private static int tapOffset(int tap, boolean orderB, ConvTapAxis z, ConvTapAxis y, ConvTapAxis x) {
    int tz;
    int ty;
    int tx;
    if (orderB) {
      tx = tap / (z.taps() * y.taps());
      tz = tap / y.taps() % z.taps();
      ty = tap % y.taps();
    } else {
      tz = tap / (y.taps() * x.taps());
      ty = tap / x.taps() % y.taps();
      tx = tap % x.taps();
    }
    return (tz * z.dilation * y.inSize + ty * y.dilation) * x.inSize + tx * x.dilation;
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
      int tz;
      int ty;
      int tx;
      if (orderB) {
        tx = tap / (z.taps() * y.taps());
        tz = tap / y.taps() % z.taps();
        ty = tap % y.taps();
      } else {
        tz = tap / (y.taps() * x.taps());
        ty = tap / x.taps() % y.taps();
        tx = tap % x.taps();
      }
      for (int c = 0; c < n; c++) {
        int d = base + (tap * n + c) * 16;
        for (int j = 0; j < 16; j++) {
          int oc = 16 * t + j;
          dst[d + j] = oc < spec.outChannels()
              ? weights.at(oc, icLo + c, z.kernelIndex(tz), y.kernelIndex(ty), x.kernelIndex(tx))
              : 0f;
        }
      }
    }
  }

  @Override
  public void run(float[] in, int inImg, float[] out, int outImg, float[] res, int resDelta,
      int tile, int group, EpilogueParams e, boolean vector, float[] scratch) {
    int n = nic[tile];
    int ch = 16 * tile;
    int outBlock = outImg + tile * outSpatial * 16;
    for (int i = groupBounds[group]; i < groupBounds[group + 1]; i++) {
      int ib = inImg + runs.inBase[i] * inPitch;
      int ob = outBlock + runs.outBase[i] * 16;
      int kind = runs.kind[i];
      if (kind == ConvRuns.PIXEL) {
        if (vector) {
          ConvTileVector.pixel(in, ib, offA[tile], runs.ranges, runs.lo[i], runs.hi[i], n, wA,
              wBaseA[tile], scratch, 0);
        } else {
          ConvTileScalar.pixel(in, ib, offA[tile], runs.ranges, runs.lo[i], runs.hi[i], n, wA,
              wBaseA[tile], scratch, 0);
        }
        finish(1, e, ch, scratch, out, ob, 0, res, resDelta, vector);
        continue;
      }
      boolean b = kind == ConvRuns.VERTICAL;
      line(in, ib, runs.inStep[i] * inPitch, b ? offB[tile] : offA[tile], runs.lo[i] * n,
          runs.hi[i] * n, b ? wB : wA, b ? wBaseB[tile] : wBaseA[tile], out, ob,
          runs.outStep[i] * 16, runs.count[i], e, ch, res, resDelta, vector, scratch);
    }
  }

  /** A run of {@code count} pixels sharing one reduction range, cut into 4-, 2- and 1-pixel tiles. */
  private static void line(float[] in, int ib, int is, int[] off, int r0, int r1, float[] w, int wb,
      float[] out, int ob, int os, int count, EpilogueParams e, int ch, float[] res, int rd,
      boolean vector, float[] tile) {
    for (int p = 0; p < count; ) {
      int n = count - p >= 4 ? 4 : count - p >= 2 ? 2 : 1;
      int i = ib + p * is;
      if (!vector) {
        ConvTileScalar.tile(n, in, i, is, off, r0, r1, w, wb, tile, 0);
      } else if (n == 4) {
        tile4(in, i, is, off, r0, r1, w, wb, tile);
      } else if (n == 2) {
        ConvTileVector.tile2(in, i, is, off, r0, r1, w, wb, tile, 0);
      } else {
        ConvTileVector.tile1(in, i, off, r0, r1, w, wb, tile, 0);
      }
      finish(n, e, ch, tile, out, ob + p * os, os, res, rd, vector);
      p += n;
    }
  }

  /** The 4-pixel vector tile, specialised for the common pixel distances. */
  private static void tile4(float[] in, int i, int is, int[] off, int r0, int r1, float[] w, int wb,
      float[] tile) {
    switch (is) {
      case 1 -> ConvTileVector.tile4Step1(in, i, off, r0, r1, w, wb, tile, 0);
      case 2 -> ConvTileVector.tile4Step2(in, i, off, r0, r1, w, wb, tile, 0);
      case 16 -> ConvTileVector.tile4Step16(in, i, off, r0, r1, w, wb, tile, 0);
      case 32 -> ConvTileVector.tile4Step32(in, i, off, r0, r1, w, wb, tile, 0);
      default -> ConvTileVector.tile4(in, i, is, off, r0, r1, w, wb, tile, 0);
    }
  }

  /** The epilogue of {@code n} pixels of a tile, stored {@code os} apart from {@code ob}. */
  static void finish(int n, EpilogueParams e, int ch, float[] tile, float[] out, int ob, int os,
      float[] res, int rd, boolean vector) {
    for (int p = 0; p < n; p++) {
      int o = ob + p * os;
      if (vector) {
        EpilogueVector.block16(e, ch, tile, 16 * p, out, o, res, o + rd);
      } else {
        ConvTileScalar.block16(e, ch, tile, 16 * p, out, o, res, o + rd);
      }
    }
  }
}

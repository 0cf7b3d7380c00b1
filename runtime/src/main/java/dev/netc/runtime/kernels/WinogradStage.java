package dev.netc.runtime.kernels;

import dev.netc.runtime.exec.CallFrame;
import java.util.Arrays;
import jdk.incubator.vector.FloatVector;
import jdk.incubator.vector.VectorOperators;
import jdk.incubator.vector.VectorSpecies;

/**
 * A 3x3, stride-1 convolution by Winograd's minimal filtering F(m x m, 3x3) (Lavin and Gray, "Fast
 * Algorithms for Convolutional Neural Networks", 2016), m = 2 or 4 ({@link #outputTile}): each m x m
 * block of output pixels (a <em>tile</em>) comes from the (m + 2) x (m + 2) input patch under it as
 * {@code Y = Aᵀ [(G g Gᵀ) ⊙ (Bᵀ d B)] A}, so (m + 2)² products of the transformed patch replace the
 * 9 m² multiply-adds of direct convolution: 16 for 4 outputs (2.25x fewer), 36 for 16 (4x fewer).
 * Summed over input channels, the element-wise products become (m + 2)² independent matrix products
 * {@code M[ξ] = V[ξ] (tiles x in) · U[ξ] (in x out)}, which run on the direct convolution's own
 * register tiles ({@link ConvTileVector256#line2}): {@code V[ξ]} is laid out like a blocked image
 * whose pixels are tiles, and {@code U[ξ]} like the packed weights of a 1x1 convolution.
 *
 * <p>A unit of work (a chunk) is a range of tiles (in row-major order) times a pair of output blocks. It
 * transforms its input patches into {@code V}, in the participant's scratch, multiplies, and transforms {@code M}
 * back through the layer's epilogue into the output: each output (and residual) element is read and written by one
 * chunk alone, so the residual may be the output itself. A participant keeps the {@code V} it made last, with the
 * call, image and range it belongs to ({@link #run(float[], int, float[], int, float[], int, int, int,
 * EpilogueParams, int, float[], long, int)}): the chunks of one range are numbered one after the other and the
 * executor hands a thread a contiguous run of chunks, so a thread transforms each range it works on once (where
 * the image is one range, {@link #RANGE_TILES}, each thread transforms all of it). {@code V} is never shared
 * between threads: on a Zen 5 host, reading a {@code V} that the
 * other core had written (the input transformed once per call into shared memory, which this stage did before)
 * made 256 -> 256 channels at 14x14 take as long on two threads as on one (820 against 809 us).
 *
 * <p>Numbers: the transforms add and subtract inputs before the products, so an infinity in a patch
 * can meet another as {@code ∞ - ∞} where direct convolution would have given {@code ±∞}, and NaN
 * would reach outputs outside its receptive field. A chunk whose transformed patches are not all
 * finite is therefore computed directly instead ({@link #direct}, scalar, exact), the same
 * outputs as far as the order of the sum allows. Finite inputs round differently from the direct
 * path (the products are of sums): on 512-channel layers up to about 2e-5 of the outputs' magnitude
 * with 4x4 tiles and 3e-6 with 2x2 (bench/README.md).
 *
 * <p>Only the vector paths use it ({@code bits} 256 or 512); the transforms run at 256 bits on
 * either.
 */
final class WinogradStage implements ConvPlan.Stage {
  private static final VectorSpecies<Float> S = FloatVector.SPECIES_256;
  private static final int L = 8;
  /** 16 floats per (tile, channel block) in {@code V} and {@code M}. */
  private static final int B = Layout.BLOCK;
  /**
   * Tiles per range at most where an image has more tiles than output channels: a range's {@code V} stays in the
   * participant's cache while the chunks of the range multiply it by one block pair's {@code U} after the other.
   * Where it has fewer, the whole image is one range: each thread then transforms all of it (twice the transforms
   * of two ranges) but multiplies only the pairs it takes, so it reads half the transformed weights, which come from
   * memory in a network. Zen 5, 2 threads, weights cold (a scratch harness cycling through more layers than the
   * L3 holds), one range against ranges of 32 tiles: 96 -> 208 at 14x14 200 against 244 us, 64 -> 256 at 13x13
   * 159 against 228, 128 -> 192 at 28x28 (4x4 tiles) 607 against 742, 512 -> 512 at 14x14 1827 against 2342; but
   * 64 -> 64 at 56x56 (196 tiles) 500 (two ranges, by the size limit) and 3828 (one) against 440.
   */
  private static final int RANGE_TILES = Integer.getInteger("netc.wino.rangeTiles", 32);
  /** Floats of a range's {@code V} at most (2 MB; see {@link #RANGE_TILES}). */
  private static final int RANGE_MAX_FLOATS = Integer.getInteger("netc.wino.rangeFloats", 1 << 19);
  /**
   * Input channels at least: the products reduce over the input channels alone (direct convolution
   * over 9 taps of them), so with few a tile's fixed work per output weighs more. Time against the
   * direct plan's, one thread: 16 -> 64 channels at 55x55 0.60 with 4x4 tiles but 0.96 with 2x2;
   * 16 -> 48 at 14x14 1.29 (2x2); 32 -> 128 at 27x27 0.62 (4x4), 0.88 (2x2).
   */
  static final int MIN_IN_CHANNELS = 16;
  /** Input channels at least for 2x2 tiles ({@link #outputTile}). */
  static final int F2_MIN_IN_CHANNELS = 32;
  /**
   * ... where the direct path runs 512-bit tiles: they take few-channel layers faster than 2x2 tiles do on two
   * threads, where these small Winograd layers gain little from the second thread. Winograd's time against the
   * direct plan's, Zen 5, the two alternating in one JVM (medians of 18 windows), 2 threads / 1 thread:
   * 32 -> 64 at 14x14 1.36 / 0.93, 32 -> 128 at 7x7 1.44 / 1.08, 48 -> 128 at 7x7 1.53 / 0.96, 48 -> 192 at 13x13
   * 1.27 / 1.05, 64 -> 256 at 13x13 1.07 / 0.74, 96 -> 208 at 14x14 1.07 / 0.62, 112 -> 224 at 14x14 0.97 / 0.61.
   * So from 64 channels: below, the direct path takes 0.65-0.79x Winograd's time on two threads and at most 1.08x on
   * one; from there, Winograd takes 0.61-0.74x the direct time on one thread and at most 1.07x on two.
   */
  static final int F2_MIN_IN_CHANNELS_512 = 64;
  /**
   * Output rows and columns at least: a 7x7 output is 16 tiles covering 8x8 pixels (512 channels:
   * 0.76x the direct time on one thread, 0.95x on two); 4x4 is 4 tiles (64 channels: 0.75x and 1.09x).
   */
  static final int MIN_OUT_SIDE = 7;
  /**
   * Output rows and columns at least for 4x4 output tiles ({@link #outputTile}); {@code -Dnetc.conv.f4MinSide=N}
   * sets it for measurements (13 was tried on a Zen 5 host: bench/README.md, "Second round on a Zen 5 host").
   */
  static final int F4_MIN_OUT_SIDE = Integer.getInteger("netc.conv.f4MinSide", 24);
  /**
   * Scratch after {@code V} and {@code M}: one zero-bordered input patch (6x6 at most), one tile's
   * outputs (4x4) and the output transform's intermediate rows (6 x 4).
   */
  private static final int PATCH = 36 * B;
  private static final int OUT_TILE = 16 * B;
  private static final int OUT_ROWS = 24 * B;
  /**
   * The key of the {@code V} a participant's scratch holds ({@link ScratchKey}: the call, this stage's number, the
   * image and range), then whether that {@code V} is finite.
   */
  private static final int KEY = ScratchKey.FLOATS + 1;
  /** {@code G} of F(2x2, 3x3) and of F(4x4, 3x3) (Lavin and Gray's points 0, ±1, ±2). */
  private static final double[][] G2 = {{1, 0, 0}, {0.5, 0.5, 0.5}, {0.5, -0.5, 0.5}, {0, 0, 1}};
  private static final double[][] G4 = {{1 / 4.0, 0, 0}, {-1 / 6.0, -1 / 6.0, -1 / 6.0},
      {-1 / 6.0, 1 / 6.0, -1 / 6.0}, {1 / 24.0, 1 / 12.0, 1 / 6.0}, {1 / 24.0, -1 / 12.0, 1 / 6.0}, {0, 0, 1}};

  /** Output pixels per tile side: 2 (F(2x2, 3x3)) or 4 (F(4x4, 3x3)). */
  private final int m;
  /** Input pixels per patch side, {@code m + 2}. */
  private final int a;
  /** Transformed matrices, {@code a * a}: the products per tile and channel pair. */
  private final int xis;
  private final int cin;
  /** 16-channel blocks of the input. */
  private final int inBlocks;
  /** Floats per input image. */
  private final int inImage;
  private final int cout;
  private final int blocksOut;
  private final int inH;
  private final int inW;
  private final int outH;
  private final int outW;
  private final int padTop;
  private final int padLeft;
  private final int tilesW;
  private final int tilesH;
  /** Tiles in all, {@code tilesW * tilesH}. */
  private final int tiles;
  /** Ranges of tiles per image. */
  private final int ranges;
  /** Pairs of output blocks: chunks per range. */
  private final int pairs;
  /** Tiles per range (the last may have fewer): the pixel count of {@code V[ξ]} and {@code M[ξ]}. */
  private final int tMax;
  /** Floats from {@code V[ξ]} to {@code V[ξ + 1]}: {@code ceil(in / 16)} blocks of {@link #tMax} tiles, and a cache line. */
  private final int vStride;
  /** Floats from {@code M[ξ]} to {@code M[ξ + 1]}: 2 blocks of {@link #tMax} tiles, and a cache line. */
  private final int mStride;
  /** Where in the scratch {@code M}, the patch and tile buffers, and the key of {@code V} start. */
  private final int mBase;
  private final int patch;
  private final int key;
  /** {@code U[pair][ξ][block in pair][in channel][16]}: the transformed weights {@code G g Gᵀ} ({@link #uBase}). */
  private final float[] u;
  /** Offsets of the input channels in {@code V[ξ]}, as {@link ConvStage}'s offset tables. */
  private final int[] off;
  /** The products are summed without an epilogue: multiplier 1, addend 0. */
  private final EpilogueParams identity;
  /** The PyTorch weights {@code [out, in, 3, 3]}, for {@link #direct}. */
  private final float[] weight;
  /** This stage's number (below 2^24) in its scratch keys. */
  private final float id = ScratchKey.newId();

  /**
   * Whether this stage can compute {@code spec} reading {@code inLayout}: a 2-D, ungrouped, 3x3, stride-1,
   * undilated convolution on a blocked input with an output of at least {@link #MIN_OUT_SIDE} pixels each way
   * and at least {@link #MIN_IN_CHANNELS} input channels. A plan forced to one tile size takes it wherever this
   * holds ({@code -Dnetc.conv.winograd=2|4}, tests).
   */
  static boolean applies(ConvSpec spec, Layout inLayout) {
    ConvAxis y = spec.height();
    ConvAxis x = spec.width();
    return spec.rank() == 2 && !spec.transposed() && spec.groups() == 1 && inLayout == Layout.NCHWC16
        && y.kernel() == 3 && x.kernel() == 3 && y.stride() == 1 && x.stride() == 1 && y.dilation() == 1
        && x.dilation() == 1 && spec.outHeight() >= MIN_OUT_SIDE && spec.outWidth() >= MIN_OUT_SIDE
        && spec.inChannels() >= MIN_IN_CHANNELS;
  }

  /**
   * Whether a plan whose direct path has {@code bits}-wide tiles takes this stage, with {@link #outputTile}'s
   * tiles, for {@code spec}: where it {@link #applies} and is faster than the direct path, so with
   * {@link #F2_MIN_IN_CHANNELS} input channels at least for 2x2 tiles ({@link #F2_MIN_IN_CHANNELS_512} at 512 bits).
   */
  static boolean chosen(ConvSpec spec, Layout inLayout, int bits) {
    return applies(spec, inLayout) && (outputTile(spec) == 4
        || spec.inChannels() >= (bits >= 512 ? F2_MIN_IN_CHANNELS_512 : F2_MIN_IN_CHANNELS));
  }

  /**
   * The output tile side for {@code spec}: 4 where its outputs are at least {@link #F4_MIN_OUT_SIDE}
   * pixels each way, else 2. The 36 products of a 6x6 patch give 16 outputs, 2.25 per output pixel
   * against 4 with 2x2 tiles; the transformed weights take 4x the weights' memory instead of 1.78x,
   * and the results round a little more (bench/README.md). Against the direct time, one thread:
   * 64 channels at 56x56 0.42 (2x2 tiles: 0.61), 128 at 28x28 0.38 (0.64), 256 at 14x14 0.48 (0.61),
   * 512 at 7x7 0.78 (0.73). At 14x14 a quarter of a 16x16 tile grid is past the edge; its layers
   * (ResNet-50's layer3, VGG-16's last block) hold most of those networks' 3x3 weights, so they keep
   * 2x2 tiles and 1.78x.
   */
  static int outputTile(ConvSpec spec) {
    return spec.outHeight() >= F4_MIN_OUT_SIDE && spec.outWidth() >= F4_MIN_OUT_SIDE ? 4 : 2;
  }

  WinogradStage(ConvSpec spec, float[] w, int wOff) {
    this(spec, w, wOff, outputTile(spec));
  }

  /** As {@link #WinogradStage(ConvSpec, float[], int)} with output tiles {@code m x m} (2 or 4; tests). */
  WinogradStage(ConvSpec spec, float[] w, int wOff, int m) {
    if (m != 2 && m != 4) {
      throw new IllegalArgumentException("Winograd output tile: expected 2 or 4, found " + m);
    }
    this.m = m;
    a = m + 2;
    xis = a * a;
    cin = spec.inChannels();
    inBlocks = Layout.paddedChannels(cin) / B;
    inImage = spec.inSize(Layout.NCHWC16);
    cout = spec.outChannels();
    blocksOut = Layout.paddedChannels(cout) / B;
    inH = spec.height().in();
    inW = spec.width().in();
    outH = spec.outHeight();
    outW = spec.outWidth();
    padTop = spec.height().padBegin();
    padLeft = spec.width().padBegin();
    tilesW = (outW + m - 1) / m;
    tilesH = (outH + m - 1) / m;
    tiles = tilesW * tilesH;
    int most = tiles <= Layout.paddedChannels(cout) ? tiles : RANGE_TILES;
    most = Math.max(1, Math.min(most, RANGE_MAX_FLOATS / (xis * Layout.paddedChannels(cin))));
    ranges = (tiles + most - 1) / most;
    tMax = (tiles + ranges - 1) / ranges;
    pairs = (blocksOut + 1) / 2;
    // one cache line more than the data, so that the 16 matrices do not fall into the same L1 sets
    vStride = Layout.paddedChannels(cin) * tMax + B;
    mStride = 2 * B * tMax + B;
    mBase = PackGemm.ALIGN + xis * vStride;
    patch = mBase + xis * mStride;
    key = patch + PATCH + OUT_TILE + OUT_ROWS;
    weight = Arrays.copyOfRange(w, wOff, wOff + spec.weightSize());
    u = transformWeights(weight, cin, cout, blocksOut, m == 2 ? G2 : G4);
    off = new int[cin];
    for (int c = 0; c < cin; c++) {
      off[c] = c / B * tMax * B + c % B;
    }
    float[] ones = new float[blocksOut * B];
    Arrays.fill(ones, 1f);
    identity = new EpilogueParams(blocksOut * B, ones, new float[blocksOut * B], false, Activation.IDENTITY, 0f);
  }

  /**
   * {@code U = (G g Gᵀ)[ξ]} of output channel {@code 16 * block + lane} at {@code uBase(ξ, block) + 16 c + lane},
   * zero past the last one.
   */
  private static float[] transformWeights(float[] w, int cin, int cout, int blocksOut, double[][] g) {
    int a = g.length;
    float[] u = new float[PackGemm.ALIGN + a * a * ((blocksOut + 1) / 2 * 2) * cin * B];
    double[][] gg = new double[a][3];
    for (int oc = 0; oc < cout; oc++) {
      for (int c = 0; c < cin; c++) {
        int k = (oc * cin + c) * 9;
        for (int i = 0; i < a; i++) {
          for (int x = 0; x < 3; x++) {
            gg[i][x] = g[i][0] * w[k + x] + g[i][1] * w[k + 3 + x] + g[i][2] * w[k + 6 + x];
          }
        }
        for (int i = 0; i < a; i++) {
          for (int j = 0; j < a; j++) {
            double v = gg[i][0] * g[j][0] + gg[i][1] * g[j][1] + gg[i][2] * g[j][2];
            u[uBase(a * a, cin, i * a + j, oc / B) + c * B + oc % B] = (float) v;
          }
        }
      }
    }
    return u;
  }

  /**
   * Where {@code U[ξ]} of output block {@code b} starts: a block pair's weights lie together, ξ by ξ, so that a
   * chunk reads its weights as one stream (from memory, in a network) rather than {@code xis} short ones
   * {@code blocksOut x cin x 16} floats apart.
   */
  private static int uBase(int xis, int cin, int xi, int b) {
    return PackGemm.ALIGN + ((b / 2 * xis + xi) * 2 + b % 2) * cin * B;
  }

  /** Floats of scratch a participant needs. */
  int scratchFloats() {
    return key + KEY;
  }

  /** The tiles of range {@code range}. */
  private int tilesOf(int range) {
    return Math.min(tiles, (range + 1) * tMax) - range * tMax;
  }

  /** Tiles per range (tests). */
  int rangeTiles() {
    return tMax;
  }

  /** Pairs of output blocks. */
  @Override
  public int tiles() {
    return pairs;
  }

  /** Ranges of tiles. */
  @Override
  public int groups() {
    return ranges;
  }

  /** Chunk ({@code pair}, {@code range}), transforming its input whatever the scratch holds. */
  @Override
  public void run(float[] in, int inImg, float[] out, int outImg, float[] res, int resDelta, int pair,
      int range, EpilogueParams e, int bits, float[] scratch) {
    run(in, inImg, out, outImg, res, resDelta, pair, range, e, bits, scratch, 0, 0);
  }

  /**
   * Chunk ({@code pair}, {@code range}) of image {@code image} of call {@code call} ({@link CallFrame#call}; 0:
   * none), reusing the {@code V} in the scratch {@code s} where it is that range's of that image and call.
   */
  void run(float[] in, int inImg, float[] out, int outImg, float[] res, int resDelta, int pair, int range,
      EpilogueParams e, int bits, float[] s, long call, int image) {
    long slot = (long) image * ranges + range;
    boolean finite;
    if (ScratchKey.holds(s, key, call, id, slot)) {
      finite = s[key + ScratchKey.FLOATS] == 0f;
    } else {
      ScratchKey.clear(s, key); // what follows overwrites V: no key until it is whole
      finite = transformInput(in, inImg, range * tMax, tilesOf(range), 0, inBlocks, s, PackGemm.ALIGN, s, patch);
      s[key + ScratchKey.FLOATS] = finite ? 0f : 1f;
      ScratchKey.write(s, key, call, id, slot);
    }
    if (!finite) {
      direct(in, inImg, out, outImg, res, resDelta, pair, range, e);
      return;
    }
    int b0 = 2 * pair;
    int b1 = Math.min(blocksOut, b0 + 2);
    int n = tilesOf(range);
    multiply(s, PackGemm.ALIGN, s, mBase, n, b0, b1, bits);
    transformOutputs(s, mBase, patch + PATCH, n, range * tMax, b0, b1, out, outImg, res, resDelta, e, bits);
  }

  /** {@code M[ξ] = V[ξ] U[ξ]} for output blocks {@code [b0, b1)}: {@code V} at {@code v[vBase ..]}, {@code M} at {@code s[mBase ..]}. */
  void multiply(float[] v, int vBase, float[] s, int mBase, int tiles, int b0, int b1, int bits) {
    for (int xi = 0; xi < xis; xi++) {
      int vb = vBase + xi * vStride;
      for (int b = b0; b < b1; b += 2) {
        int ub = uBase(xis, cin, xi, b);
        int mb = mBase + xi * mStride + (b - b0) * tMax * B;
        if (b + 1 < b1) {
          int ub2 = ub + cin * B;
          int mb2 = mb + tMax * B;
          if (bits == 512) {
            ConvTileVector512.line2(v, vb, B, off, 0, cin, u, ub, ub2, s, mb, mb2, B, tiles, identity, 16 * b,
                null, 0);
          } else {
            ConvTileVector256.line2(v, vb, B, off, 0, cin, u, ub, ub2, s, mb, mb2, B, tiles, identity, 16 * b,
                null, 0);
          }
        } else if (bits == 512) {
          ConvTileVector512.line(v, vb, B, off, 0, cin, u, ub, s, mb, B, tiles, identity, 16 * b, null, 0);
        } else {
          ConvTileVector256.line(v, vb, B, off, 0, cin, u, ub, s, mb, B, tiles, identity, 16 * b, null, 0);
        }
      }
    }
  }

  /** {@code Y = Aᵀ M A} of {@code tiles} tiles from tile {@code t0} and every block through the epilogue into the output. */
  void transformOutputs(float[] s, int mBase, int outTile, int tiles, int t0, int b0, int b1, float[] out,
      int outImg, float[] res, int resDelta, EpilogueParams e, int bits) {
    int outSp = outH * outW;
    for (int b = b0; b < b1; b++) {
      int ob = outImg + b * outSp * B;
      for (int t = 0; t < tiles; t++) {
        int oy = m * ((t0 + t) / tilesW);
        int ox = m * ((t0 + t) % tilesW);
        int mb = mBase + (b - b0) * tMax * B + t * B;
        if (m == 2) {
          transformOutput2(s, mb, mStride, s, outTile);
        } else {
          transformOutput4(s, mb, mStride, s, outTile, outTile + OUT_TILE);
        }
        for (int i = 0; i < m && oy + i < outH; i++) {
          for (int j = 0; j < m && ox + j < outW; j++) {
            int o = ob + ((oy + i) * outW + ox + j) * B;
            int y = outTile + (m * i + j) * B;
            if (bits == 512) {
              EpilogueVector512.block16(e, 16 * b, s, y, out, o, res, o + resDelta);
            } else {
              EpilogueVector256.block16(e, 16 * b, s, y, out, o, res, o + resDelta);
            }
          }
        }
      }
    }
  }

  /**
   * Writes {@code V = Bᵀ d B} of {@code tiles} tiles from tile {@code t0} (row-major), input blocks
   * {@code [cb0, cb1)}, into {@code v[vBase + ξ * vStride ..]}, using {@code p[patch ..]} for
   * patches that reach into the padding; false when a transformed value is not finite.
   */
  boolean transformInput(float[] in, int inImg, int t0, int tiles, int cb0, int cb1, float[] v, int vBase,
      float[] p, int patch) {
    int inSp = inH * inW;
    float check = 0f;
    for (int t = 0; t < tiles; t++) {
      int iy = m * ((t0 + t) / tilesW) - padTop;
      int ix = m * ((t0 + t) % tilesW) - padLeft;
      boolean inside = iy >= 0 && ix >= 0 && iy + a <= inH && ix + a <= inW;
      for (int cb = cb0; cb < cb1; cb++) {
        int base = inImg + cb * inSp * B;
        int vb = vBase + (cb * tMax + t) * B;
        int valid = cin - cb * B;
        int src = base + (iy * inW + ix) * B;
        float[] from = in;
        int rowStride = inW * B;
        if (!inside) {
          for (int i = 0; i < a; i++) {
            for (int j = 0; j < a; j++) {
              int d = patch + (a * i + j) * B;
              int y = iy + i;
              int x = ix + j;
              if (y >= 0 && y < inH && x >= 0 && x < inW) {
                System.arraycopy(in, base + (y * inW + x) * B, p, d, B);
              } else {
                Arrays.fill(p, d, d + B, 0f);
              }
            }
          }
          from = p;
          src = patch;
          rowStride = a * B;
        }
        check += m == 2 ? transformPatch2(from, src, rowStride, v, vb, vStride, valid)
            : transformPatch4(from, src, rowStride, v, vb, vStride, valid);
      }
    }
    return check == 0f;
  }

  /**
   * One 16-channel patch: {@code d[i][j]} at {@code src[base + i * rowStride + j * 16 ..]} to
   * {@code V[4i + j]} at {@code v[vb + (4i + j) * vs ..]}. Returns 0, or NaN when a value of
   * {@code V} in one of the first {@code valid} channels is not finite ({@code x * 0} is 0 for every
   * finite {@code x}); the channels past them are a blocked tensor's padding, whatever they hold.
   */
  private static float transformPatch2(float[] src, int base, int rowStride, float[] v, int vb, int vs,
      int valid) {
    FloatVector sum = FloatVector.zero(S);
    for (int h = 0; h < B; h += L) {
      // columns: t[.][j] = Bᵀ d[.][j], Bᵀ = [[1, 0, -1, 0], [0, 1, 1, 0], [0, -1, 1, 0], [0, 1, 0, -1]]
      for (int j = 0; j < 4; j++) {
        int s = base + j * B + h;
        FloatVector d0 = FloatVector.fromArray(S, src, s);
        FloatVector d1 = FloatVector.fromArray(S, src, s + rowStride);
        FloatVector d2 = FloatVector.fromArray(S, src, s + 2 * rowStride);
        FloatVector d3 = FloatVector.fromArray(S, src, s + 3 * rowStride);
        int o = vb + j * vs + h;
        d0.sub(d2).intoArray(v, o);
        d1.add(d2).intoArray(v, o + 4 * vs);
        d2.sub(d1).intoArray(v, o + 8 * vs);
        d1.sub(d3).intoArray(v, o + 12 * vs);
      }
      // rows: V[i][.] = t[i][.] B
      for (int i = 0; i < 4; i++) {
        int o = vb + 4 * i * vs + h;
        FloatVector t0 = FloatVector.fromArray(S, v, o);
        FloatVector t1 = FloatVector.fromArray(S, v, o + vs);
        FloatVector t2 = FloatVector.fromArray(S, v, o + 2 * vs);
        FloatVector t3 = FloatVector.fromArray(S, v, o + 3 * vs);
        FloatVector v0 = t0.sub(t2);
        FloatVector v1 = t1.add(t2);
        FloatVector v2 = t2.sub(t1);
        FloatVector v3 = t1.sub(t3);
        v0.intoArray(v, o);
        v1.intoArray(v, o + vs);
        v2.intoArray(v, o + 2 * vs);
        v3.intoArray(v, o + 3 * vs);
        FloatVector all = v0.add(v1).add(v2).add(v3);
        sum = valid >= h + L ? sum.add(all) : sum.add(all, S.indexInRange(h, valid));
      }
    }
    return sum.mul(0f).reduceLanes(VectorOperators.ADD);
  }

  /**
   * One tile's 16 channels: {@code Y = Aᵀ M A} from {@code M[ξ]} at {@code m[mb + ξ * ms ..]} to
   * pixel {@code 2i + j} at {@code y[yb + (2i + j) * 16 ..]}, {@code Aᵀ = [[1, 1, 1, 0], [0, 1, -1, -1]]}.
   */
  private static void transformOutput2(float[] m, int mb, int ms, float[] y, int yb) {
    for (int h = 0; h < B; h += L) {
      FloatVector s00 = FloatVector.zero(S);
      FloatVector s01 = s00;
      FloatVector s10 = s00;
      FloatVector s11 = s00;
      for (int i = 0; i < 4; i++) {
        int o = mb + 4 * i * ms + h;
        FloatVector m0 = FloatVector.fromArray(S, m, o);
        FloatVector m1 = FloatVector.fromArray(S, m, o + ms);
        FloatVector m2 = FloatVector.fromArray(S, m, o + 2 * ms);
        FloatVector m3 = FloatVector.fromArray(S, m, o + 3 * ms);
        // row i of M A: [m0 + m1 + m2, m1 - m2 - m3]
        FloatVector r0 = m0.add(m1).add(m2);
        FloatVector r1 = m1.sub(m2).sub(m3);
        // Aᵀ: output row 0 sums M A's rows 0..2, output row 1 is row 1 - row 2 - row 3
        if (i < 3) {
          s00 = s00.add(r0);
          s01 = s01.add(r1);
        }
        if (i == 1) {
          s10 = s10.add(r0);
          s11 = s11.add(r1);
        } else if (i > 1) {
          s10 = s10.sub(r0);
          s11 = s11.sub(r1);
        }
      }
      s00.intoArray(y, yb + h);
      s01.intoArray(y, yb + B + h);
      s10.intoArray(y, yb + 2 * B + h);
      s11.intoArray(y, yb + 3 * B + h);
    }
  }

  /**
   * As {@link #transformPatch2} for a 6x6 patch and F(4x4, 3x3): {@code V[6i + j]}, with
   * {@code Bᵀ} = [[4, 0, -5, 0, 1, 0], [0, -4, -4, 1, 1, 0], [0, 4, -4, -1, 1, 0], [0, -2, -1, 2, 1, 0],
   * [0, 2, -1, -2, 1, 0], [0, 4, 0, -5, 0, 1]] on the columns, then on the rows.
   */
  private static float transformPatch4(float[] src, int base, int rowStride, float[] v, int vb, int vs,
      int valid) {
    FloatVector sum = FloatVector.zero(S);
    for (int h = 0; h < B; h += L) {
      for (int j = 0; j < 6; j++) {
        int q = base + j * B + h;
        bt6(src, q, rowStride, v, vb + j * vs + h, 6 * vs);
      }
      for (int i = 0; i < 6; i++) {
        int o = vb + 6 * i * vs + h;
        bt6(v, o, vs, v, o, vs);
        FloatVector all = FloatVector.fromArray(S, v, o).add(FloatVector.fromArray(S, v, o + vs))
            .add(FloatVector.fromArray(S, v, o + 2 * vs)).add(FloatVector.fromArray(S, v, o + 3 * vs))
            .add(FloatVector.fromArray(S, v, o + 4 * vs)).add(FloatVector.fromArray(S, v, o + 5 * vs));
        sum = valid >= h + L ? sum.add(all) : sum.add(all, S.indexInRange(h, valid));
      }
    }
    return sum.mul(0f).reduceLanes(VectorOperators.ADD);
  }

  /**
   * {@code Bᵀ (d0 .. d5)} of F(4x4, 3x3), {@code d_k} at {@code src[s + k * from ..]}, into {@code v[o + k * step]},
   * k = 0 .. 5 (may be in place). It loads its own vectors: C2 may leave a call to it (on an AVX-512 host its
   * compiled code outgrew {@code InlineSmallCode}), and a vector passed to a call that is not inlined is boxed.
   */
  private static void bt6(float[] src, int s, int from, float[] v, int o, int step) {
    FloatVector d0 = FloatVector.fromArray(S, src, s);
    FloatVector d1 = FloatVector.fromArray(S, src, s + from);
    FloatVector d2 = FloatVector.fromArray(S, src, s + 2 * from);
    FloatVector d3 = FloatVector.fromArray(S, src, s + 3 * from);
    FloatVector d4 = FloatVector.fromArray(S, src, s + 4 * from);
    FloatVector d5 = FloatVector.fromArray(S, src, s + 5 * from);
    FloatVector p = d4.sub(d2.mul(4f));
    FloatVector q = d3.sub(d1.mul(4f));
    FloatVector r = d4.sub(d2);
    FloatVector t = d3.sub(d1).mul(2f);
    d4.add(d0.mul(4f)).sub(d2.mul(5f)).intoArray(v, o);
    p.add(q).intoArray(v, o + step);
    p.sub(q).intoArray(v, o + 2 * step);
    r.add(t).intoArray(v, o + 3 * step);
    r.sub(t).intoArray(v, o + 4 * step);
    d5.add(d1.mul(4f)).sub(d3.mul(5f)).intoArray(v, o + 5 * step);
  }

  /**
   * As {@link #transformOutput2} for F(4x4, 3x3): {@code Y = Aᵀ M A} (4x4 pixels) from the 36
   * matrices, {@code Aᵀ = [[1, 1, 1, 1, 1, 0], [0, 1, -1, 2, -2, 0], [0, 1, 1, 4, 4, 0],
   * [0, 1, -1, 8, -8, 1]]}, the rows of {@code M A} through {@code t[tb ..]} (6 x 4 blocks).
   */
  private static void transformOutput4(float[] m, int mb, int ms, float[] y, int yb, int tb) {
    for (int h = 0; h < B; h += L) {
      for (int i = 0; i < 6; i++) {
        int o = mb + 6 * i * ms + h;
        at6(m, o, ms, y, tb + 4 * i * B + h, B);
      }
      for (int j = 0; j < 4; j++) {
        int o = tb + j * B + h;
        at6(y, o, 4 * B, y, yb + j * B + h, 4 * B);
      }
    }
  }

  /** {@code Aᵀ (m0 .. m5)} of F(4x4, 3x3), {@code m_k} at {@code m[q + k * from ..]}, into {@code y[o + k * step]}, k = 0 .. 3 (see {@link #bt6}). */
  private static void at6(float[] m, int q, int from, float[] y, int o, int step) {
    FloatVector m0 = FloatVector.fromArray(S, m, q);
    FloatVector m1 = FloatVector.fromArray(S, m, q + from);
    FloatVector m2 = FloatVector.fromArray(S, m, q + 2 * from);
    FloatVector m3 = FloatVector.fromArray(S, m, q + 3 * from);
    FloatVector m4 = FloatVector.fromArray(S, m, q + 4 * from);
    FloatVector m5 = FloatVector.fromArray(S, m, q + 5 * from);
    FloatVector s12 = m1.add(m2);
    FloatVector d12 = m1.sub(m2);
    FloatVector s34 = m3.add(m4);
    FloatVector d34 = m3.sub(m4);
    m0.add(s12).add(s34).intoArray(y, o);
    d12.add(d34.mul(2f)).intoArray(y, o + step);
    s12.add(s34.mul(4f)).intoArray(y, o + 2 * step);
    d12.add(d34.mul(8f)).add(m5).intoArray(y, o + 3 * step);
  }

  /**
   * Chunk ({@code pair}, {@code range}) by direct convolution, scalar, for inputs that are not all
   * finite; padding channels are written as 0.
   */
  private void direct(float[] in, int inImg, float[] out, int outImg, float[] res, int resDelta, int pair,
      int range, EpilogueParams e) {
    int b0 = 2 * pair;
    int b1 = Math.min(blocksOut, b0 + 2);
    int inSp = inH * inW;
    int outSp = outH * outW;
    int t1 = range * tMax + tilesOf(range);
    for (int oc = B * b0; oc < B * b1; oc++) {
      int ob = outImg + oc / B * outSp * B + oc % B;
      for (int t = range * tMax; t < t1; t++) {
        for (int pix = 0; pix < m * m; pix++) {
          int oy = m * (t / tilesW) + pix / m;
          int ox = m * (t % tilesW) + pix % m;
          if (oy >= outH || ox >= outW) {
            continue;
          }
          int o = ob + (oy * outW + ox) * B;
          if (oc >= cout) {
            out[o] = 0f;
            continue;
          }
          float acc = 0f;
          for (int c = 0; c < cin; c++) {
            int ib = inImg + c / B * inSp * B + c % B;
            for (int ky = 0; ky < 3; ky++) {
              int iy = oy - padTop + ky;
              if (iy < 0 || iy >= inH) {
                continue;
              }
              for (int kx = 0; kx < 3; kx++) {
                int ix = ox - padLeft + kx;
                if (ix >= 0 && ix < inW) {
                  acc = Math.fma(in[ib + (iy * inW + ix) * B], weight[((oc * cin + c) * 3 + ky) * 3 + kx], acc);
                }
              }
            }
          }
          out[o] = e.apply(acc, oc, e.residual ? res[o + resDelta] : 0f);
        }
      }
    }
  }
}

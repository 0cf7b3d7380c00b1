package dev.netc.runtime.kernels;

import dev.netc.runtime.exec.CallFrame;
import dev.netc.runtime.exec.Executor;
import dev.netc.runtime.exec.ParallelTask;
import java.util.concurrent.atomic.LongAdder;

/**
 * A depthwise convolution between 1x1 ones, run as one parallel call band of rows by band of rows: an optional 1x1
 * expansion, a depthwise layer, and a 1x1 projection that may add a residual (MobileNetV2's inverted residual block).
 * Layer by layer, each layer writes its whole output and the next reads it back: the expanded tensor, six times the
 * block's input in MobileNetV2, goes out to memory and in again twice. Here each chunk is one band of output rows of
 * one image: its participant expands the input rows that the band's depthwise windows read into its own scratch, runs
 * the depthwise layer over them into scratch, and projects the band into the output while both are in its cache. The
 * input rows two neighbouring bands' windows share are expanded once where one participant runs both, one after the
 * other (as the executor hands out its first chunks), and by both otherwise.
 *
 * <p>The layers' own plans are built as usual and given to {@link #of}; the chain runs their packed weights with
 * their micro-kernels and epilogues, each output pixel reduced in the same order, so its outputs are bit for bit the
 * layers' run one after the other. Where a chain does not fuse ({@code -Dnetc.conv.chain=false}, the scalar path,
 * layers of different kernel widths, 1x1 layers over {@link #MAX_WEIGHTS} or whose reductions are cut into parts, an
 * expansion reading an NCHW input, a residual on a layer but the last), {@link #run} runs the layers one after the
 * other through the caller's intermediate arrays.
 */
public final class ConvChain implements ParallelTask {
  /** {@code -Dnetc.conv.chain=false} runs every chain layer by layer (measurements). */
  static final boolean ENABLED = !"false".equals(System.getProperty("netc.conv.chain"));
  /**
   * About this many floats of expanded rows per band at most, but always the input rows of at least one output row
   * ({@code -Dnetc.conv.chainBand}).
   */
  static final int BAND_FLOATS = Integer.getInteger("netc.conv.chainBand", 96 * 1024);
  /**
   * Chains only where the 1x1 layers' weights together are at most this many floats (1 MB): every band reads them
   * all, where the layers alone read each weight once per thread. MobileNetV1's 512-channel layers in threes (2 MB of
   * weights) ran slower as chains than layer by layer (netc / ORT 1.127 against 1.038 with this limit, 3 of 3 runs;
   * bench/README.md, eighth round). {@code -Dnetc.conv.chainMaxWeights} changes it, for measurements.
   */
  static final long MAX_WEIGHTS = Long.getLong("netc.conv.chainMaxWeights", 1L << 18);
  /** Bands per image at least, where the output has that many rows: chunks for two or more participants. */
  private static final int MIN_BANDS = 4;

  private final ConvPlan expand;
  private final ConvPlan depthwise;
  private final ConvPlan project;
  /** Whether {@link #run} runs the bands; else the layers one after the other. */
  private final boolean fused;
  private final int bits;
  private final ConvStage expandStage;
  private final ConvStage projectStage;
  /** The depthwise layer over each band's rows, reading its expanded rows from scratch. */
  private final DepthwiseStage[] bandStages;
  /** Output rows of band {@code b}: {@code [rows[b], rows[b + 1])}. */
  private final int[] rows;
  /** Input rows of the depthwise layer that band {@code b} reads: {@code [inRow0[b], inRow1[b])}. */
  private final int[] inRow0;
  private final int[] inRow1;
  private final int midBlocks;
  private final int width;
  private final int outWidth;
  private final int outSpatial;
  private final int inImage;
  private final int outImage;
  /** Floats between two expanded blocks in scratch (a band's rows at most), and between two depthwise blocks. */
  private final int expandedBlock;
  private final int depthwiseBlock;
  /** Where the expanded rows and the depthwise rows start in the participant's scratch. */
  private final int expandedBase;
  private final int depthwiseBase;
  /**
   * Where the participant's scratch says which band's input rows it holds expanded ({@link ScratchKey}, slot
   * {@code image * bands + band}): the next band of the image then expands only the rows it does not share with it.
   */
  private final int keyAt;
  private final float id = ScratchKey.newId();
  /** Floats of scratch each participant needs. */
  private final int scratchFloats;
  /** Input rows moved instead of expanded again, by all participants (tests). */
  private final LongAdder reused = new LongAdder();

  private ConvChain(ConvPlan expand, ConvPlan depthwise, ConvPlan project, int bandFloats) {
    ConvSpec d = depthwise.spec();
    ConvSpec p = project.spec();
    if (expand != null && (expand.spec().outChannels() != d.inChannels() || expand.spec().outSpatial() != d.inSpatial())
        || d.outChannels() != p.inChannels() || d.outSpatial() != p.inSpatial()) {
      throw new IllegalArgumentException("not a chain: " + (expand == null ? "" : expand.spec() + " -> ") + d + " -> " + p);
    }
    this.expand = expand;
    this.depthwise = depthwise;
    this.project = project;
    this.bits = depthwise.bits();
    this.midBlocks = Layout.paddedChannels(d.inChannels()) / 16;
    this.width = d.width().in();
    this.outWidth = d.outWidth();
    this.outSpatial = d.outSpatial();
    this.inImage = (expand != null ? expand : depthwise).inputSize();
    this.outImage = project.outputSize();
    boolean stages = (expand == null || expand.soleStage() instanceof ConvStage e && e.partSteps() == 0
        && e.pointwiseBlocked() && !expand.epilogue().residual)
        && depthwise.soleStage() instanceof DepthwiseStage && !depthwise.epilogue().residual
        && project.soleStage() instanceof ConvStage s && s.partSteps() == 0 && s.pointwiseBlocked();
    boolean sameBits = (expand == null || expand.bits() == bits) && project.bits() == bits;
    this.fused = ENABLED && bits != 0 && sameBits && stages && applies(expand == null ? null : expand.spec(), d, p)
        && (expand == null || expand.inputLayout() == Layout.NCHWC16);
    if (!fused) {
      expandStage = null;
      projectStage = null;
      bandStages = null;
      rows = inRow0 = inRow1 = null;
      expandedBlock = depthwiseBlock = expandedBase = depthwiseBase = keyAt = scratchFloats = 0;
      return;
    }
    ConvAxis h = d.height();
    int reach = (h.kernel() - 1) * h.dilation() + 1;
    int rowFloats = midBlocks * 16 * width;
    int fitRows = Math.max(reach, bandFloats / rowFloats);
    int bandRows = Math.max(1, Math.min((fitRows - reach) / h.stride() + 1, (d.outHeight() + MIN_BANDS - 1) / MIN_BANDS));
    int bands = (d.outHeight() + bandRows - 1) / bandRows;
    rows = new int[bands + 1];
    inRow0 = new int[bands];
    inRow1 = new int[bands];
    int maxIn = 0;
    int maxOut = 0;
    for (int b = 0; b < bands; b++) {
      rows[b + 1] = (int) ((long) (b + 1) * d.outHeight() / bands);
      inRow0[b] = Math.max(0, rows[b] * h.stride() - h.padBegin());
      inRow1[b] = Math.min(h.in(), (rows[b + 1] - 1) * h.stride() - h.padBegin() + reach);
      maxIn = Math.max(maxIn, inRow1[b] - inRow0[b]);
      maxOut = Math.max(maxOut, rows[b + 1] - rows[b]);
    }
    expandStage = expand == null ? null : (ConvStage) expand.soleStage();
    expandedBlock = expand == null ? 0 : maxIn * width * 16;
    depthwiseBlock = maxOut * outWidth * 16;
    projectStage = ((ConvStage) project.soleStage()).reading(maxOut * outWidth);
    DepthwiseStage whole = (DepthwiseStage) depthwise.soleStage();
    bandStages = new DepthwiseStage[bands];
    for (int b = 0; b < bands; b++) {
      bandStages[b] = whole.rows(d, rows[b], rows[b + 1], expand == null ? d.inSpatial() : maxIn * width, maxOut * outWidth);
    }
    // after the scalar tiles' scratch, as ConvPlan's copies are
    int tileFloats = Math.max(ConvTileScalar.TILE, Math.max(ConvTileVector256.TILE, ConvTileVector512.TILE));
    expandedBase = PackGemm.ALIGN + (tileFloats + 15) / 16 * 16;
    depthwiseBase = expandedBase + midBlocks * expandedBlock;
    keyAt = depthwiseBase + midBlocks * depthwiseBlock;
    scratchFloats = keyAt + ScratchKey.FLOATS;
  }

  /**
   * Whether three layers of these shapes run as a chain: a 2-D 1x1 convolution of stride 1 without padding or groups
   * (none: {@code expand} null), a 2-D depthwise convolution of its output, and a 1x1 convolution like the first of
   * the depthwise layer's output, the two 1x1 layers' weights {@link #MAX_WEIGHTS} floats at most. The compiler asks
   * this; whether a chain's plans let it fuse is decided when it is built ({@link #fused}).
   */
  public static boolean applies(ConvSpec expand, ConvSpec depthwise, ConvSpec project) {
    return (expand == null || pointwise(expand) && expand.outChannels() == depthwise.inChannels()
        && expand.outSpatial() == depthwise.inSpatial())
        && depthwise.rank() == 2 && !depthwise.transposed() && depthwise.depthwise()
        && pointwise(project) && project.inChannels() == depthwise.outChannels()
        && project.inSpatial() == depthwise.outSpatial()
        && (expand == null ? 0L : expand.weightSize()) + project.weightSize() <= MAX_WEIGHTS;
  }

  /** A 1x1 layer of stride 1 without padding that runs as a direct convolution (one channel to one is depthwise). */
  private static boolean pointwise(ConvSpec s) {
    return s.rank() == 2 && !s.transposed() && s.groups() == 1 && !s.depthwise() && s.taps() == 1
        && unit(s.height()) && unit(s.width());
  }

  private static boolean unit(ConvAxis a) {
    return a.kernel() == 1 && a.stride() == 1 && a.padBegin() == 0 && a.padEnd() == 0;
  }

  /** The chain expand -> depthwise -> project; see {@link #applies}. */
  public static ConvChain of(ConvPlan expand, ConvPlan depthwise, ConvPlan project) {
    return new ConvChain(expand, depthwise, project, BAND_FLOATS);
  }

  /** The chain depthwise -> project, without an expansion. */
  public static ConvChain of(ConvPlan depthwise, ConvPlan project) {
    return new ConvChain(null, depthwise, project, BAND_FLOATS);
  }

  /**
   * As {@link #of(ConvPlan, ConvPlan, ConvPlan)} ({@code expand} may be null), with bands of about {@code bandFloats}
   * expanded floats (tests).
   */
  static ConvChain of(ConvPlan expand, ConvPlan depthwise, ConvPlan project, int bandFloats) {
    return new ConvChain(expand, depthwise, project, bandFloats);
  }

  /** Whether chains may fuse in this process: false under {@code -Dnetc.conv.chain=false}. */
  public static boolean enabled() {
    return ENABLED;
  }

  /** Whether {@link #run} runs bands of rows (else the layers one after the other). */
  public boolean fused() {
    return fused;
  }

  /** Input rows moved from one band's expansion to the next's so far (tests). */
  long rowsReused() {
    return reused.sum();
  }

  /** Bands of output rows per image, 0 where the chain does not fuse (tests, reports). */
  public int bands() {
    return fused ? bandStages.length : 0;
  }

  /**
   * Runs the chain on {@code batch} images: the first layer's input at {@code in[inOff..]}, the projection's output
   * at {@code out[outOff..]} and its residual, if its epilogue adds one, at {@code res[resOff..]}, as {@link
   * ConvPlan#run} places them. {@code expanded} and {@code mid} are where the expansion and the depthwise layer write
   * their outputs when the chain runs layer by layer; a fused chain does not touch them ({@code expanded} is not read
   * without an expansion and may be null).
   */
  public void run(int batch, float[] in, int inOff, float[] expanded, int expandedOff, float[] mid, int midOff,
      float[] out, int outOff, float[] res, int resOff, Executor ex) {
    if (!fused) {
      float[] dwIn = in;
      int dwInOff = inOff;
      if (expand != null) {
        expand.run(batch, in, inOff, expanded, expandedOff, null, 0, ex);
        dwIn = expanded;
        dwInOff = expandedOff;
      }
      depthwise.run(batch, dwIn, dwInOff, mid, midOff, null, 0, ex);
      project.run(batch, mid, midOff, out, outOff, res, resOff, ex);
      return;
    }
    if (project.epilogue().residual && res == null) {
      throw new IllegalArgumentException("the epilogue adds a residual but none was given");
    }
    ex.ensureScratch(scratchFloats);
    CallFrame f = ex.frame();
    f.src = in;
    f.srcOff = inOff;
    f.dst = out;
    f.dstOff = outOff;
    f.res = res;
    f.resOff = resOff;
    ex.invoke(this, batch * bandStages.length);
  }

  /**
   * Expands the input rows band {@code b} of image {@code n} reads into scratch: the rows it shares with band
   * {@code b - 1}, where this participant's scratch holds that band's, moved to the front, and the others computed.
   */
  private void expandRows(CallFrame f, int n, int b, int inImg, float[] scratch) {
    int bands = bandStages.length;
    long call = f.call();
    int from = inRow0[b];
    if (b > 0 && ScratchKey.holds(scratch, keyAt, call, id, (long) n * bands + b - 1) && inRow1[b - 1] > from) {
      int skip = (from - inRow0[b - 1]) * width * 16;
      int keep = (inRow1[b - 1] - from) * width * 16;
      for (int block = 0; block < midBlocks; block++) {
        int at = expandedBase + block * expandedBlock;
        System.arraycopy(scratch, at + skip, scratch, at, keep);
      }
      from = inRow1[b - 1];
      reused.add(inRow1[b - 1] - inRow0[b]);
    }
    ScratchKey.clear(scratch, keyAt);
    int done = (from - inRow0[b]) * width * 16;
    if (inRow1[b] > from) {
      expandStage.runPixels(f.src, inImg, from * width, (inRow1[b] - from) * width, scratch, expandedBase + done,
          expandedBlock, null, 0, expand.epilogue(), bits, scratch);
    }
    ScratchKey.write(scratch, keyAt, call, id, (long) n * bands + b);
  }

  @Override
  public void runChunk(CallFrame f, int chunk, float[] scratch) {
    int bands = bandStages.length;
    int b = chunk % bands;
    int n = chunk / bands;
    int inImg = f.srcOff + n * inImage;
    float[] dwIn = f.src;
    int dwImg = inImg;
    if (expandStage != null) {
      expandRows(f, n, b, inImg, scratch);
      dwIn = scratch;
      dwImg = expandedBase - inRow0[b] * width * 16; // the band's first input row at the start of each block's rows
    }
    DepthwiseStage band = bandStages[b];
    int dwOut = depthwiseBase - rows[b] * outWidth * 16;
    EpilogueParams de = depthwise.epilogue();
    for (int block = 0; block < midBlocks; block++) {
      band.run(dwIn, dwImg, scratch, dwOut, null, 0, block, 0, de, bits, scratch);
    }
    int outImg = f.dstOff + n * outImage;
    projectStage.runPixels(scratch, depthwiseBase, 0, (rows[b + 1] - rows[b]) * outWidth, f.dst,
        outImg + rows[b] * outWidth * 16, outSpatial * 16, f.res, f.resOff - f.dstOff, project.epilogue(), bits,
        scratch);
  }
}

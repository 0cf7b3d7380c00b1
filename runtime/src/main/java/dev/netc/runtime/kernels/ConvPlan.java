package dev.netc.runtime.kernels;

import dev.netc.runtime.exec.CallFrame;
import dev.netc.runtime.exec.Executor;
import dev.netc.runtime.exec.ParallelTask;
import java.util.Arrays;
import java.util.concurrent.atomic.AtomicLong;

/**
 * One convolution layer prepared at load time: weights packed, offset tables and output runs
 * computed, epilogue fused. Build it once per layer with {@link #create}; call {@link #run} for
 * every forward pass. Immutable and shared by all sessions; {@code run} allocates nothing.
 *
 * <p>Layouts: the input is {@link Layout#NCHWC16} (every layer inside a network) or
 * {@link Layout#NCHW} (a first layer reading the model input directly: a 3-channel stem then
 * reads 3 real channels, not 16 padded ones); the output is always {@link Layout#NCHWC16}, and the
 * residual, when the epilogue has one, is laid out like the output.
 *
 * <p>Strategy, chosen here from the spec:
 * <ul>
 *   <li>depthwise (groups = in = out channels, blocked input): {@link DepthwiseStage}, channels in
 *       vector lanes;</li>
 *   <li>a 2-D, ungrouped, 3x3, stride-1 convolution with a 7x7 output or larger and at least 32 input
 *       channels (64 with 512-bit tiles; 16 from 24x24 outputs), on the vector paths:
 *       {@link WinogradStage}, Winograd's minimal filtering with 4x4 output tiles (outputs from 24x24) or 2x2 ones, whose products run on
 *       {@link ConvStage}'s micro-kernels;</li>
 *   <li>any other convolution, 1x1 included: {@link ConvStage}, a direct convolution whose
 *       micro-kernel is a register tile of 5 pixels (8, 7, 6, 4 or 2 at 512 bits) x 16 channels over
 *       a flat (tap, input channel) reduction. For a 1x1 convolution this is exactly a GEMM micro-kernel
 *       with pixels as rows, weights pre-packed as the B panel and no im2col. A strided 1x1
 *       convolution without padding first gathers the pixels it reads into a dense tensor
 *       ({@link ConvGather}, in the executor's shared scratch) and runs as a stride-1 one; a padded
 *       convolution with a small output copies its input inside a zero border and runs unpadded;</li>
 *   <li>a transposed convolution with strides {@code sD x sH x sW}: that many {@link ConvStage}s,
 *       one per output phase, each an ordinary stride-1 convolution writing every
 *       {@code s}-th output (see {@link ConvTapAxis#transposedPhases}).</li>
 * </ul>
 * Work is split into chunks of (stage, 16-channel output block or pair of blocks, group of output
 * runs; for {@link WinogradStage}, range of tiles), enough of them for every thread to stay busy on small layers.
 */
public final class ConvPlan implements ParallelTask {
  private static final int BITS = PackedKernels.BITS;
  /**
   * About this much work per chunk at least (~20 µs): smaller chunks cost more to hand out than to
   * run. Work is FLOPs for a convolution; a depthwise layer moves ~1 byte per FLOP and runs at a
   * third of the FLOP rate, so its chunks are cut smaller.
   */
  private static final double MIN_CHUNK_FLOPS = 1.5e6;
  private static final double MIN_CHUNK_FLOPS_DEPTHWISE = 0.25e6;
  /** Enough chunks for dynamic balancing on a few cores when one of them is interrupted. */
  private static final int TARGET_CHUNKS = 32;
  /**
   * At most this many floats (64 MB, kept by the executor for its next calls) of a copy a {@link ConvGather} makes
   * for all participants at once (the dense and patches kinds); larger batches run in slices.
   */
  static final long SHARED_MAX_FLOATS = 1L << 24;
  /**
   * How 3x3 stride-1 layers run on the vector paths: by {@link WinogradStage} where it is chosen, with the output
   * tiles it chooses (-1, the default), with {@code n x n} tiles (2 or 4) wherever it applies, or on the direct
   * path (0). Set by
   * {@code -Dnetc.conv.winograd=false|2|4} to compare them (bench/README.md).
   */
  static final int WINOGRAD_TILE = switch (String.valueOf(System.getProperty("netc.conv.winograd"))) {
    case "false" -> 0;
    case "2" -> 2;
    case "4" -> 4;
    default -> -1;
  };

  /**
   * Chunks run blocks-outer where the weights are more than this many times the input (per image), else
   * rows-outer (the constructor). On a Zen 5 host, 2 threads, ResNet-50 layer by layer ({@code VsOrtLayers}, two
   * runs of each order alternating): blocks-outer took layer3's 256 -> 1024 1x1 layers (weights 5x their input)
   * from 1.18-1.37x ONNX Runtime's time to 1.12-1.20x, but its 1024 -> 256 ones (1.3x) from 1.06-1.29x to
   * 1.53-1.67x, and the stride-2 3x3 256 -> 256 at 28x28 (2.9x) from 1.15-1.31x to 1.25-1.46x. Winograd layers
   * run ranges of tiles outside whatever their size ({@link WinogradStage}).
   */
  static final int BLOCKS_OUTER_ABOVE = 4;
  /**
   * ... and at least this many weights (1 MB): smaller ones the second thread finds in the shared cache. With
   * MobileNetV2's late 1x1 layers (0.4-0.6 MB of weights) blocks-outer too, netc / ORT went 0.89-0.98 -> 0.92-1.00
   * (three runs alternating, 2 threads, Zen 5).
   */
  static final int BLOCKS_OUTER_MIN_WEIGHTS = 1 << 18;
  /**
   * Whether each participant makes its own zero-bordered copy of an image ({@link ConvGather.Kind#PADDED}) in its
   * scratch, once per call and image, rather than all of them copying their share into one array first: the rows
   * of the shared copy that the other core wrote cross between the cores again when the stages read them, as the
   * shared Winograd transform did ({@link WinogradStage}). {@code -Dnetc.conv.padCopy=shared} restores the shared
   * copy for measurements (bench/README.md).
   */
  static final boolean PAD_COPY_EACH = !"shared".equals(System.getProperty("netc.conv.padCopy"));
  /** {@code -Dnetc.conv.order=rows|blocks} forces one chunk order for measurements (default: by size). */
  static final String CHUNK_ORDER = String.valueOf(System.getProperty("netc.conv.order"));

  /** A prepared sub-problem; see {@link ConvStage} and {@link DepthwiseStage}. */
  interface Stage {
    /** Units of output channels: 16-channel blocks, or pairs of them ({@link ConvStage}). */
    int tiles();

    /** Groups of output runs. */
    int groups();

    /**
     * Computes one (block, run group) of one image with the micro-kernels of {@code bits}-bit
     * vectors (0: the scalar twins).
     */
    void run(float[] in, int inImg, float[] out, int outImg, float[] res, int resDelta, int tile,
        int group, EpilogueParams e, int bits, float[] scratch);
  }

  private final ConvSpec spec;
  private final Layout inLayout;
  private final EpilogueParams epi;
  private final Stage[] stages;
  /** The layer's only stage when it runs by Winograd's minimal filtering, else null. */
  private final WinogradStage winograd;
  /** Floats of per-participant scratch the stages need, with the participant's own copy and its key if any. */
  private final int scratchFloats;
  private final int[] chunkStage;
  private final int[] chunkTile;
  private final int[] chunkGroup;
  /** The micro-kernels' vector width in bits, 0 for the scalar path. */
  private final int bits;
  private final int inImage;
  private final int outImage;
  /**
   * For a strided 1x1 convolution without padding, or a padded one with a small output: the copy of its
   * input (dense, or inside a zero border) over which {@link #stages} run (null otherwise).
   */
  private final ConvGather gather;
  /** Floats per image of what the stages read: the input, or the gathered input. */
  private final int stageInImage;
  /**
   * Where each participant keeps its own copy of an image ({@link #PAD_COPY_EACH}): the copy's start in the scratch
   * ({@link ScratchKey} after it), or -1 where the copy, if any, is shared.
   */
  private final int copyBase;
  /** This plan's number in the keys of its copies. */
  private final float copyId = ScratchKey.newId();
  /** Own copies made so far, by all participants (tests: a copy is made once per participant, call and image). */
  private final AtomicLong copies = new AtomicLong();
  /**
   * For a grouped convolution whose groups are narrower than a 16-channel block: its PyTorch weights and epilogue,
   * for {@link #runExact} (null otherwise). Such a block is packed with zero weights between its groups, and
   * {@code 0 * NaN} is NaN, so a non-finite input would reach the other groups of its block.
   */
  private final float[] exactWeights;
  private final Epilogue exactEpilogue;
  /** Whether the chunks run blocks-outer (see {@link #BLOCKS_OUTER_ABOVE}). */
  private final boolean blocksOuter;

  private ConvPlan(ConvSpec spec, float[] weight, int wOff, Epilogue e, Layout inLayout, int bits,
      int padMaxOut, int padMinWidth, int padBorderShare, int winogradTile, boolean padCopyEach) {
    if (weight.length - wOff < spec.weightSize()) {
      throw new IllegalArgumentException("weights: need " + spec.weightSize() + " floats from offset "
          + wOff + ", array has " + weight.length);
    }
    this.spec = spec;
    this.inLayout = inLayout;
    this.bits = bits;
    this.epi = e.fuse(spec.outChannels(), Layout.paddedChannels(spec.outChannels()));
    this.inImage = spec.inSize(inLayout);
    this.outImage = spec.outSize(Layout.NCHWC16);
    ConvWeights w = ConvWeights.of(spec, weight, wOff);
    int blocks = Layout.paddedChannels(spec.outChannels()) / 16;
    double flops = 2.0 * spec.macs();
    double minChunk = spec.depthwise() ? MIN_CHUNK_FLOPS_DEPTHWISE : MIN_CHUNK_FLOPS;
    int chunks = (int) Math.max(1, Math.min(TARGET_CHUNKS, flops / minChunk));
    // WinogradStage holds vector species: the scalar path (bits 0) must not load it
    boolean takesWinograd = bits != 0 && (winogradTile < 0 ? WinogradStage.chosen(spec, inLayout, bits)
        : winogradTile > 0 && WinogradStage.applies(spec, inLayout));
    WinogradStage fast = takesWinograd
        ? new WinogradStage(spec, weight, wOff, winogradTile < 0 ? WinogradStage.outputTile(spec) : winogradTile)
        : null;
    this.winograd = fast;
    this.gather = fast != null ? null : ConvGather.of(spec, inLayout, padMaxOut, padMinWidth, padBorderShare);
    this.stageInImage = gather == null ? inImage : gather.image();
    this.stages = fast != null ? new Stage[] {fast}
        : buildStages(gather == null ? spec : gather.stageSpec(), inLayout, gather == null ? w : gather.stageWeights(w),
            blocks, chunks, epi);
    // compile-time constants: naming them loads no vector class
    int tileFloats = Math.max(ConvTileScalar.TILE, Math.max(ConvTileVector256.TILE, ConvTileVector512.TILE));
    this.copyBase = gather != null && padCopyEach && gather.kind() == ConvGather.Kind.PADDED
        ? PackGemm.ALIGN + (tileFloats + 15) / 16 * 16 : -1;
    this.scratchFloats = copyBase >= 0 ? copyBase + gather.image() + ScratchKey.FLOATS
        : Math.max(fast == null ? 0 : fast.scratchFloats(), tileFloats);
    int total = 0;
    for (Stage s : stages) {
      total += s.tiles() * s.groups();
    }
    chunkStage = new int[total];
    chunkTile = new int[total];
    chunkGroup = new int[total];
    boolean groupsShareBlocks = spec.groups() > 1 && (spec.outChannels() / spec.groups()) % Layout.BLOCK != 0
        && Arrays.stream(stages).anyMatch(st -> st instanceof ConvStage);
    exactWeights = groupsShareBlocks ? Arrays.copyOfRange(weight, wOff, wOff + spec.weightSize()) : null;
    exactEpilogue = groupsShareBlocks ? e : null;
    // The executor gives each thread a contiguous range of chunks first. Rows (run groups) outside, channel
    // blocks inside: a thread computes the same rows of every layer and reads what it wrote itself, but reads
    // every weight. Blocks outside: each weight is read by one thread, once, but every thread reads the whole
    // input. The second where the weights outweigh the input (see BLOCKS_OUTER_ABOVE). For a gathered layer the
    // layer's own input is compared, not the copy the stages read: with the copy, ResNet-50's layer3.0.downsample
    // (a quarter of its input) went blocks-outer and the network did not gain (netc / ORT 1.15, 1.16 -> 1.21, 1.17,
    // alternating). Winograd's chunks run ranges outside: a thread then transforms each range of tiles once.
    blocksOuter = switch (CHUNK_ORDER) {
      case "rows" -> false;
      case "blocks" -> true;
      default -> fast == null && spec.weightSize() >= BLOCKS_OUTER_MIN_WEIGHTS
          && spec.weightSize() > BLOCKS_OUTER_ABOVE * (long) inImage;
    };
    int c = 0;
    for (int s = 0; s < stages.length; s++) {
      int gs = stages[s].groups();
      int ts = stages[s].tiles();
      for (int i = 0; i < gs * ts; i++) {
        chunkStage[c] = s;
        chunkTile[c] = blocksOuter ? i / gs : i % ts;
        chunkGroup[c++] = blocksOuter ? i % gs : i / ts;
      }
    }
  }

  /** {@code epi}: the plan's epilogue (a depthwise stage folds its multiplier into its weights). */
  private static Stage[] buildStages(ConvSpec spec, Layout inLayout, ConvWeights w, int blocks,
      int chunks, EpilogueParams epi) {
    // a ConvStage's unit of work is a pair of output blocks
    int pairs = (blocks + 1) / 2;
    if (!spec.transposed()) {
      ConvTapAxis z = ConvTapAxis.forward(spec.depth());
      ConvTapAxis y = ConvTapAxis.forward(spec.height());
      ConvTapAxis x = ConvTapAxis.forward(spec.width());
      // at least two row groups where there is work for a few chunks: a thread's range of chunks is then a band
      // of rows rather than some of the channels of every row
      int minGroups = chunks >= 4 ? 2 : 1;
      if (spec.depthwise() && inLayout == Layout.NCHWC16) {
        int groups = Math.max(minGroups, (chunks + blocks - 1) / blocks);
        return new Stage[] {new DepthwiseStage(spec, z, y, x, w, groups, epi.mul)};
      }
      int groups = Math.max(minGroups, (chunks + pairs - 1) / pairs);
      return new Stage[] {new ConvStage(spec, inLayout, z, y, x, w, groups, epi)};
    }
    ConvTapAxis[] zs = ConvTapAxis.transposedPhases(spec.depth());
    ConvTapAxis[] ys = ConvTapAxis.transposedPhases(spec.height());
    ConvTapAxis[] xs = ConvTapAxis.transposedPhases(spec.width());
    int phases = zs.length * ys.length * xs.length;
    int groups = Math.max(1, (chunks + pairs * phases - 1) / (pairs * phases));
    Stage[] st = new Stage[phases];
    int i = 0;
    for (ConvTapAxis z : zs) {
      for (ConvTapAxis y : ys) {
        for (ConvTapAxis x : xs) {
          st[i++] = new ConvStage(spec, inLayout, z, y, x, w, groups, epi);
        }
      }
    }
    return st;
  }

  /**
   * Prepares a convolution.
   *
   * @param spec     the layer's shape
   * @param weight   PyTorch-layout weights (see {@link ConvSpec}) at {@code weight[wOff..]}; read
   *                 only here (packed copies are kept)
   * @param e        the fused epilogue (bias, scale/shift, residual, activation)
   * @param inLayout the input's layout; the output is always {@link Layout#NCHWC16}
   */
  public static ConvPlan create(ConvSpec spec, float[] weight, int wOff, Epilogue e, Layout inLayout) {
    return create(spec, weight, wOff, e, inLayout, true);
  }

  /** As {@link #create}, choosing the vector path of this process or the scalar path (tests). */
  static ConvPlan create(ConvSpec spec, float[] weight, int wOff, Epilogue e, Layout inLayout,
      boolean vector) {
    return new ConvPlan(spec, weight, wOff, e, inLayout, vector ? BITS : 0, ConvGather.PAD_MAX_OUT_PIXELS,
        ConvGather.padMinOutWidth(vector ? BITS : 0), ConvGather.PAD_MIN_BORDER_SHARE, WINOGRAD_TILE,
        PAD_COPY_EACH);
  }

  /**
   * As {@link #create}, with the micro-kernels of {@code bits}-bit vectors (256 or 512; 0: scalar)
   * whatever this process would choose (tests: a width the host does not run natively is emulated
   * by the Vector API, correct but slow).
   */
  static ConvPlan create(ConvSpec spec, float[] weight, int wOff, Epilogue e, Layout inLayout,
      int bits) {
    return create(spec, weight, wOff, e, inLayout, bits, WINOGRAD_TILE);
  }

  /**
   * As {@link #create(ConvSpec, float[], int, Epilogue, Layout, int)}, where {@link WinogradStage} applies with its
   * output tiles {@code winogradTile x winogradTile} (2 or 4; -1: its own choice; 0: the direct path instead).
   */
  static ConvPlan create(ConvSpec spec, float[] weight, int wOff, Epilogue e, Layout inLayout, int bits,
      int winogradTile) {
    if (bits != 0 && bits != 256 && bits != 512) {
      throw new IllegalArgumentException("micro-kernel width: expected 0, 256 or 512 bits, found " + bits);
    }
    return new ConvPlan(spec, weight, wOff, e, inLayout, bits, ConvGather.PAD_MAX_OUT_PIXELS,
        ConvGather.padMinOutWidth(bits), ConvGather.PAD_MIN_BORDER_SHARE, winogradTile, PAD_COPY_EACH);
  }

  /**
   * As {@link #create(ConvSpec, float[], int, Epilogue, Layout, boolean)}, copying the input of a padded layer into
   * a zero border only when its output has at most {@code padMaxOut} pixels in rows at least {@code padMinWidth}
   * wide, however few of its output windows reach into the padding (tests: padMaxOut 0 keeps the border runs;
   * padMinWidth 1 pads every padded layer that small).
   */
  static ConvPlan create(ConvSpec spec, float[] weight, int wOff, Epilogue e, Layout inLayout, boolean vector,
      int padMaxOut, int padMinWidth) {
    return create(spec, weight, wOff, e, inLayout, vector, padMaxOut, padMinWidth, PAD_COPY_EACH);
  }

  /** As above, each participant copying the padded input for itself or one copy shared by all ({@link #PAD_COPY_EACH}). */
  static ConvPlan create(ConvSpec spec, float[] weight, int wOff, Epilogue e, Layout inLayout, boolean vector,
      int padMaxOut, int padMinWidth, boolean padCopyEach) {
    return new ConvPlan(spec, weight, wOff, e, inLayout, vector ? BITS : 0, padMaxOut, padMinWidth,
        Integer.MAX_VALUE, WINOGRAD_TILE, padCopyEach);
  }

  /** The vector width of the layer's micro-kernels, 0 on the scalar path ({@link ConvChain}). */
  int bits() {
    return bits;
  }

  /** The epilogue the stages run with ({@link ConvChain}). */
  EpilogueParams epilogue() {
    return epi;
  }

  /**
   * The layer's one stage where it has one and runs it without Winograd and without a copy of its input ({@link
   * ConvChain}); else null.
   */
  Stage soleStage() {
    return stages.length == 1 && winograd == null && gather == null ? stages[0] : null;
  }

  /** Whether the chunks run blocks-outer (tests). */
  boolean blocksOuter() {
    return blocksOuter;
  }

  /** Whether each participant makes its own zero-bordered copy of the input ({@link #PAD_COPY_EACH}; tests). */
  boolean copiesEach() {
    return copyBase >= 0;
  }

  /** How many own copies of an image the participants have made so far (tests). */
  long copiesMade() {
    return copies.get();
  }

  /** Whether the layer runs by Winograd's minimal filtering ({@link WinogradStage}). */
  boolean winograd() {
    return winograd != null;
  }

  /** The steps per part of a reduction the direct stages cut ({@link ConvStage#CUT_ABOVE}); 0: not cut. */
  int reductionPart() {
    return stages[0] instanceof ConvStage s ? s.partSteps() : 0;
  }

  /** The layer's shape. */
  public ConvSpec spec() {
    return spec;
  }

  /** The layout {@link #run} expects its input in. */
  public Layout inputLayout() {
    return inLayout;
  }

  /** The layout of the output (and of the residual): always {@link Layout#NCHWC16}. */
  public Layout outputLayout() {
    return Layout.NCHWC16;
  }

  /** Floats per input image. */
  public int inputSize() {
    return inImage;
  }

  /** Floats per output image (padding channels included). */
  public int outputSize() {
    return outImage;
  }

  /**
   * Runs the layer on {@code batch} images: input at {@code in[inOff..]} (images
   * {@link #inputSize()} apart), output at {@code out[outOff..]} and residual at
   * {@code res[resOff..]} (both {@link #outputSize()} apart). {@code res} is read only when the
   * epilogue has a residual, and may then be the output itself at the same offset (each element is
   * read before it is written, by the same thread). The output must not overlap the input.
   */
  public void run(int batch, float[] in, int inOff, float[] out, int outOff, float[] res, int resOff,
      Executor ex) {
    run(batch, in, inOff, out, outOff, outImage, res, resOff, ex);
  }

  /**
   * As {@link #run(int, float[], int, float[], int, float[], int, Executor)}, with output images
   * {@code outStride} floats apart ({@code ≥} {@link #outputSize()}), and residual images too: the
   * layer writes its channels into a slice of a wider blocked tensor, e.g. its place in a
   * channel concatenation starting at a multiple of 16 channels, where each image of the wider
   * tensor is one contiguous run and this layer's blocks are a contiguous part of it. Floats
   * between the slices of two images are not touched.
   */
  public void run(int batch, float[] in, int inOff, float[] out, int outOff, int outStride,
      float[] res, int resOff, Executor ex) {
    if (epi.residual && res == null) {
      throw new IllegalArgumentException("the epilogue adds a residual but none was given");
    }
    if (outStride < outImage) {
      throw new IllegalArgumentException("output images " + outStride + " floats apart overlap: each"
          + " takes " + outImage);
    }
    if (exactWeights != null && !finite(in, inOff, batch * inImage) && !channelsFinite(batch, in, inOff)) {
      runExact(batch, in, inOff, out, outOff, outStride, res, resOff);
      return;
    }
    ex.ensureScratch(scratchFloats);
    if (gather != null && copyBase < 0) {
      // a slice of the batch at a time, so that the gathered copy stays within SHARED_MAX_FLOATS
      int slice = gather.sharedImages(SHARED_MAX_FLOATS);
      for (int n = 0; n < batch; n += slice) {
        int images = Math.min(slice, batch - n);
        float[] made = gather(ex, images, in, inOff + n * inImage);
        runChunks(ex, images, made, 0, out, outOff + n * outStride, outStride, res, resOff + n * outStride);
      }
      return;
    }
    runChunks(ex, batch, in, inOff, out, outOff, outStride, res, resOff);
  }

  /** The chunks of {@code batch} images, reading {@code src}. */
  private void runChunks(Executor ex, int batch, float[] src, int srcOff, float[] out, int outOff, int outStride,
      float[] res, int resOff) {
    CallFrame f = ex.frame();
    f.src = src;
    f.srcOff = srcOff;
    f.dst = out;
    f.dstOff = outOff;
    f.res = res;
    f.resOff = resOff;
    f.n0 = outStride;
    ex.invoke(this, batch * chunkStage.length);
  }

  /**
   * Runs {@link #gather} over {@code images} images of the input at {@code in[inOff ..]} into the executor's shared
   * scratch, a first pass before the stages run, and returns that scratch.
   */
  private float[] gather(Executor ex, int images, float[] in, int inOff) {
    float[] dst = ex.sharedScratch(gather.sharedFloats(images));
    CallFrame f = ex.frame();
    f.src = in;
    f.srcOff = inOff;
    f.dst = dst;
    f.dstOff = 0;
    ex.invoke(gather, images * gather.inputChunks());
    return dst;
  }

  /** Whether {@code a[off..off+n)} holds no NaN or infinity (a max reduction the JIT vectorizes). */
  private static boolean finite(float[] a, int off, int n) {
    float m = 0f;
    for (int i = off; i < off + n; i++) {
      m = Math.max(m, Math.abs(a[i]));
    }
    return Float.isFinite(m);
  }

  /** Whether the input's channels (not a blocked layout's padding lanes) hold no NaN or infinity. */
  private boolean channelsFinite(int batch, float[] in, int inOff) {
    int inSp = spec.inSpatial();
    for (int n = 0; n < batch; n++) {
      for (int c = 0; c < spec.inChannels(); c++) {
        for (int p = 0; p < inSp; p++) {
          if (!Float.isFinite(in[inOff + n * inImage + inLayout.index(c, p, inSp)])) {
            return false;
          }
        }
      }
    }
    return true;
  }

  /**
   * The layer by {@link ConvReference} (NCHW, group by group), for inputs with a NaN or an infinity when groups share
   * a block: slow, rare, and exact. Allocates its NCHW copies.
   */
  private void runExact(int batch, float[] in, int inOff, float[] out, int outOff, int outStride, float[] res,
      int resOff) {
    int ic = spec.inChannels();
    int oc = spec.outChannels();
    int inSp = spec.inSpatial();
    int outSp = spec.outSpatial();
    float[] x = new float[batch * ic * inSp];
    float[] r = epi.residual ? new float[batch * oc * outSp] : null;
    for (int n = 0; n < batch; n++) {
      for (int c = 0; c < ic; c++) {
        for (int p = 0; p < inSp; p++) {
          x[(n * ic + c) * inSp + p] = in[inOff + n * inImage + inLayout.index(c, p, inSp)];
        }
      }
      if (r != null) {
        for (int c = 0; c < oc; c++) {
          for (int p = 0; p < outSp; p++) {
            r[(n * oc + c) * outSp + p] = res[resOff + n * outStride + Layout.NCHWC16.index(c, p, outSp)];
          }
        }
      }
    }
    float[] y = new float[batch * oc * outSp];
    ConvReference.run(spec, exactWeights, 0, exactEpilogue, batch, x, 0, y, 0, r, 0);
    for (int n = 0; n < batch; n++) {
      for (int c = 0; c < Layout.paddedChannels(oc); c++) {
        for (int p = 0; p < outSp; p++) {
          out[outOff + n * outStride + Layout.NCHWC16.index(c, p, outSp)] = c < oc ? y[(n * oc + c) * outSp + p] : 0f;
        }
      }
    }
  }

  @Override
  public void runChunk(CallFrame f, int chunk, float[] scratch) {
    int perImage = chunkStage.length;
    int n = chunk / perImage;
    int c = chunk % perImage;
    // n0: the output (and residual) image stride, set by run.
    int outImg = f.dstOff + n * f.n0;
    int resDelta = f.resOff - f.dstOff;
    if (winograd != null) {
      // reusing the transformed input of the participant's previous chunk where it is this one's
      winograd.run(f.src, f.srcOff + n * stageInImage, f.dst, outImg, f.res, resDelta, chunkTile[c], chunkGroup[c],
          epi, bits, scratch, f.call(), n);
      return;
    }
    if (copyBase >= 0) {
      // the participant's own copy of image n, made by its first chunk of the image in this call
      int key = copyBase + stageInImage;
      long call = f.call();
      if (!ScratchKey.holds(scratch, key, call, copyId, n)) {
        ScratchKey.clear(scratch, key);
        gather.copyImage(f.src, f.srcOff + n * inImage, scratch, copyBase);
        copies.getAndIncrement();
        ScratchKey.write(scratch, key, call, copyId, n);
      }
      stages[chunkStage[c]].run(scratch, copyBase, f.dst, outImg, f.res, resDelta, chunkTile[c], chunkGroup[c], epi,
          bits, scratch);
      return;
    }
    stages[chunkStage[c]].run(f.src, f.srcOff + n * stageInImage, f.dst, outImg, f.res, resDelta,
        chunkTile[c], chunkGroup[c], epi, bits, scratch);
  }
}

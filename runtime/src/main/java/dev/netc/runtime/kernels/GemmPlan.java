package dev.netc.runtime.kernels;

import dev.netc.runtime.exec.CallFrame;
import dev.netc.runtime.exec.Executor;
import dev.netc.runtime.exec.ParallelTask;

/**
 * A matrix product with a fused epilogue, prepared once: {@code C = epilogue(op(A) · op(B))} for
 * a {@link GemmSpec}, batched, with per-column epilogue channels (a linear layer's bias is a
 * per-column bias).
 *
 * <p>Blocking: K in blocks of at most {@value #KC_MAX} (the 4 x KC A panel and the KC x 16 B panel
 * stay in L1 while a micro-tile is computed), rows in blocks of up to {@value #MC_MAX} packed per
 * chunk into the participant's scratch (L2), and B either packed once here (constant weights)
 * or packed per call into the executor's shared scratch by a first parallel stage. Work is split
 * over (batch item, row block, column group) chunks; column groups appear only when there are
 * too few row blocks to keep every thread busy (batch-1 linear layers).
 *
 * <p>Immutable and shareable across threads; {@code run} allocates nothing once the executor's
 * scratch has grown to size.
 */
public final class GemmPlan implements ParallelTask {
  private static final int KC_MAX = 1024;
  private static final int MC_MAX = 48;
  /** Rows of B per packing chunk. */
  private static final int PACK_ROWS = 64;
  private static final boolean VECTOR = PackedKernels.VECTOR;

  private final GemmSpec spec;
  private final EpilogueParams epi;
  private final float[] packedB;
  private final boolean vector;
  /** The 512-bit micro-kernels ({@link GemmVector512}) run the tiles: a vector plan on a 512-bit host. */
  private final boolean wide;
  private final int kc;
  private final int kBlocks;
  private final int nPanels;
  private final int nPad;
  private final ParallelTask packStage = this::packChunk;

  private GemmPlan(GemmSpec spec, Epilogue e, float[] packedB, boolean vector) {
    this.spec = spec;
    this.nPanels = (spec.n() + PackGemm.NR - 1) / PackGemm.NR;
    this.nPad = nPanels * PackGemm.NR;
    this.epi = e.fuse(spec.n(), nPad);
    this.kBlocks = Math.max(1, (spec.k() + KC_MAX - 1) / KC_MAX);
    this.kc = Math.max(1, (spec.k() + kBlocks - 1) / kBlocks);
    this.packedB = packedB;
    this.vector = vector;
    this.wide = vector && PackedKernels.GEMM_BITS == 512;
  }

  /** A product whose B operand is given with every call. */
  public static GemmPlan create(GemmSpec spec, Epilogue e) {
    return new GemmPlan(spec, e, null, VECTOR);
  }

  /** A product with a constant B (weights), packed now; {@code b[bOff..]} is read only here. */
  public static GemmPlan withConstantB(GemmSpec spec, float[] b, int bOff, Epilogue e) {
    return withConstantB(spec, b, bOff, e, VECTOR);
  }

  /**
   * A linear layer {@code y[M,out] = x[M,in] · W^T}, then the epilogue (bias as
   * {@link Epilogue#withBias}); {@code weight[wOff..]} is PyTorch's {@code [out, in]}.
   */
  public static GemmPlan linear(int in, int out, float[] weight, int wOff, Epilogue e) {
    return withConstantB(GemmSpec.linear(in, out), weight, wOff, e);
  }

  /** As {@link #withConstantB(GemmSpec, float[], int, Epilogue)}, choosing the path (tests). */
  static GemmPlan withConstantB(GemmSpec spec, float[] b, int bOff, Epilogue e, boolean vector) {
    GemmPlan shape = new GemmPlan(spec, e, null, vector);
    float[] packed = new float[PackGemm.ALIGN + PackGemm.packedBSize(spec.k(), spec.n())];
    PackGemm.packBRows(spec.transB(), b, bOff, spec.ldb(), spec.k(), spec.n(), shape.kc, 0, spec.k(),
        packed, PackGemm.ALIGN);
    return new GemmPlan(spec, e, packed, vector);
  }

  /** As {@link #create}, choosing the path (tests). */
  static GemmPlan create(GemmSpec spec, Epilogue e, boolean vector) {
    return new GemmPlan(spec, e, null, vector);
  }

  /** This product with another epilogue, sharing the packed constant B (none is copied). */
  public GemmPlan withEpilogue(Epilogue e) {
    return new GemmPlan(spec, e, packedB, vector);
  }

  /** The product's specification. */
  public GemmSpec spec() {
    return spec;
  }

  /**
   * Constant-B product of {@code m} rows: {@code c[cOff..] = epilogue(op(A) · B)}; {@code res}
   * (with {@code resOff}) is read only when the epilogue has a residual.
   */
  public void run(int m, float[] a, int aOff, float[] c, int cOff, float[] res, int resOff, Executor ex) {
    if (packedB == null) {
      throw new IllegalStateException("this plan takes B with every call");
    }
    start(1, m, a, aOff, c, cOff, res, resOff, ex);
    ex.frame().aux = packedB;
    ex.frame().auxOff = PackGemm.ALIGN;
    compute(1, m, ex);
  }

  /**
   * {@code batch} products of {@code m} rows each, B given now (item {@code i} of every operand
   * at its offset plus {@code i} times the spec's stride).
   */
  public void run(int batch, int m, float[] a, int aOff, float[] b, int bOff, float[] c, int cOff,
      float[] res, int resOff, Executor ex) {
    if (packedB != null) {
      throw new IllegalStateException("this plan has a constant B");
    }
    int perItem = PackGemm.packedBSize(spec.k(), spec.n());
    float[] packed = ex.sharedScratch(PackGemm.ALIGN + batch * perItem);
    CallFrame f = ex.frame();
    f.src = b;
    f.srcOff = bOff;
    f.aux = packed;
    ex.invoke(packStage, batch * packChunks());
    start(batch, m, a, aOff, c, cOff, res, resOff, ex);
    f.aux = packed;
    f.auxOff = PackGemm.ALIGN;
    compute(batch, m, ex);
  }

  private void start(int batch, int m, float[] a, int aOff, float[] c, int cOff, float[] res,
      int resOff, Executor ex) {
    if (epi.residual && res == null) {
      throw new IllegalArgumentException("the epilogue adds a residual but none was given");
    }
    CallFrame f = ex.frame();
    f.src = a;
    f.srcOff = aOff;
    f.dst = c;
    f.dstOff = cOff;
    f.res = res;
    f.resOff = resOff;
  }

  private void compute(int batch, int m, Executor ex) {
    if (m <= 0 || batch <= 0) {
      ex.frame().src = null;
      return;
    }
    int p = ex.participants();
    // row blocks of whole tiles: 8 rows where the 512-bit kernels run (4-row blocks would leave them at 4 x 32)
    int mc = Math.min(MC_MAX, roundUp((m + 8 * p - 1) / (8 * p), wide ? 8 : PackGemm.MR));
    int mBlocks = (m + mc - 1) / mc;
    int nGroups = Math.min(nPanels, Math.max(1, (4 * p + batch * mBlocks - 1) / (batch * mBlocks)));
    ex.ensureScratch(mc * kc + GemmVector512.TILE);
    CallFrame f = ex.frame();
    f.n0 = m;
    f.n1 = mc;
    f.n2 = mBlocks;
    f.n3 = nGroups;
    ex.invoke(this, batch * mBlocks * nGroups);
  }

  /** Stage-1 chunks per batch item: row groups of B. */
  private int packChunks() {
    return Math.max(1, (spec.k() + PACK_ROWS - 1) / PACK_ROWS);
  }

  /** Stage 1 of a runtime-B call: packs one group of rows of one batch item's B. */
  private void packChunk(CallFrame f, int chunk, float[] scratch) {
    int groups = packChunks();
    int item = chunk / groups;
    int from = chunk % groups * PACK_ROWS;
    int perItem = PackGemm.packedBSize(spec.k(), spec.n());
    PackGemm.packBRows(spec.transB(), f.src, f.srcOff + item * spec.strideB(), spec.ldb(),
        spec.k(), spec.n(), kc, from, Math.min(spec.k(), from + PACK_ROWS), f.aux,
        PackGemm.ALIGN + item * perItem);
  }

  /** Stage 2: one (batch item, row block, column group) of C. */
  @Override
  public void runChunk(CallFrame f, int chunk, float[] scratch) {
    int m = f.n0;
    int mc = f.n1;
    int mBlocks = f.n2;
    int nGroups = f.n3;
    int group = chunk % nGroups;
    int mb = (chunk / nGroups) % mBlocks;
    int item = chunk / (nGroups * mBlocks);
    int m0 = mb * mc;
    int rows = Math.min(mc, m - m0);
    int j0 = group * nPanels / nGroups;
    int j1 = (group + 1) * nPanels / nGroups;
    int aOff = f.srcOff + item * spec.strideA();
    int cOff = f.dstOff + item * spec.strideC() + m0 * spec.ldc();
    int rOff = f.resOff + item * spec.strideC() + m0 * spec.ldc();
    int bOff = f.auxOff + (packedB == null ? item * PackGemm.packedBSize(spec.k(), spec.n()) : 0);
    int k = spec.k();
    for (int kb = 0; kb < kBlocks; kb++) {
      int k0 = kb * kc;
      int kcb = Math.max(0, Math.min(kc, k - k0));
      PackGemm.packA(spec.transA(), f.src, aOff, spec.lda(), m0, rows, k0, kcb, scratch);
      boolean first = kb == 0;
      boolean last = kb == kBlocks - 1;
      int j = j0;
      if (vector && rows == 1) {
        // one row of A: four panels at once (GemmVector.kernel1x4), the tile's rows their results
        for (; j + 4 <= j1; j += 4) {
          GemmVector.kernel1x4(kcb, scratch, 0, f.aux, bOff + k0 * nPad + j * PackGemm.NR * kcb,
              PackGemm.NR * kcb, scratch, mc * kc);
          for (int q = 0; q < 4; q++) {
            int col = (j + q) * PackGemm.NR;
            GemmVector.finish(scratch, mc * kc + 16 * q, 1, Math.min(PackGemm.NR, spec.n() - col), first, last,
                epi, col, f.dst, cOff + col, spec.ldc(), f.res, rOff + col);
          }
        }
      }
      // one row of A keeps GemmVector's one-row kernels: the 8 x 32 tile would multiply 7 rows of zeros
      for (; wide && rows > 1 && j + 2 <= j1; j += 2) {
        int col = j * PackGemm.NR;
        panelPair(f, scratch, kcb, rows, bOff + k0 * nPad + j * PackGemm.NR * kcb, cOff + col, rOff + col,
            Math.min(PackGemm.NR, spec.n() - col - PackGemm.NR), first, last, col, mc * kc);
      }
      for (; j < j1; j++) {
        int bi = bOff + k0 * nPad + j * PackGemm.NR * kcb;
        int cols = Math.min(PackGemm.NR, spec.n() - j * PackGemm.NR);
        panelColumn(f, scratch, kcb, rows, bi, cOff + j * PackGemm.NR, rOff + j * PackGemm.NR,
            cols, first, last, j * PackGemm.NR, mc * kc);
      }
    }
  }

  /**
   * All 8-row micro-tiles of two neighbouring 16-column panels of the row block ({@link GemmVector512});
   * {@code cols2}: the columns of the second panel that C has.
   */
  private void panelPair(CallFrame f, float[] ap, int kcb, int rows, int bi, int c0, int r0, int cols2,
      boolean first, boolean last, int col0, int tileOff) {
    int ldc = spec.ldc();
    int as = kcb * PackGemm.MR;
    int bs = kcb * PackGemm.NR;
    for (int i = 0; i < rows; i += 8) {
      int tr = Math.min(8, rows - i);
      if (tr > PackGemm.MR) {
        GemmVector512.kernel8x32(kcb, ap, i * kcb, as, f.aux, bi, bs, ap, tileOff);
      } else {
        GemmVector512.kernel4x32(kcb, ap, i * kcb, f.aux, bi, bs, ap, tileOff);
      }
      GemmVector.finish(ap, tileOff, tr, PackGemm.NR, first, last, epi, col0, f.dst, c0 + i * ldc, ldc, f.res,
          r0 + i * ldc);
      GemmVector.finish(ap, tileOff + GemmVector512.TILE / 2, tr, cols2, first, last, epi, col0 + PackGemm.NR, f.dst,
          c0 + PackGemm.NR + i * ldc, ldc, f.res, r0 + PackGemm.NR + i * ldc);
    }
  }

  /**
   * All micro-tiles of one 16-column panel of the row block: 4 rows, or 8 ({@link GemmVector512#kernel8x16})
   * where the 512-bit kernels run and more than 4 rows are left.
   */
  private void panelColumn(CallFrame f, float[] ap, int kcb, int rows, int bi, int c0, int r0,
      int cols, boolean first, boolean last, int col0, int tileOff) {
    int ldc = spec.ldc();
    for (int i = 0; i < rows; ) {
      int ai = i * kcb;
      int tr;
      if (wide && rows - i > PackGemm.MR) {
        tr = Math.min(8, rows - i);
        GemmVector512.kernel8x16(kcb, ap, ai, kcb * PackGemm.MR, f.aux, bi, ap, tileOff);
        GemmVector.finish(ap, tileOff, tr, cols, first, last, epi, col0, f.dst, c0 + i * ldc, ldc, f.res,
            r0 + i * ldc);
      } else if (vector) {
        tr = Math.min(PackGemm.MR, rows - i);
        if (tr == 1) {
          GemmVector.kernel1(kcb, ap, ai, f.aux, bi, ap, tileOff);
        } else {
          GemmVector.kernel(kcb, ap, ai, f.aux, bi, ap, tileOff);
        }
        GemmVector.finish(ap, tileOff, tr, cols, first, last, epi, col0, f.dst, c0 + i * ldc,
            ldc, f.res, r0 + i * ldc);
      } else {
        tr = Math.min(PackGemm.MR, rows - i);
        GemmScalar.kernel(kcb, ap, ai, f.aux, bi, ap, tileOff);
        GemmScalar.finish(ap, tileOff, tr, cols, first, last, epi, col0, f.dst, c0 + i * ldc,
            ldc, f.res, r0 + i * ldc);
      }
      i += tr;
    }
  }

  private static int roundUp(int x, int to) {
    return Math.max(to, (x + to - 1) / to * to);
  }
}

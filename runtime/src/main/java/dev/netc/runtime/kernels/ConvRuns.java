package dev.netc.runtime.kernels;

import java.util.Arrays;

/**
 * The output pixels of one direct-convolution sub-problem, cut at load time into runs that the
 * micro-kernels compute without a bounds test: every pixel of a run reads the same contiguous
 * range of the flat reduction (taps times input channels), so padding costs nothing in the loop.
 *
 * <p>Taps are flattened in two orders. Order A is {@code (tz, ty, tx)}: a row whose vertical taps
 * are cut by padding (top and bottom rows) still has one contiguous tap range, so a whole row's
 * interior is a {@link #HORIZONTAL} run. Order B is {@code (tx, tz, ty)}: a column cut by left or
 * right padding has one contiguous range, so border columns are {@link #VERTICAL} runs down the
 * rows. What neither order makes contiguous (corners; 3-D rows cut in two axes) becomes
 * {@link #PIXEL} runs of one pixel with a list of ranges. Consecutive horizontal runs that continue
 * each other in memory (a 1x1 convolution without padding) merge into one run over the image.
 *
 * <p>Positions are in pixels: {@code inBase} is the flat input position of tap 0 of the run's
 * first pixel (it may lie outside the input; only valid taps are added to it), {@code inStep} the
 * input distance between the run's pixels; likewise for the output.
 */
final class ConvRuns {
  static final int HORIZONTAL = 0;
  static final int VERTICAL = 1;
  static final int PIXEL = 2;

  int size;
  int[] kind = new int[16];
  int[] inBase = new int[16];
  int[] inStep = new int[16];
  int[] outBase = new int[16];
  int[] outStep = new int[16];
  int[] count = new int[16];
  /** HORIZONTAL/VERTICAL: first tap; PIXEL: first range index in {@link #ranges}. */
  int[] lo = new int[16];
  /** HORIZONTAL/VERTICAL: one past the last tap; PIXEL: number of ranges. */
  int[] hi = new int[16];
  /** PIXEL runs' tap ranges (order A), as (from, to) pairs. */
  int[] ranges = new int[16];
  int rangeCount;
  /** Whether any VERTICAL run exists (else order-B tables are not needed). */
  boolean anyVertical;

  private final ConvTapAxis z;
  private final ConvTapAxis y;
  private final ConvTapAxis x;
  private final int inH;
  private final int inW;
  private final int outH;
  private final int outW;

  /**
   * Cuts the sub-problem given by three tap axes into runs.
   *
   * @param outH the full output's height (for flat output positions)
   * @param outW the full output's width
   */
  ConvRuns(ConvTapAxis z, ConvTapAxis y, ConvTapAxis x, int outH, int outW) {
    this.z = z;
    this.y = y;
    this.x = x;
    this.inH = y.inSize;
    this.inW = x.inSize;
    this.outH = outH;
    this.outW = outW;
    for (int jz = 0; jz < z.count; jz++) {
      for (int jy = 0; jy < y.count; jy++) {
        addRow(jz, jy);
      }
      addBorderColumns(jz);
    }
  }

  int tapsY() {
    return y.taps();
  }

  int tapsX() {
    return x.taps();
  }

  int tapsZ() {
    return z.taps();
  }

  private int inPos(int jz, int jy, int jx) {
    int iz = z.start + jz * z.stride;
    int iy = y.start + jy * y.stride;
    int ix = x.start + jx * x.stride;
    return (iz * inH + iy) * inW + ix;
  }

  private int outPos(int jz, int jy, int jx) {
    int oz = z.outStart + jz * z.outStep;
    int oy = y.outStart + jy * y.outStep;
    int ox = x.outStart + jx * x.outStep;
    return (oz * outH + oy) * outW + ox;
  }

  /** True when (jz, jy)'s taps are one range in order A. */
  private boolean rowContiguous(int jz, int jy) {
    return z.hi(jz) - z.lo(jz) <= 1 || y.full(jy);
  }

  private boolean rowEmpty(int jz, int jy) {
    return z.hi(jz) == z.lo(jz) || y.hi(jy) == y.lo(jy);
  }

  private void addRow(int jz, int jy) {
    int ty = y.taps();
    int tx = x.taps();
    if (x.count == 0) {
      return;
    }
    if (rowEmpty(jz, jy)) {
      add(HORIZONTAL, inPos(jz, jy, 0), x.stride, outPos(jz, jy, 0), x.outStep, x.count, 0, 0);
      return;
    }
    if (!rowContiguous(jz, jy)) {
      for (int jx = 0; jx < x.count; jx++) {
        addPixel(jz, jy, jx);
      }
      return;
    }
    int from = (z.lo(jz) * ty + y.lo(jy)) * tx;
    int to = ((z.hi(jz) - 1) * ty + y.hi(jy)) * tx;
    int jx = 0;
    while (jx < x.count) {
      if (!x.full(jx)) {
        if (!verticalCandidate(jz, jy, jx)) {
          addPixel(jz, jy, jx);
        }
        jx++;
        continue;
      }
      int end = jx;
      while (end < x.count && x.full(end)) {
        end++;
      }
      add(HORIZONTAL, inPos(jz, jy, jx), x.stride, outPos(jz, jy, jx), x.outStep, end - jx, from, to);
      jx = end;
    }
  }

  /** A border pixel goes to a vertical run when its row is vertically whole and order B is contiguous. */
  private boolean verticalCandidate(int jz, int jy, int jx) {
    boolean zFull = z.full(jz);
    return y.full(jy) && (zFull || x.hi(jx) - x.lo(jx) <= 1) && z.hi(jz) > z.lo(jz);
  }

  private void addBorderColumns(int jz) {
    int tz = z.taps();
    int ty = y.taps();
    for (int jx = 0; jx < x.count; jx++) {
      if (x.full(jx)) {
        continue;
      }
      int xl = x.lo(jx);
      int xh = x.hi(jx);
      int from = xh == xl ? 0 : (xl * tz + z.lo(jz)) * ty;
      int to = xh == xl ? 0 : ((xh - 1) * tz + z.hi(jz)) * ty;
      int jy = 0;
      while (jy < y.count) {
        if (!verticalCandidate(jz, jy, jx) || rowEmpty(jz, jy)) {
          jy++;
          continue;
        }
        int end = jy;
        while (end < y.count && verticalCandidate(jz, end, jx) && !rowEmpty(jz, end)) {
          end++;
        }
        add(VERTICAL, inPos(jz, jy, jx), y.stride * inW, outPos(jz, jy, jx), y.outStep * outW,
            end - jy, from, to);
        anyVertical = true;
        jy = end;
      }
    }
  }

  private void addPixel(int jz, int jy, int jx) {
    int ty = y.taps();
    int tx = x.taps();
    int first = rangeCount;
    int xl = x.lo(jx);
    int xh = x.hi(jx);
    if (xh > xl) {
      for (int tz = z.lo(jz); tz < z.hi(jz); tz++) {
        for (int t = y.lo(jy); t < y.hi(jy); t++) {
          int from = (tz * ty + t) * tx + xl;
          int to = (tz * ty + t) * tx + xh;
          if (rangeCount > first && ranges[2 * rangeCount - 1] == from) {
            ranges[2 * rangeCount - 1] = to; // continues the previous range
          } else {
            addRange(from, to);
          }
        }
      }
    }
    add(PIXEL, inPos(jz, jy, jx), 0, outPos(jz, jy, jx), 0, 1, first, rangeCount - first);
  }

  private void addRange(int from, int to) {
    if (2 * rangeCount + 2 > ranges.length) {
      ranges = Arrays.copyOf(ranges, ranges.length * 2);
    }
    ranges[2 * rangeCount] = from;
    ranges[2 * rangeCount + 1] = to;
    rangeCount++;
  }

  private void add(int k, int ib, int is, int ob, int os, int n, int l, int h) {
    if (n <= 0) {
      return;
    }
    int last = size - 1;
    if (k == HORIZONTAL && size > 0 && kind[last] == HORIZONTAL && lo[last] == l && hi[last] == h
        && inStep[last] == is && outStep[last] == os && inBase[last] + count[last] * is == ib
        && outBase[last] + count[last] * os == ob) {
      count[last] += n; // continues the previous run in memory: one longer run
      return;
    }
    if (size == kind.length) {
      grow();
    }
    kind[size] = k;
    inBase[size] = ib;
    inStep[size] = is;
    outBase[size] = ob;
    outStep[size] = os;
    count[size] = n;
    lo[size] = l;
    hi[size] = h;
    size++;
  }

  private void grow() {
    int n = kind.length * 2;
    kind = Arrays.copyOf(kind, n);
    inBase = Arrays.copyOf(inBase, n);
    inStep = Arrays.copyOf(inStep, n);
    outBase = Arrays.copyOf(outBase, n);
    outStep = Arrays.copyOf(outStep, n);
    count = Arrays.copyOf(count, n);
    lo = Arrays.copyOf(lo, n);
    hi = Arrays.copyOf(hi, n);
  }

  /**
   * Pieces of a cut run are multiples of this many pixels, which the widest tiles of every width
   * cover whole (5-pixel tiles at 256 bits, 8 and 4 at 512).
   */
  static final int CUT = 20;

  /**
   * Cuts horizontal runs longer than a fair share of the pixels into pieces (multiples of
   * {@link #CUT}), leaving no last piece shorter than {@link #CUT}: a piece ends in narrower tiles,
   * and a cut into multiples of 4 had turned the 49 pixels of a 7x7 1x1 layer (45 in 5-pixel
   * tiles, then 4) into 12 + 12 + 12 + 12 + 1 (5 + 5 + 2 four times and a single pixel): ResNet-50's
   * layer4 1x1 convolutions ran 8 % slower.
   */
  private void cutLongRuns(int groups) {
    long pixels = 0;
    for (int i = 0; i < size; i++) {
      pixels += count[i];
    }
    int max = (int) Math.max(CUT, (pixels / (2L * groups) + CUT - 1) / CUT * CUT);
    int n = size;
    for (int i = 0; i < n; i++) {
      while (kind[i] == HORIZONTAL && count[i] >= max + CUT) {
        if (size == kind.length) {
          grow();
        }
        int rest = count[i] - max;
        // the new run continues run i after its first max pixels; inserted at the end, then
        // moved into place below so runs stay in memory order
        kind[size] = HORIZONTAL;
        inBase[size] = inBase[i] + max * inStep[i];
        inStep[size] = inStep[i];
        outBase[size] = outBase[i] + max * outStep[i];
        outStep[size] = outStep[i];
        count[size] = rest;
        lo[size] = lo[i];
        hi[size] = hi[i];
        count[i] = max;
        moveLast(i + 1);
        n++;
        i++;
      }
    }
  }

  /** Moves the last run to position {@code at}, shifting the runs after it. */
  private void moveLast(int at) {
    int last = size;
    size++;
    for (int[] a : new int[][] {kind, inBase, inStep, outBase, outStep, count, lo, hi}) {
      int v = a[last];
      System.arraycopy(a, at, a, at + 1, last - at);
      a[at] = v;
    }
  }

  /** The reduction length (in taps) of run {@code i}, summed over its pixels: its work. */
  long work(int i) {
    long taps = 0;
    if (kind[i] == PIXEL) {
      for (int q = lo[i]; q < lo[i] + hi[i]; q++) {
        taps += ranges[2 * q + 1] - ranges[2 * q];
      }
    } else {
      taps = hi[i] - lo[i];
    }
    return (long) count[i] * (taps + 1);
  }

  /**
   * Splits the runs, in order, into at most {@code groups} contiguous groups of about equal work;
   * returns the group boundaries ({@code groups + 1} entries, possibly fewer groups). Long
   * horizontal runs (a whole 1x1 image is one) are cut first so that there are enough runs.
   */
  int[] partition(int groups) {
    if (groups > 1) {
      cutLongRuns(groups);
    }
    long total = 0;
    for (int i = 0; i < size; i++) {
      total += work(i);
    }
    int g = Math.max(1, Math.min(groups, size));
    int[] bounds = new int[g + 1];
    long acc = 0;
    int b = 1;
    for (int i = 0; i < size && b < g; i++) {
      acc += work(i);
      if (acc * g >= total * b) {
        bounds[b++] = i + 1;
      }
    }
    for (; b <= g; b++) {
      bounds[b] = size;
    }
    return bounds;
  }
}

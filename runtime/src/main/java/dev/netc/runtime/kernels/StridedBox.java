package dev.netc.runtime.kernels;

import java.util.Arrays;

/**
 * A loop nest over a box of elements with a stride per operand along each of its dims: the data
 * movements whose geometry is fixed once the shapes are known — permute, strided slice, the copy of
 * padding and cropping, broadcasting add and multiply — and the mean over any axes. The factories
 * turn shapes into the box once (generated code keeps it as a constant); the loops then allocate
 * nothing. Shapes are per item, C order; each call runs {@code items} items, each operand's items
 * its own size apart. The innermost run is a {@link System#arraycopy} when both operands are
 * contiguous along it; sums accumulate in double in input order.
 */
public final class StridedBox {
  private final int[] extents;
  private final int[] xStrides;
  private final int[] bStrides;
  private final int[] yStrides;
  private final int xStart;
  private final int yStart;
  private final int xItem;
  private final int bItem;
  private final int yItem;
  /** The trailing dims a mean reduces. */
  private final int reduced;

  private StridedBox(int[] extents, int[] xStrides, int[] bStrides, int[] yStrides, int xStart, int yStart, int xItem,
      int bItem, int yItem, int reduced) {
    // Fewer, longer loops for the same elements: unit dims dropped, and a dim merged into the next one when every
    // operand steps over it as over a run of the next (both in the kept or both in the reduced part).
    int rank = extents.length;
    int[] e = new int[rank];
    int[][] st = {new int[rank], bStrides == null ? null : new int[rank], new int[rank]};
    int[][] in = {xStrides, bStrides, yStrides};
    int n = 0;
    int red = 0;
    for (int d = 0; d < rank; d++) {
      boolean isReduced = d >= rank - reduced;
      if (extents[d] == 1) {
        continue;
      }
      boolean sameGroup = n > 0 && (red > 0) == isReduced;
      if (sameGroup && mergeable(in, d, st, n - 1, extents[d])) {
        e[n - 1] *= extents[d];
        for (int k = 0; k < 3; k++) {
          if (st[k] != null) {
            st[k][n - 1] = in[k][d];
          }
        }
        continue;
      }
      e[n] = extents[d];
      for (int k = 0; k < 3; k++) {
        if (st[k] != null) {
          st[k][n] = in[k][d];
        }
      }
      n++;
      if (isReduced) {
        red++;
      }
    }
    this.extents = Arrays.copyOf(e, n);
    this.xStrides = Arrays.copyOf(st[0], n);
    this.bStrides = st[1] == null ? null : Arrays.copyOf(st[1], n);
    this.yStrides = Arrays.copyOf(st[2], n);
    this.xStart = xStart;
    this.yStart = yStart;
    this.xItem = xItem;
    this.bItem = bItem;
    this.yItem = yItem;
    this.reduced = red;
  }

  /** Whether dim {@code d} (extent {@code extent}) continues merged dim {@code last}: each stride there is d's times the extent. */
  private static boolean mergeable(int[][] in, int d, int[][] st, int last, int extent) {
    for (int k = 0; k < 3; k++) {
      if (in[k] != null && st[k][last] != in[k][d] * extent) {
        return false;
      }
    }
    return true;
  }

  /** C-order strides of {@code shape}. */
  static int[] strides(int[] shape) {
    int[] s = new int[shape.length];
    int acc = 1;
    for (int d = shape.length - 1; d >= 0; d--) {
      s[d] = acc;
      acc *= shape[d];
    }
    return s;
  }

  private static int size(int[] shape) {
    int n = 1;
    for (int d : shape) {
      n *= d;
    }
    return n;
  }

  /** {@code y = x.permute(perm)}: output dim {@code i} is input dim {@code perm[i]}. For {@link #copy}. */
  public static StridedBox permute(int[] shape, int[] perm) {
    int[] xs = strides(shape);
    int[] out = new int[perm.length];
    int[] from = new int[perm.length];
    for (int i = 0; i < perm.length; i++) {
      out[i] = shape[perm[i]];
      from[i] = xs[perm[i]];
    }
    return new StridedBox(out, from, null, strides(out), 0, 0, size(shape), 0, size(out), 0);
  }

  /**
   * Elements {@code start, start + step, ...} ({@code count} of them) along {@code axis}, the rest
   * whole. For {@link #copy}.
   */
  public static StridedBox slice(int[] shape, int axis, int start, int step, int count) {
    int[] xs = strides(shape);
    int[] out = shape.clone();
    out[axis] = count;
    int[] from = xs.clone();
    from[axis] = xs[axis] * step;
    return new StridedBox(out, from, null, strides(out), start * xs[axis], 0, size(shape), 0, size(out), 0);
  }

  /**
   * The part of {@code xShape} that lands inside {@code yShape} when dim {@code d} is shifted by
   * {@code shift[d]} (positive: padding before it, negative: cropped): the copy of constant padding
   * and of cropping. Elements of {@code y} outside the copied part are left as they are. For
   * {@link #copy}.
   */
  public static StridedBox window(int[] xShape, int[] yShape, int[] shift) {
    int[] xs = strides(xShape);
    int[] ys = strides(yShape);
    int[] count = new int[xShape.length];
    int xStart = 0;
    int yStart = 0;
    for (int d = 0; d < xShape.length; d++) {
      int from = Math.max(0, -shift[d]);
      int to = Math.max(0, shift[d]);
      count[d] = Math.max(0, Math.min(xShape[d] - from, yShape[d] - to));
      xStart += from * xs[d];
      yStart += to * ys[d];
    }
    return new StridedBox(count, xs, null, ys, xStart, yStart, size(xShape), 0, size(yShape), 0);
  }

  /**
   * {@code y = a op b} with PyTorch's broadcasting of size-1 dims (all three shapes of one rank,
   * {@code yShape} the larger of each dim). For {@link #add} and {@link #mul}.
   */
  public static StridedBox broadcast(int[] aShape, int[] bShape, int[] yShape) {
    return new StridedBox(yShape.clone(), broadcastStrides(aShape, yShape), broadcastStrides(bShape, yShape),
        strides(yShape), 0, 0, size(aShape), size(bShape), size(yShape), 0);
  }

  private static int[] broadcastStrides(int[] shape, int[] out) {
    if (shape.length != out.length) {
      throw new IllegalArgumentException(Arrays.toString(shape) + " does not broadcast to " + Arrays.toString(out));
    }
    int[] s = strides(shape);
    for (int d = 0; d < s.length; d++) {
      if (shape[d] == 1 && out[d] != 1) {
        s[d] = 0;
      } else if (shape[d] != out[d]) {
        throw new IllegalArgumentException(Arrays.toString(shape) + " does not broadcast to " + Arrays.toString(out));
      }
    }
    return s;
  }

  /**
   * The mean over {@code axes} (distinct dims of {@code shape}); the output holds the other dims in
   * order. For {@link #mean}.
   */
  public static StridedBox mean(int[] shape, int[] axes) {
    boolean[] red = new boolean[shape.length];
    for (int a : axes) {
      if (a < 0 || a >= shape.length || red[a]) {
        throw new IllegalArgumentException("bad axes " + Arrays.toString(axes) + " for " + Arrays.toString(shape));
      }
      red[a] = true;
    }
    int[] xs = strides(shape);
    int kept = shape.length - axes.length;
    int[] extents = new int[shape.length];
    int[] from = new int[shape.length];
    int[] keptShape = new int[kept];
    int k = 0;
    int r = kept;
    for (int d = 0; d < shape.length; d++) {
      int at = red[d] ? r++ : k++;
      extents[at] = shape[d];
      from[at] = xs[d];
      if (!red[d]) {
        keptShape[at] = shape[d];
      }
    }
    int[] ys = Arrays.copyOf(strides(keptShape), shape.length);
    return new StridedBox(extents, from, null, ys, 0, 0, size(shape), 0, size(keptShape), axes.length);
  }

  /** {@code y[...] = x[...]} over the box, for each of {@code items} items. */
  public void copy(int items, float[] x, int xOff, float[] y, int yOff) {
    for (int n = 0; n < items; n++) {
      copyFrom(0, x, xOff + n * xItem + xStart, y, yOff + n * yItem + yStart);
    }
  }

  /**
   * The box from dim {@code d} on. The last two dims are one flat loop nest (a recursive call per innermost run
   * kept the JIT from compiling the nest as well: twice the time on a 1444 × 64 permute).
   */
  private void copyFrom(int d, float[] x, int xi, float[] y, int yi) {
    int rank = extents.length;
    if (rank - d <= 2) {
      int outer = rank - d == 2 ? extents[d] : 1;
      int sx0 = rank - d == 2 ? xStrides[d] : 0;
      int sy0 = rank - d == 2 ? yStrides[d] : 0;
      int n = rank == d ? 1 : extents[rank - 1];
      int sx = rank == d ? 0 : xStrides[rank - 1];
      int sy = rank == d ? 0 : yStrides[rank - 1];
      // An empty box (a window that keeps nothing) may start past the end: copy nothing, not even zero floats.
      if (n == 0) {
        return;
      }
      for (int i = 0; i < outer; i++) {
        int xr = xi + i * sx0;
        int yr = yi + i * sy0;
        if (sx == 1 && sy == 1) {
          System.arraycopy(x, xr, y, yr, n);
        } else {
          for (int j = 0; j < n; j++) {
            y[yr + j * sy] = x[xr + j * sx];
          }
        }
      }
      return;
    }
    for (int i = 0; i < extents[d]; i++) {
      copyFrom(d + 1, x, xi + i * xStrides[d], y, yi + i * yStrides[d]);
    }
  }

  /** {@code y = a + b} (float) over the box, for each of {@code items} items; may be in place. */
  public void add(int items, float[] a, int aOff, float[] b, int bOff, float[] y, int yOff) {
    combine(items, false, a, aOff, b, bOff, y, yOff);
  }

  /** {@code y = a * b} (float) over the box, for each of {@code items} items; may be in place. */
  public void mul(int items, float[] a, int aOff, float[] b, int bOff, float[] y, int yOff) {
    combine(items, true, a, aOff, b, bOff, y, yOff);
  }

  private void combine(int items, boolean mul, float[] a, int aOff, float[] b, int bOff, float[] y, int yOff) {
    for (int n = 0; n < items; n++) {
      combineFrom(0, mul, a, aOff + n * xItem, b, bOff + n * bItem, y, yOff + n * yItem);
    }
  }

  private void combineFrom(int d, boolean mul, float[] a, int ai, float[] b, int bi, float[] y, int yi) {
    int rank = extents.length;
    if (rank - d <= 1) {
      int n = rank == d ? 1 : extents[d];
      int sa = rank == d ? 0 : xStrides[d];
      int sb = rank == d ? 0 : bStrides[d];
      int sy = rank == d ? 0 : yStrides[d];
      run(mul, a, ai, sa, b, bi, sb, y, yi, sy, n);
      return;
    }
    for (int i = 0; i < extents[d]; i++) {
      combineFrom(d + 1, mul, a, ai + i * xStrides[d], b, bi + i * bStrides[d], y, yi + i * yStrides[d]);
    }
  }

  /**
   * One run of {@code n} outputs. A contiguous output from contiguous operands, or from one and a single value of
   * the other, takes the runtime's vector kernels (the same values: a sum or product is one rounding either way).
   */
  private static void run(boolean mul, float[] a, int ai, int sa, float[] b, int bi, int sb, float[] y, int yi, int sy,
      int n) {
    if (sy == 1 && sa == 1 && sb == 1) {
      if (mul) {
        Elementwise.mul(a, ai, b, bi, y, yi, n);
      } else {
        Elementwise.add(a, ai, b, bi, y, yi, n);
      }
    } else if (sy == 1 && sa + sb == 1 && n > 1) {
      float[] x = sa == 1 ? a : b;
      int xi = sa == 1 ? ai : bi;
      float one = sa == 1 ? b[bi] : a[ai];
      Elementwise.scaleShift(x, xi, y, yi, n, mul ? one : 1f, mul ? 0f : one);
    } else if (mul) {
      for (int i = 0; i < n; i++) {
        y[yi + i * sy] = a[ai + i * sa] * b[bi + i * sb];
      }
    } else {
      for (int i = 0; i < n; i++) {
        y[yi + i * sy] = a[ai + i * sa] + b[bi + i * sb];
      }
    }
  }

  /** The mean over the reduced dims, for each of {@code items} items. */
  public void mean(int items, float[] x, int xOff, float[] y, int yOff) {
    int count = 1;
    for (int d = extents.length - reduced; d < extents.length; d++) {
      count *= extents[d];
    }
    for (int n = 0; n < items; n++) {
      meanFrom(0, count, x, xOff + n * xItem, y, yOff + n * yItem);
    }
  }

  private void meanFrom(int d, int count, float[] x, int xi, float[] y, int yi) {
    int kept = extents.length - reduced;
    if (d == kept) {
      y[yi] = (float) (sum(d, x, xi, 0) / count);
      return;
    }
    if (d == kept - 1) {
      // The last kept dim as a flat loop around the sums.
      for (int i = 0; i < extents[d]; i++) {
        y[yi + i * yStrides[d]] = (float) (sum(kept, x, xi + i * xStrides[d], 0) / count);
      }
      return;
    }
    for (int i = 0; i < extents[d]; i++) {
      meanFrom(d + 1, count, x, xi + i * xStrides[d], y, yi + i * yStrides[d]);
    }
  }

  /** {@code acc} plus the elements of the box from dim {@code d} on, one running sum in input order. */
  private double sum(int d, float[] x, int xi, double acc) {
    if (d == extents.length) {
      return acc + x[xi];
    }
    int n = extents[d];
    int sx = xStrides[d];
    if (d == extents.length - 1) {
      for (int i = 0; i < n; i++) {
        acc += x[xi + i * sx];
      }
      return acc;
    }
    for (int i = 0; i < n; i++) {
      acc = sum(d + 1, x, xi + i * sx, acc);
    }
    return acc;
  }
}

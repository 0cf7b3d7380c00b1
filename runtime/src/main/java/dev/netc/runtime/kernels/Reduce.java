package dev.netc.runtime.kernels;

import java.util.Arrays;

/**
 * A reduction over a set of axes of a C-order tensor, its geometry fixed once the shape is known (generated code
 * keeps it as a constant; a call allocates nothing): the sum ({@code x.sum(dim)}, accumulated in double in input
 * order), the maximum or minimum ({@code x.amax(dim)}, {@code x.amin(dim)}: exact, a NaN anywhere gives NaN), or
 * the index of the first maximum along one axis ({@code x.argmax(dim)}, a NaN counting as the maximum as in
 * PyTorch), written as a float. The output holds the kept dims in order (kept size-1 dims change nothing).
 */
public final class Reduce {
  /** What a reduction computes. */
  public enum Kind {
    SUM, MAX, MIN, ARGMAX
  }

  private final Kind kind;
  /** Offset of each output element's first input element, in output order. */
  private final int[] kept;
  /** Offset of each reduced element from its output's first one, in input order (along the axis for argmax). */
  private final int[] reduced;
  private final int xItem;

  private Reduce(Kind kind, int[] kept, int[] reduced, int xItem) {
    this.kind = kind;
    this.kept = kept;
    this.reduced = reduced;
    this.xItem = xItem;
  }

  /**
   * The reduction of {@code kind} over {@code axes} (distinct dims of {@code shape}, the shape of one item;
   * exactly one for {@link Kind#ARGMAX}).
   */
  public static Reduce of(Kind kind, int[] shape, int[] axes) {
    boolean[] red = new boolean[shape.length];
    for (int a : axes) {
      if (a < 0 || a >= shape.length || red[a]) {
        throw new IllegalArgumentException("bad axes " + Arrays.toString(axes) + " for " + Arrays.toString(shape));
      }
      red[a] = true;
    }
    if (kind == Kind.ARGMAX && axes.length != 1) {
      throw new IllegalArgumentException("argmax reduces one axis, got " + Arrays.toString(axes));
    }
    int[] strides = StridedBox.strides(shape);
    int keptCount = 1;
    int reducedCount = 1;
    for (int d = 0; d < shape.length; d++) {
      if (red[d]) {
        reducedCount = Math.multiplyExact(reducedCount, shape[d]);
      } else {
        keptCount = Math.multiplyExact(keptCount, shape[d]);
      }
    }
    int size = 1;
    for (int s : shape) {
      size = Math.multiplyExact(size, s);
    }
    return new Reduce(kind, offsets(shape, strides, red, false, keptCount),
        offsets(shape, strides, red, true, reducedCount), size);
  }

  /** The offsets of every index of the dims with {@code red[d] == which}, the others at 0, in C order. */
  private static int[] offsets(int[] shape, int[] strides, boolean[] red, boolean which, int count) {
    int[] out = new int[count];
    int[] index = new int[shape.length];
    for (int i = 0; i < count; i++) {
      int off = 0;
      for (int d = 0; d < shape.length; d++) {
        off += index[d] * strides[d];
      }
      out[i] = off;
      for (int d = shape.length - 1; d >= 0; d--) {
        if (red[d] != which) {
          continue;
        }
        if (++index[d] < shape[d]) {
          break;
        }
        index[d] = 0;
      }
    }
    return out;
  }

  /** Elements one output element reduces. */
  public int reducedCount() {
    return reduced.length;
  }

  /** Writes the reduction of each of {@code items} items of {@code x} into {@code y}. */
  public void run(int items, float[] x, int xOff, float[] y, int yOff) {
    for (int n = 0; n < items; n++) {
      int xi = xOff + n * xItem;
      int yi = yOff + n * kept.length;
      for (int k = 0; k < kept.length; k++) {
        y[yi + k] = one(x, xi + kept[k]);
      }
    }
  }

  private float one(float[] x, int base) {
    switch (kind) {
      case SUM -> {
        double s = 0;
        for (int r : reduced) {
          s += x[base + r];
        }
        return (float) s;
      }
      case MAX, MIN -> {
        boolean max = kind == Kind.MAX;
        float m = max ? Float.NEGATIVE_INFINITY : Float.POSITIVE_INFINITY;
        for (int r : reduced) {
          float v = x[base + r];
          if (Float.isNaN(v)) {
            return Float.NaN;
          }
          if (max ? v > m : v < m) {
            m = v;
          }
        }
        return m;
      }
      default -> {
        int best = 0;
        float m = x[base + reduced[0]];
        for (int i = 1; i < reduced.length && !Float.isNaN(m); i++) {
          float v = x[base + reduced[i]];
          if (v > m || Float.isNaN(v)) {
            m = v;
            best = i;
          }
        }
        return best;
      }
    }
  }
}

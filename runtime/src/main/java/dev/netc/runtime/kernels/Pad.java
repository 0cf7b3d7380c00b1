package dev.netc.runtime.kernels;

import java.util.Arrays;

/**
 * Constant padding of the last dimensions, as PyTorch's {@code F.pad(x, pads, value=v)}: {@code pads}
 * lists (before, after) pairs starting from the LAST dimension — {@code (left, right, top, bottom,
 * front, back)}. A negative amount removes elements, so cropping is padding with negative amounts
 * ({@link #crop2d}, {@link #centerCropOffset}).
 */
public final class Pad {
  private Pad() {}

  /** The padded shape; throws if a dimension would become negative. */
  public static int[] outputShape(int[] shape, int[] pads) {
    int[] out = shape.clone();
    for (int k = 0; k < pads.length / 2; k++) {
      int d = shape.length - 1 - k;
      out[d] = shape[d] + pads[2 * k] + pads[2 * k + 1];
      if (out[d] < 0) {
        throw new IllegalArgumentException("padding " + Arrays.toString(pads) + " makes dimension " + d
            + " of " + Arrays.toString(shape) + " negative");
      }
    }
    return out;
  }

  /** Pads (or crops) {@code x} of the given shape into {@code y}, filling new elements with {@code value}. */
  public static void constant(float[] x, int xOff, int[] shape, int[] pads, float value, float[] y, int yOff) {
    if (pads.length % 2 != 0 || pads.length / 2 > shape.length) {
      throw new IllegalArgumentException("bad padding " + Arrays.toString(pads) + " for shape " + Arrays.toString(shape));
    }
    int rank = shape.length;
    int[] out = outputShape(shape, pads);
    int[] before = new int[rank];
    for (int k = 0; k < pads.length / 2; k++) {
      before[rank - 1 - k] = pads[2 * k];
    }
    int rows = 1;
    for (int d = 0; d < rank - 1; d++) {
      rows *= out[d];
    }
    int inRow = rank == 0 ? 1 : shape[rank - 1];
    int outRow = rank == 0 ? 1 : out[rank - 1];
    int[] idx = new int[Math.max(rank - 1, 0)];
    for (int r = 0; r < rows; r++) {
      int src = sourceRow(idx, shape, before);
      int yo = yOff + r * outRow;
      if (src < 0) {
        Arrays.fill(y, yo, yo + outRow, value);
      } else {
        copyRow(x, xOff + src * inRow, inRow, y, yo, outRow, rank == 0 ? 0 : before[rank - 1], value);
      }
      next(idx, out);
    }
  }

  /** The input row index of output row {@code idx}, or -1 when the row lies in the padding. */
  private static int sourceRow(int[] idx, int[] shape, int[] before) {
    int row = 0;
    for (int d = 0; d < idx.length; d++) {
      int i = idx[d] - before[d];
      if (i < 0 || i >= shape[d]) {
        return -1;
      }
      row = row * shape[d] + i;
    }
    return row;
  }

  private static void copyRow(float[] x, int xo, int inLen, float[] y, int yo, int outLen, int left, float value) {
    int start = Math.max(left, 0);
    int end = Math.min(outLen, left + inLen);
    Arrays.fill(y, yo, yo + Math.min(start, outLen), value);
    if (end > start) {
      System.arraycopy(x, xo + start - left, y, yo + start, end - start);
    }
    Arrays.fill(y, yo + Math.min(Math.max(end, start), outLen), yo + outLen, value);
  }

  private static void next(int[] idx, int[] out) {
    for (int d = idx.length - 1; d >= 0; d--) {
      if (++idx[d] < out[d]) {
        return;
      }
      idx[d] = 0;
    }
  }

  /** Crops each of {@code [n*c]} planes of {@code inH x inW} to the window at (top, left) of {@code outH x outW}. */
  public static void crop2d(float[] x, int xOff, float[] y, int yOff, int n, int c, int inH, int inW,
      int top, int left, int outH, int outW) {
    if (top < 0 || left < 0 || top + outH > inH || left + outW > inW) {
      throw new IllegalArgumentException("crop window " + outH + "x" + outW + " at (" + top + ", " + left
          + ") does not fit " + inH + "x" + inW);
    }
    for (int p = 0; p < n * c; p++) {
      for (int h = 0; h < outH; h++) {
        System.arraycopy(x, xOff + (p * inH + top + h) * inW + left, y, yOff + (p * outH + h) * outW, outW);
      }
    }
  }

  /** torchvision's center-crop offset, {@code round((in - out) / 2)} with Python's half-to-even rounding. */
  public static int centerCropOffset(int in, int out) {
    return (int) Math.rint((in - out) / 2.0);
  }
}

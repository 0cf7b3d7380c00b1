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

  /**
   * Pads (or crops) {@code x} of the given shape into {@code y}, filling new elements with
   * {@code value}: the fill, then the copy of the part of {@code x} that lands inside
   * ({@link StridedBox#window}).
   */
  public static void constant(float[] x, int xOff, int[] shape, int[] pads, float value, float[] y, int yOff) {
    if (pads.length % 2 != 0 || pads.length / 2 > shape.length) {
      throw new IllegalArgumentException("bad padding " + Arrays.toString(pads) + " for shape " + Arrays.toString(shape));
    }
    int rank = shape.length;
    int[] out = outputShape(shape, pads);
    int[] before = new int[rank];
    boolean grows = false;
    for (int k = 0; k < pads.length / 2; k++) {
      before[rank - 1 - k] = pads[2 * k];
      grows |= pads[2 * k] > 0 || pads[2 * k + 1] > 0;
    }
    if (grows) {
      int total = 1;
      for (int d : out) {
        total *= d;
      }
      Arrays.fill(y, yOff, yOff + total, value);
    }
    StridedBox.window(shape, out, before).copy(1, x, xOff, y, yOff);
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

package dev.netc.runtime;

import java.util.Arrays;

/**
 * An immutable tensor shape (a list of non-negative dimensions) with value equality.
 * Printed as PyTorch prints sizes, e.g. {@code [64, 64, 3, 3]}.
 */
public final class Shape {
  private final int[] dims;

  private Shape(int[] dims) {
    this.dims = dims;
  }

  /** A shape with the given dimensions; each must be non-negative. */
  public static Shape of(int... dims) {
    for (int d : dims) {
      if (d < 0) {
        throw new IllegalArgumentException("negative dimension in " + Arrays.toString(dims));
      }
    }
    return new Shape(dims.clone());
  }

  /** The number of dimensions. */
  public int rank() {
    return dims.length;
  }

  /** Dimension {@code i}; negative {@code i} counts from the end, as in Python. */
  public int dim(int i) {
    return dims[i < 0 ? dims.length + i : i];
  }

  /** A copy of the dimensions. */
  public int[] dims() {
    return dims.clone();
  }

  /** The element count as a long (a product of ints can exceed an int). */
  public long numelLong() {
    long n = 1;
    for (int d : dims) {
      n = Math.multiplyExact(n, (long) d);
    }
    return n;
  }

  /** The element count; throws when it does not fit a Java array index. */
  public int numel() {
    long n = numelLong();
    if (n > Integer.MAX_VALUE) {
      throw new IllegalStateException("shape " + this + " has " + n + " elements, too many for one array");
    }
    return (int) n;
  }

  /** The product of dimensions {@code from .. to-1}. */
  public int numel(int from, int to) {
    long n = 1;
    for (int i = from; i < to; i++) {
      n *= dims[i];
    }
    return Math.toIntExact(n);
  }

  @Override
  public boolean equals(Object o) {
    return o instanceof Shape s && Arrays.equals(dims, s.dims);
  }

  @Override
  public int hashCode() {
    return Arrays.hashCode(dims);
  }

  @Override
  public String toString() {
    return Arrays.toString(dims);
  }
}

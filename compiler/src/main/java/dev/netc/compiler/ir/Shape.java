package dev.netc.compiler.ir;

import java.util.Arrays;
import java.util.List;

/** An immutable list of dimension sizes (a value: equals compares dims). Without the batch dimension. */
public final class Shape {
  private final int[] dims;

  private Shape(int[] dims) { this.dims = dims; }

  public static Shape of(int... dims) {
    for (int d : dims) if (d < 0) throw new IllegalArgumentException("negative dim in " + Arrays.toString(dims));
    return new Shape(dims.clone());
  }

  public static Shape of(List<Integer> dims) { return of(dims.stream().mapToInt(Integer::intValue).toArray()); }

  public int rank() { return dims.length; }

  public int dim(int i) { return dims[i]; }

  /** Negative indices count from the end, as in Python. */
  public int at(int i) { return dims[i < 0 ? dims.length + i : i]; }

  public int last() { return dims[dims.length - 1]; }

  public int[] toArray() { return dims.clone(); }

  public long elements() {
    long n = 1;
    for (int d : dims) n = Math.multiplyExact(n, d);
    return n;
  }

  public Shape with(int i, int size) {
    int[] d = dims.clone();
    d[i] = size;
    return new Shape(d);
  }

  public Shape drop(int from) { return new Shape(Arrays.copyOfRange(dims, from, dims.length)); }

  @Override
  public boolean equals(Object o) { return o instanceof Shape s && Arrays.equals(dims, s.dims); }

  @Override
  public int hashCode() { return Arrays.hashCode(dims); }

  /** {@code [64, 56, 56]}. */
  @Override
  public String toString() {
    StringBuilder b = new StringBuilder("[");
    for (int i = 0; i < dims.length; i++) b.append(i == 0 ? "" : ", ").append(dims[i]);
    return b.append(']').toString();
  }
}

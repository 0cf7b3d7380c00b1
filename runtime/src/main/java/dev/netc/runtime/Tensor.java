package dev.netc.runtime;

import java.util.Arrays;
import java.util.Objects;

/**
 * A dense float32 tensor in C (row-major) order: a {@link Shape} and its data.
 *
 * <p>The value that model inputs, outputs and loaded weights travel in. Equality is by shape and
 * by the exact bits of every element ({@link Float#floatToIntBits}), so {@code NaN} equals
 * {@code NaN}. The array is shared, not copied: a tensor is as immutable as its users make it.
 *
 * @param shape the dimensions
 * @param data  {@code shape.numel()} elements, row-major
 */
public record Tensor(Shape shape, float[] data) {
  /** Checks that the data length equals the shape's element count. */
  public Tensor {
    Objects.requireNonNull(shape, "shape");
    Objects.requireNonNull(data, "data");
    if (data.length != shape.numelLong()) {
      throw new IllegalArgumentException(
          "shape " + shape + " needs " + shape.numelLong() + " elements, data has " + data.length);
    }
  }

  /** A tensor of zeros. */
  public static Tensor zeros(int... dims) {
    Shape s = Shape.of(dims);
    return new Tensor(s, new float[s.numel()]);
  }

  /** A tensor over the given data (not copied). */
  public static Tensor of(float[] data, int... dims) {
    return new Tensor(Shape.of(dims), data);
  }

  /** The same data viewed with another shape of equal element count. */
  public Tensor reshape(int... dims) {
    return new Tensor(Shape.of(dims), data);
  }

  @Override
  public boolean equals(Object o) {
    return o instanceof Tensor t && shape.equals(t.shape) && Arrays.equals(data, t.data);
  }

  @Override
  public int hashCode() {
    return 31 * shape.hashCode() + Arrays.hashCode(data);
  }

  @Override
  public String toString() {
    int show = Math.min(data.length, 8);
    StringBuilder sb = new StringBuilder("Tensor").append(shape).append('[');
    for (int i = 0; i < show; i++) {
      sb.append(i == 0 ? "" : ", ").append(data[i]);
    }
    return sb.append(data.length > show ? ", ...]" : "]").toString();
  }
}

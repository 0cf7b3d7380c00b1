package dev.netc.onnx;

import dev.netc.compiler.ir.TensorType;
import java.util.Arrays;

/**
 * What the importer knows about an ONNX value: a constant (float or integer, known while importing and folded
 * away), or a tensor computed when the network runs ({@link Act}, the output of a {@code .net} layer or a network
 * input). Integer constants may hold {@link #BATCH}, the batch size, which is not known until run time (what
 * {@code Shape} gives for dim 0), or {@link #UNKNOWN}, a value computed from it.
 */
sealed interface Val {
  /** The batch size in an integer constant ({@code Shape(x)[0]}). */
  long BATCH = Long.MIN_VALUE + 1;
  /** An integer computed from the batch size: known only at run time. */
  long UNKNOWN = Long.MIN_VALUE;

  /** A float constant of some shape (no dims: a scalar). */
  record Floats(int[] shape, float[] data) implements Val {
    float scalar() { return data[0]; }

    boolean isScalar() { return data.length == 1; }
  }

  /** An integer constant (int64, int32, bool ... all as long). */
  record Ints(int[] shape, long[] data) implements Val {
    static Ints vector(long... v) { return new Ints(new int[] {v.length}, v); }

    @Override
    public String toString() { return Arrays.toString(data); }
  }

  /** A tensor of the running network, named by its canonical value name; batched per its type. */
  record Act(String id, TensorType type) implements Val {}

  static int elements(int[] shape) {
    long n = 1;
    for (int d : shape) n = Math.multiplyExact(n, d);
    return Math.toIntExact(n);
  }
}

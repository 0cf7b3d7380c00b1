package dev.netc.compiler.interp;

import dev.netc.compiler.ir.TensorType;
import dev.netc.runtime.Shape;
import dev.netc.runtime.Tensor;

/**
 * A tensor while the interpreter runs: its IR type, the batch size, and the data in C order over the full
 * PyTorch shape ({@code [N, C, H, W]} when batched, the bare shape when not). Values are never written after
 * the op that made them returns, so views (reshape, flatten, dropout) may share data.
 */
final class TensorValue {
  private final TensorType type;
  private final int batch;
  private final float[] data;

  TensorValue(TensorType type, int batch, float[] data) {
    this.type = type;
    this.batch = batch;
    this.data = data;
    if (data.length != type.elements(batch)) {
      throw new IllegalStateException("value of type " + type + " at batch " + batch + " has " + data.length
          + " elements");
    }
  }

  /** A zero-filled value of this type. */
  static TensorValue alloc(TensorType type, int batch) {
    return new TensorValue(type, batch, new float[Math.toIntExact(type.elements(batch))]);
  }

  TensorType type() { return type; }

  int batch() { return batch; }

  float[] data() { return data; }

  boolean batched() { return type.batched(); }

  /** Batch items: the batch size, or 1 for an unbatched tensor. */
  int items() { return type.batched() ? batch : 1; }

  /** The full PyTorch shape (batch first when batched). */
  int[] dims() { return fullDims(type, batch); }

  /** Dimension 0 of the shape without batch: channels of NCHW, tokens of a sequence. */
  int channels() { return type.dim(0); }

  /** Elements per channel of one item: the product of the shape after dim 0. */
  int spatial() { return Math.toIntExact(type.shape().drop(1).elements()); }

  /** Per-item elements. */
  int itemSize() { return Math.toIntExact(type.elements()); }

  int size() { return data.length; }

  /** The same data viewed with another type of equal element count. */
  TensorValue view(TensorType t) { return new TensorValue(t, batch, data); }

  Tensor tensor() { return new Tensor(Shape.of(dims()), data); }

  /** The full PyTorch dims of a type at a batch size. */
  static int[] fullDims(TensorType t, int batch) {
    int[] s = t.shape().toArray();
    if (!t.batched()) return s;
    int[] d = new int[s.length + 1];
    d[0] = batch;
    System.arraycopy(s, 0, d, 1, s.length);
    return d;
  }

  /** A PyTorch-numbered axis (negative from the end) as an index into {@link #dims()}. */
  static int axis(int axis, int fullRank) { return axis < 0 ? axis + fullRank : axis; }

  /** The product of {@code dims[from..to)}. */
  static int product(int[] dims, int from, int to) {
    long p = 1;
    for (int i = from; i < to; i++) p *= dims[i];
    return Math.toIntExact(p);
  }
}

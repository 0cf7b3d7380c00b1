package dev.netc.compiler.interp;

import dev.netc.compiler.ir.Embedding;
import dev.netc.compiler.ir.PositionalEmbedding;

/**
 * Table lookups: {@code embedding} copies the table row of each token id, {@code positional_embedding} adds the
 * first {@code T} rows of a learned position table to every item. Token ids arrive as floats (the runtime's
 * only element type); one that is not an integer in {@code [0, num)} is the caller's error.
 */
final class GatherOps {
  private GatherOps() {}

  static Value embedding(Embedding op, Value ids, Frame f) {
    float[] table = f.params().get("weight");
    float[] x = ids.data();
    Value y = f.alloc();
    for (int i = 0; i < x.length; i++) {
      System.arraycopy(table, row(op, x[i], i, ids.itemSize()) * op.dim(), y.data(), i * op.dim(), op.dim());
    }
    return y;
  }

  /** The row of token id {@code id} (element {@code i} of the flattened ids), or the error naming it. */
  static int row(Embedding op, float id, int i, int perItem) {
    int r = (int) id;
    if (r != id || r < 0 || r >= op.num()) {
      throw new InterpreterException("embedding: token id " + id + " (item " + i / perItem + ", position "
          + i % perItem + ") is not an integer in [0, " + op.num() + ")");
    }
    return r;
  }

  static Value positionalEmbedding(PositionalEmbedding op, Value x, Frame f) {
    float[] table = f.params().get("weight");
    int size = x.itemSize();
    Value y = f.alloc();
    for (int b = 0; b < x.items(); b++) {
      for (int i = 0; i < size; i++) y.data()[b * size + i] = x.data()[b * size + i] + table[i];
    }
    return y;
  }
}

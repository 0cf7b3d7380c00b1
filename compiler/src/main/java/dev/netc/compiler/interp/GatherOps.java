package dev.netc.compiler.interp;

import dev.netc.compiler.ir.Embedding;
import dev.netc.compiler.ir.PositionalEmbedding;
import dev.netc.runtime.InputException;
import dev.netc.runtime.kernels.Embeddings;
import dev.netc.runtime.kernels.PositionalEncoding;

/**
 * Table lookups by the runtime's kernels, as generated code runs them: {@code embedding} copies the table row of
 * each token id ({@link Embeddings}), {@code positional_embedding} adds the first {@code T} rows of a learned
 * position table to every item. Token ids arrive as floats (the runtime's only element type); one that is not an
 * integer in {@code [0, num)} is the caller's error, reported as an {@link InterpreterException}.
 */
final class GatherOps {
  private GatherOps() {}

  static TensorValue embedding(Embedding op, TensorValue ids, Frame f) {
    TensorValue y = f.alloc();
    try {
      Embeddings.lookup(f.params().get("weight"), op.num(), op.dim(), ids.data(), 0, ids.size(), ids.itemSize(),
          y.data(), 0, "embedding");
    } catch (InputException e) {
      throw new InterpreterException(e.getMessage());
    }
    return y;
  }

  static TensorValue positionalEmbedding(PositionalEmbedding op, TensorValue x, Frame f) {
    TensorValue y = f.alloc();
    PositionalEncoding.add(x.data(), 0, f.params().get("weight"), y.data(), 0, x.items(), x.type().dim(0),
        x.type().dim(1));
    return y;
  }
}

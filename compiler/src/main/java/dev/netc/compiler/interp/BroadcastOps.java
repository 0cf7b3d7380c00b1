package dev.netc.compiler.interp;

import dev.netc.compiler.ir.Broadcast;
import dev.netc.compiler.ir.TensorType;
import dev.netc.runtime.kernels.BroadcastBinary;
import java.util.ArrayList;
import java.util.List;

/**
 * Learned tensors and PyTorch's general broadcasting: a {@code param}'s value (its weights), add, sub, mul and div of
 * operands of other ranks or without a batch, by the runtime's {@link BroadcastBinary} (the kernel generated code
 * runs), and concat's repetition of a {@code [1, ...]} tensor over the batch.
 */
final class BroadcastOps {
  private BroadcastOps() {}

  /** The learned tensor itself: its weights, which the interpreter never writes. */
  static TensorValue learned(Frame f) { return new TensorValue(f.out(), f.batch(), f.params().get("")); }

  /** Whether an add or mul needs the general rule: an operand without a batch, or of another rank. */
  static boolean general(List<TensorValue> in, Frame f) {
    return in.stream().anyMatch(v -> Broadcast.general(v.type(), f.out()));
  }

  /**
   * {@code ((in0 op in1) op in2) ...}, each step over the whole output shape (broadcasting commutes with
   * elementwise ops, so this equals the pairwise rule).
   */
  static TensorValue fold(BroadcastBinary.Kind kind, List<TensorValue> in, Frame f) {
    TensorType out = f.out();
    int rank = out.rank();
    int[] outDims = out.shape().toArray();
    int items = out.batched() ? f.batch() : 1;
    TensorValue y = f.alloc();
    TensorValue first = in.getFirst();
    float[] acc = first.data();
    int[] left = Broadcast.aligned(first.type(), rank);
    boolean perItem = first.batched();
    for (TensorValue v : in.subList(1, in.size())) {
      BroadcastBinary.of(kind, left, perItem, Broadcast.aligned(v.type(), rank), v.batched(), outDims)
          .run(items, acc, 0, v.data(), 0, y.data(), 0);
      acc = y.data();
      left = outDims;
      perItem = out.batched();
    }
    return y;
  }

  /** Concat's inputs with each unbatched {@code [1, ...]} one repeated over the batch. */
  static List<TensorValue> expand(List<TensorValue> in, Frame f) {
    List<TensorValue> out = new ArrayList<>();
    for (TensorValue v : in) {
      if (v.batched()) {
        out.add(v);
        continue;
      }
      TensorType t = TensorType.batched(v.type().shape().drop(1));
      TensorValue e = TensorValue.alloc(t, f.batch());
      for (int n = 0; n < f.batch(); n++) System.arraycopy(v.data(), 0, e.data(), n * v.size(), v.size());
      out.add(e);
    }
    return out;
  }
}

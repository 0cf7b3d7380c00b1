package dev.netc.compiler.ir;

import java.util.List;

/**
 * Shape rule of elementwise add and mul: equal shapes, or one operand broadcast from size 1 in some dims
 * ({@code [C, H, W] * [C, 1, 1]}, squeeze-and-excite). The output has the larger shape.
 */
final class Broadcast {
  private Broadcast() {}

  static TensorType infer(String op, List<TensorType> in) {
    TensorType out = in.getFirst();
    for (TensorType t : in.subList(1, in.size())) out = pair(op, out, t);
    return out;
  }

  private static TensorType pair(String op, TensorType a, TensorType b) {
    if (a.rank() != b.rank() || a.batched() != b.batched()) {
      throw new ShapeException("cannot " + op + " " + a + " and " + b);
    }
    int[] o = new int[a.rank()];
    for (int d = 0; d < a.rank(); d++) {
      int x = a.dim(d), y = b.dim(d);
      if (x != y && x != 1 && y != 1) throw new ShapeException("cannot " + op + " " + a + " and " + b);
      o[d] = Math.max(x, y);
    }
    return a.withShape(Shape.of(o));
  }
}

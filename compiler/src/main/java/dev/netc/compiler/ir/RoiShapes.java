package dev.netc.compiler.ir;

import java.util.List;

/** The shape rule shared by the RoI ops. */
final class RoiShapes {
  private RoiShapes() {}

  static TensorType infer(String op, List<TensorType> in, List<Integer> output) {
    TensorType f = in.get(0), boxes = in.get(1);
    if (f.rank() != 3 || !f.batched()) throw ShapeException.rank(op + " expects features [N, C, H, W], got " + f);
    if (boxes.batched() || boxes.rank() != 2 || boxes.dim(1) != 5) {
      throw ShapeException.rank(op + " expects unbatched boxes [K, 5] (batch index, x1, y1, x2, y2), got " + boxes
          + " (declare them as: input boxes: unbatched [K, 5])");
    }
    return TensorType.unbatched(Shape.of(boxes.dim(0), f.dim(0), output.get(0), output.get(1)));
  }
}

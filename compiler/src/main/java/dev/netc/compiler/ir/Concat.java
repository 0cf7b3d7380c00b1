package dev.netc.compiler.ir;

import java.util.List;

/** Concatenation along {@code axis} (PyTorch numbering; 1 = channels). Other ops = elements written. */
public record Concat(int axis) implements Op {
  public String name() { return "concat"; }

  public int arity() { return -1; }

  public TensorType infer(List<TensorType> in) {
    TensorType first = in.getFirst();
    int a = Rules.shapeAxis("concat", first, axis);
    long total = 0;
    for (TensorType t : in) {
      if (t.rank() != first.rank() || t.batched() != first.batched()) {
        throw new ShapeException("concat: cannot concatenate " + first + " and " + t);
      }
      for (int d = 0; d < t.rank(); d++) {
        if (d != a && t.dim(d) != first.dim(d)) {
          throw new ShapeException("concat along axis " + axis + ": cannot concatenate " + first + " and " + t
              + " (they differ in dim " + (d + (t.batched() ? 1 : 0)) + ")");
        }
      }
      total += t.dim(a);
    }
    if (total > Integer.MAX_VALUE) throw new ShapeException("concat: result too large");
    return first.withShape(first.shape().with(a, (int) total));
  }

  public Cost cost(List<TensorType> in, TensorType o, int batch) { return Cost.other(o.elements(batch), Cost.Category.CONCAT); }

  public String describe() { return axis == 1 ? "" : "axis=" + axis; }
}

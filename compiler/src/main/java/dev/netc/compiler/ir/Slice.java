package dev.netc.compiler.ir;

import java.util.List;

/** Elements {@code start, start+step, ... < end} along {@code axis} (chunk and split are slices). A copy or a view. */
public record Slice(int axis, int start, int end, int step) implements Op {
  public String name() { return "slice"; }

  public int arity() { return 1; }

  public TensorType infer(List<TensorType> in) {
    TensorType x = in.getFirst();
    int a = Rules.shapeAxis("slice", x, axis);
    int size = x.dim(a);
    if (step < 1 || start < 0 || end > size || start >= end) {
      throw new ShapeException("slice [" + start + ":" + end + (step != 1 ? ":" + step : "") + "] along axis "
          + axis + " is out of range for " + x);
    }
    return x.withShape(x.shape().with(a, (end - start + step - 1) / step));
  }

  public Cost cost(List<TensorType> in, TensorType o, int batch) { return Cost.other(0, Cost.Category.DATA); }

  public String describe() { return "axis " + axis + " [" + start + ":" + end + (step != 1 ? ":" + step : "") + "]"; }
}

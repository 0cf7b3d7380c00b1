package dev.netc.compiler.ir;

import java.util.List;

/** View with a new shape (without batch; the element count must match). Free: no data moves. */
public record Reshape(Shape target) implements Op {
  public String name() { return "reshape"; }

  public int arity() { return 1; }

  public TensorType infer(List<TensorType> in) {
    TensorType x = in.getFirst();
    if (x.elements() != target.elements()) {
      throw new ShapeException("reshape: cannot view " + x + " (" + x.elements() + " elements per item) as "
          + target + " (" + target.elements() + ")");
    }
    return x.withShape(target);
  }

  public Cost cost(List<TensorType> in, TensorType o, int batch) { return Cost.other(0, Cost.Category.DATA); }

  public String describe() { return target.toString(); }
}

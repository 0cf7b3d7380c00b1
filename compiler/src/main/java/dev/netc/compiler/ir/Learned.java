package dev.netc.compiler.ir;

import java.util.List;

/**
 * A free-standing learned tensor ({@code nn.Parameter}): no input, its value the tensor of exactly the declared
 * shape (PyTorch's, no batch dimension) named by the layer's path alone ({@code features.1.0.layer_scale},
 * {@code class_token}). It broadcasts against batched tensors in add, sub, mul and div, and a leading size-1 dim
 * is repeated over the batch by concat. Free: it computes nothing.
 */
public record Learned(Shape shape) implements Op {
  public String name() { return "param"; }

  public int arity() { return 0; }

  public TensorType infer(List<TensorType> in) {
    if (!in.isEmpty()) throw new ShapeException("param takes no input");
    return TensorType.unbatched(shape);
  }

  /** One tensor whose name is the layer's path itself (the empty relative name). */
  public List<ParamSpec> params(List<TensorType> in) {
    return List.of(new ParamSpec("", shape, ParamSpec.Kind.LEARNED));
  }

  public Cost cost(List<TensorType> in, TensorType out, int batch) { return Cost.other(0, Cost.Category.DATA); }

  public String describe() { return shape.toString(); }
}

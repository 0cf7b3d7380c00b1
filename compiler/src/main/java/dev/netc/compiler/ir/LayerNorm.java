package dev.netc.compiler.ir;

import java.util.List;

/** Layer normalization over the last {@code dims} dimensions; weight and bias of that shape when affine. */
public record LayerNorm(int dims, double eps, boolean affine) implements Op {
  public String name() { return "layernorm"; }

  public int arity() { return 1; }

  public TensorType infer(List<TensorType> in) {
    TensorType x = in.getFirst();
    if (dims < 1 || dims > x.rank()) {
      throw ShapeException.rank("layernorm over the last " + dims + " dims needs rank >= " + dims + ", got " + x);
    }
    return x;
  }

  public List<ParamSpec> params(List<TensorType> in) {
    Shape s = in.getFirst().shape();
    return ParamSpec.affine(affine, s.drop(s.rank() - dims).toArray());
  }

  public Cost cost(List<TensorType> in, TensorType o, int batch) { return Cost.other(o.elements(batch), Cost.Category.NORM); }

  public String describe() { return "dims=" + dims; }
}

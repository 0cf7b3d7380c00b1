package dev.netc.compiler.ir;

import java.util.List;

/** Group normalization: channels split into {@code groups}; per-channel weight and bias when affine. */
public record GroupNorm(int groups, double eps, boolean affine) implements Op {
  public String name() { return "groupnorm"; }

  public int arity() { return 1; }

  public TensorType infer(List<TensorType> in) {
    TensorType x = in.getFirst();
    if (x.rank() < 1) throw ShapeException.rank("groupnorm needs a channel dimension, got " + x);
    if (x.dim(0) % groups != 0) {
      throw new ShapeException("groupnorm: " + x.dim(0) + " channels are not divisible by " + groups + " groups");
    }
    return x;
  }

  public List<ParamSpec> params(List<TensorType> in) { return ParamSpec.affine(affine, in.getFirst().dim(0)); }

  public Cost cost(List<TensorType> in, TensorType o, int batch) { return Cost.other(o.elements(batch), Cost.Category.NORM); }

  public String describe() { return "groups=" + groups; }
}

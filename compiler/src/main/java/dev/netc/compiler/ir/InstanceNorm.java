package dev.netc.compiler.ir;

import java.util.List;

/** Instance normalization (per item, per channel, over the spatial dims); weight and bias when affine. */
public record InstanceNorm(double eps, boolean affine) implements Op {
  public String name() { return "instancenorm"; }

  public int arity() { return 1; }

  public TensorType infer(List<TensorType> in) {
    TensorType x = in.getFirst();
    if (x.rank() < 2) throw ShapeException.rank("instancenorm needs [C, spatial...], got " + x);
    return x;
  }

  public List<ParamSpec> params(List<TensorType> in) { return ParamSpec.affine(affine, in.getFirst().dim(0)); }

  public Cost cost(List<TensorType> in, TensorType o, int batch) { return Cost.other(o.elements(batch), Cost.Category.NORM); }

  public String describe() { return affine ? "affine" : ""; }
}

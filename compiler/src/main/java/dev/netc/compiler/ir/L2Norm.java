package dev.netc.compiler.ir;

import java.util.List;

/**
 * L2 normalization across channels (dim 0 without batch) at every position, with an optional learned
 * per-channel scale (ParseNet; SSD's conv4_3 "L2Norm" as ssd.pytorch writes it):
 * {@code y[c, p] = weight[c] * x[c, p] / (sqrt(sum_c' x[c', p]^2) + eps)}, {@code weight [C]} when affine.
 * Other ops = output elements, as for the other normalizations.
 */
public record L2Norm(double eps, boolean affine) implements Op {
  public String name() { return "l2norm"; }

  public int arity() { return 1; }

  public TensorType infer(List<TensorType> in) {
    TensorType x = in.getFirst();
    if (x.rank() < 1) throw ShapeException.rank("l2norm needs a channel dimension, got " + x);
    return x;
  }

  public List<ParamSpec> params(List<TensorType> in) {
    return affine ? List.of(ParamSpec.learned("weight", in.getFirst().dim(0))) : List.of();
  }

  public Cost cost(List<TensorType> in, TensorType o, int batch) { return Cost.other(o.elements(batch), Cost.Category.NORM); }

  public String describe() { return affine ? "" : "no weight"; }
}

package dev.netc.compiler.ir;

import java.util.ArrayList;
import java.util.List;

/**
 * Batch normalization at inference over the channel dimension (dim 0 without batch): learned {@code weight},
 * {@code bias} (when affine), buffers {@code running_mean}, {@code running_var}, and {@code num_batches_tracked}
 * carried for checkpoint compatibility only. Other ops = output elements.
 */
public record BatchNorm(double eps, boolean affine) implements Op {
  public String name() { return "batchnorm"; }

  public int arity() { return 1; }

  public TensorType infer(List<TensorType> in) {
    TensorType x = in.getFirst();
    if (x.rank() < 1) throw ShapeException.rank("batchnorm needs a channel dimension, got " + x);
    return x;
  }

  public List<ParamSpec> params(List<TensorType> in) {
    int c = in.getFirst().dim(0);
    List<ParamSpec> ps = new ArrayList<>(ParamSpec.affine(affine, c));
    ps.add(ParamSpec.buffer("running_mean", c));
    ps.add(ParamSpec.buffer("running_var", c));
    ps.add(ParamSpec.unused("num_batches_tracked"));
    return ps;
  }

  public Cost cost(List<TensorType> in, TensorType o, int batch) { return Cost.other(o.elements(batch), Cost.Category.NORM); }

  public String describe() { return eps == 1e-5 ? "" : "eps=" + eps; }
}

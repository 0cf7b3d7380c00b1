package dev.netc.compiler.ir;

import java.util.ArrayList;
import java.util.List;

/** Fully connected over the last dimension: {@code [..., in] -> [..., out]}, weight {@code [out, in]}. */
public record Linear(int out, boolean bias) implements Op {
  public String name() { return "linear"; }

  public int arity() { return 1; }

  public TensorType infer(List<TensorType> in) {
    TensorType x = in.getFirst();
    if (x.rank() < 1) throw ShapeException.rank("linear expects at least one feature dimension, got " + x);
    return x.withShape(x.shape().with(x.rank() - 1, out));
  }

  public List<ParamSpec> params(List<TensorType> in) {
    List<ParamSpec> ps = new ArrayList<>();
    ps.add(ParamSpec.learned("weight", out, in.getFirst().shape().last()));
    if (bias) ps.add(ParamSpec.learned("bias", out));
    return ps;
  }

  public Cost cost(List<TensorType> in, TensorType o, int batch) {
    return Cost.macs(Math.multiplyExact(o.elements(batch), (long) in.getFirst().shape().last()), Cost.Category.LINEAR);
  }

  public String describe() { return out + (bias ? "" : ", no bias"); }
}

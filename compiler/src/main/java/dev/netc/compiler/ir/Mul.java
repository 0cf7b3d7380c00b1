package dev.netc.compiler.ir;

import java.util.List;

/** Elementwise product with size-1 broadcasting (gating, squeeze-and-excite). Other ops = output elements × (inputs − 1). */
public record Mul() implements Op {
  public String name() { return "mul"; }

  public int arity() { return -1; }

  public TensorType infer(List<TensorType> in) { return Broadcast.infer("multiply", in); }

  public Cost cost(List<TensorType> in, TensorType o, int batch) {
    return Cost.other(o.elements(batch) * (in.size() - 1), Cost.Category.MUL);
  }

  public String describe() { return ""; }
}

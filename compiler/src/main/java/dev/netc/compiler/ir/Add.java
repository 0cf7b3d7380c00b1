package dev.netc.compiler.ir;

import java.util.List;

/** Elementwise sum of two or more tensors (residuals, skip sums), with size-1 broadcasting. Other ops = output elements × (inputs − 1). */
public record Add() implements Op {
  public String name() { return "add"; }

  public int arity() { return -1; }

  public TensorType infer(List<TensorType> in) { return Broadcast.infer("add", in); }

  public Cost cost(List<TensorType> in, TensorType o, int batch) {
    return Cost.other(o.elements(batch) * (in.size() - 1), Cost.Category.ADD);
  }

  public String describe() { return ""; }
}

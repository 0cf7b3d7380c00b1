package dev.netc.compiler.ir;

import java.util.List;

/** Dropout: the identity at inference; kept in the graph so names and reports match the source. */
public record Dropout(double p) implements Op {
  public String name() { return "dropout"; }

  public int arity() { return 1; }

  public TensorType infer(List<TensorType> in) { return in.getFirst(); }

  public Cost cost(List<TensorType> in, TensorType o, int batch) { return Cost.other(0, Cost.Category.DATA); }

  public String describe() { return "p=" + p; }
}

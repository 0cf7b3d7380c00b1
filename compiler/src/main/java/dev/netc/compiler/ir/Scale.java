package dev.netc.compiler.ir;

import java.util.List;

/** Multiplies by a constant and adds a constant: {@code y = x * factor + shift}. Other ops = output elements. */
public record Scale(double factor, double shift) implements Op {
  public String name() { return "scale"; }

  public int arity() { return 1; }

  public TensorType infer(List<TensorType> in) { return in.getFirst(); }

  public Cost cost(List<TensorType> in, TensorType o, int batch) { return Cost.other(o.elements(batch), Cost.Category.OTHER); }

  public String describe() { return "x" + factor + (shift != 0 ? (shift > 0 ? " + " : " - ") + Math.abs(shift) : ""); }
}

package dev.netc.compiler.ir;

import java.util.List;

/** Softmax (or log-softmax) along {@code axis} (PyTorch numbering: batch = 0). Other ops = output elements. */
public record Softmax(int axis, boolean log) implements Op {
  public String name() { return log ? "log_softmax" : "softmax"; }

  public int arity() { return 1; }

  public TensorType infer(List<TensorType> in) {
    Rules.shapeAxis(name(), in.getFirst(), axis);
    return in.getFirst();
  }

  public Cost cost(List<TensorType> in, TensorType o, int batch) { return Cost.other(o.elements(batch), Cost.Category.ACTIVATION); }

  public String describe() { return "axis=" + axis; }
}

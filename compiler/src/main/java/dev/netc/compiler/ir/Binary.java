package dev.netc.compiler.ir;

import java.util.List;

/**
 * Elementwise difference or quotient of two or more tensors, left to right ({@code (a - b) - c}), with PyTorch's
 * broadcasting (see {@link Broadcast}). Other ops = output elements × (inputs − 1).
 */
public record Binary(Kind kind) implements Op {
  /** The operation. */
  public enum Kind {
    SUB, DIV;

    /** The catalogue name: {@code sub} or {@code div}. */
    public String opName() { return name().toLowerCase(java.util.Locale.ROOT); }
  }

  public String name() { return kind.opName(); }

  public int arity() { return -1; }

  public TensorType infer(List<TensorType> in) {
    return Broadcast.infer(kind == Kind.SUB ? "subtract" : "divide", in);
  }

  public Cost cost(List<TensorType> in, TensorType o, int batch) {
    return Cost.other(o.elements(batch) * (in.size() - 1), Cost.Category.OTHER);
  }

  public String describe() { return ""; }
}

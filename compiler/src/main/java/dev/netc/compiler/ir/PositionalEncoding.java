package dev.netc.compiler.ir;

import java.util.List;

/**
 * Adds the sinusoidal positional encoding of "Attention Is All You Need" to {@code [T, E]}:
 * {@code PE[t, 2i] = sin(t / base^(2i/E))}, {@code PE[t, 2i+1] = cos(t / base^(2i/E))}. Other ops = elements.
 */
public record PositionalEncoding(double base) implements Op {
  public String name() { return "positional_encoding"; }

  public int arity() { return 1; }

  public TensorType infer(List<TensorType> in) {
    TensorType x = in.getFirst();
    Rules.requireRank("positional_encoding", x, 2);
    return x;
  }

  public Cost cost(List<TensorType> in, TensorType o, int batch) { return Cost.other(o.elements(batch), Cost.Category.ADD); }

  public String describe() { return base == 10000 ? "" : "base=" + base; }
}

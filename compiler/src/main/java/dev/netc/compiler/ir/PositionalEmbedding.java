package dev.netc.compiler.ir;

import java.util.List;

/**
 * Adds a learned position table to {@code [T, E]} (BERT's position embeddings, positions 0..T-1):
 * {@code y[t, e] = x[t, e] + weight[t, e]} with {@code weight [maxLength, E]}, so {@code T <= maxLength}.
 * Other ops = output elements (one add each), as for the sinusoidal {@link PositionalEncoding}.
 */
public record PositionalEmbedding(int maxLength) implements Op {
  public PositionalEmbedding {
    if (maxLength < 1) throw new IllegalArgumentException("positional_embedding max " + maxLength);
  }

  public String name() { return "positional_embedding"; }

  public int arity() { return 1; }

  public TensorType infer(List<TensorType> in) {
    TensorType x = in.getFirst();
    Rules.requireRank("positional_embedding", x, 2);
    if (x.dim(0) > maxLength) {
      throw new ShapeException("positional_embedding: " + x.dim(0) + " positions in " + x + " but the table has "
          + maxLength);
    }
    return x;
  }

  public List<ParamSpec> params(List<TensorType> in) {
    return List.of(ParamSpec.learned("weight", maxLength, in.getFirst().dim(1)));
  }

  public Cost cost(List<TensorType> in, TensorType o, int batch) { return Cost.other(o.elements(batch), Cost.Category.ADD); }

  public String describe() { return "max=" + maxLength; }
}

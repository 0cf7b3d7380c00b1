package dev.netc.compiler.ir;

import java.util.ArrayList;
import java.util.List;

/**
 * A lookup in a learned table (PyTorch Embedding): each element of the input is a token id, a float holding an
 * integer in {@code [0, num)}, and becomes that row of {@code weight [num, dim]}: {@code [...] -> [..., dim]}.
 * Ids outside the range, or not integers, are a run-time error. A gather: no arithmetic (0 MACs, 0 other ops);
 * its traffic is the {@code dim} floats copied per id, which is its output's bytes.
 */
public record Embedding(int num, int dim) implements Op {
  /** The largest table float ids can address exactly: every integer up to 2^24 is a float. */
  public static final int MAX_NUM = 1 << 24;

  public Embedding {
    if (num < 1 || num > MAX_NUM || dim < 1) throw new IllegalArgumentException("embedding " + num + " x " + dim);
  }

  public String name() { return "embedding"; }

  public int arity() { return 1; }

  public TensorType infer(List<TensorType> in) {
    TensorType x = in.getFirst();
    if (x.rank() < 1) throw ShapeException.rank("embedding expects token ids of rank >= 1 (e.g. [T]), got " + x);
    List<Integer> dims = new ArrayList<>();
    for (int d : x.shape().toArray()) dims.add(d);
    dims.add(dim);
    return x.withShape(Shape.of(dims));
  }

  public List<ParamSpec> params(List<TensorType> in) { return List.of(ParamSpec.learned("weight", num, dim)); }

  public Cost cost(List<TensorType> in, TensorType o, int batch) { return Cost.other(0, Cost.Category.DATA); }

  public String describe() { return num + ", " + dim; }
}

package dev.netc.compiler.ir;

import java.util.List;

/**
 * Matrix product of the last two dimensions, batched over the leading ones ({@code [.., M, K] @ [.., K, Nc]}).
 * Leading dimensions must be equal. MACs = M × K × Nc per batch matrix.
 */
public record MatMul() implements Op {
  public String name() { return "matmul"; }

  public int arity() { return 2; }

  public TensorType infer(List<TensorType> in) {
    TensorType a = in.get(0), b = in.get(1);
    if (a.rank() < 2 || b.rank() < 2) {
      throw ShapeException.rank("matmul needs two matrices (rank >= 2 without batch), got " + a + " and " + b);
    }
    int k = a.shape().last();
    int kb = b.shape().at(-2);
    if (k != kb || a.rank() != b.rank() || a.batched() != b.batched()) {
      throw new ShapeException("matmul: cannot multiply " + a + " by " + b);
    }
    for (int i = 0; i < a.rank() - 2; i++) {
      if (a.dim(i) != b.dim(i)) throw new ShapeException("matmul: leading dimensions differ: " + a + " and " + b);
    }
    return a.withShape(a.shape().with(a.rank() - 1, b.shape().last()));
  }

  public Cost cost(List<TensorType> in, TensorType o, int batch) {
    return Cost.macs(Math.multiplyExact(o.elements(batch), (long) in.get(0).shape().last()), Cost.Category.MATMUL);
  }

  public String describe() { return ""; }
}

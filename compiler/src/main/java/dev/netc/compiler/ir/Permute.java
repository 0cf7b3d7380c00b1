package dev.netc.compiler.ir;

import java.util.List;

/** Reorders axes (PyTorch numbering; a batched tensor keeps the batch first). A copy. */
public record Permute(List<Integer> perm) implements Op {
  public Permute { perm = List.copyOf(perm); }

  public String name() { return "permute"; }

  public int arity() { return 1; }

  public TensorType infer(List<TensorType> in) {
    TensorType x = in.getFirst();
    if (perm.size() != x.fullRank()) {
      throw ShapeException.rank("permute " + perm + " has " + perm.size() + " axes, " + x + " has " + x.fullRank());
    }
    boolean[] seen = new boolean[perm.size()];
    for (int p : perm) {
      if (p < 0 || p >= perm.size() || seen[p]) throw new ShapeException("permute " + perm + " is not a permutation");
      seen[p] = true;
    }
    if (x.batched() && perm.getFirst() != 0) throw new ShapeException("permute must keep the batch axis 0 first");
    int off = x.batched() ? 1 : 0;
    int[] o = new int[x.rank()];
    for (int i = 0; i < o.length; i++) o[i] = x.dim(perm.get(i + off) - off);
    return x.withShape(Shape.of(o));
  }

  public Cost cost(List<TensorType> in, TensorType o, int batch) { return Cost.other(0, Cost.Category.DATA); }

  public String describe() { return perm.toString(); }
}

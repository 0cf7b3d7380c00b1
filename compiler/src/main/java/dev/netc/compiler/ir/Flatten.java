package dev.netc.compiler.ir;

import java.util.List;

/** Merges axes {@code start..end} (PyTorch numbering, end inclusive, negative from the end). Free: a view. */
public record Flatten(int start, int end) implements Op {
  public String name() { return "flatten"; }

  public int arity() { return 1; }

  public TensorType infer(List<TensorType> in) {
    TensorType x = in.getFirst();
    if (x.rank() == 0) return x;
    int s = Rules.shapeAxis("flatten", x, start);
    int e = Rules.shapeAxis("flatten", x, end);
    if (e < s) throw new ShapeException("flatten: end axis " + end + " is before start axis " + start + " for " + x);
    int[] d = x.shape().toArray();
    int[] o = new int[d.length - (e - s)];
    long merged = 1;
    for (int i = s; i <= e; i++) merged *= d[i];
    if (merged > Integer.MAX_VALUE) throw new ShapeException("flatten: " + merged + " elements in one dimension");
    int j = 0;
    for (int i = 0; i < d.length; i++) {
      if (i < s || i > e) o[j++] = d[i];
      else if (i == s) o[j++] = (int) merged;
    }
    return x.withShape(Shape.of(o));
  }

  public Cost cost(List<TensorType> in, TensorType o, int batch) { return Cost.other(0, Cost.Category.DATA); }

  public String describe() { return start == 1 && end == -1 ? "" : start + ".." + end; }
}

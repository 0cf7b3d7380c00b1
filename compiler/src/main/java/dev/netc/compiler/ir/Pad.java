package dev.netc.compiler.ir;

import java.util.List;

/** Constant padding of the trailing {@code begin.size()} dims (negative values crop). A copy. */
public record Pad(List<Integer> begin, List<Integer> end, double value) implements Op {
  public Pad {
    begin = List.copyOf(begin);
    end = List.copyOf(end);
  }

  public String name() { return "pad"; }

  public int arity() { return 1; }

  public TensorType infer(List<TensorType> in) {
    TensorType x = in.getFirst();
    int n = begin.size();
    if (n > x.rank()) throw ShapeException.rank("pad of " + n + " dims needs rank >= " + n + ", got " + x);
    int[] o = x.shape().toArray();
    for (int i = 0; i < n; i++) {
      int d = x.rank() - n + i;
      o[d] = o[d] + begin.get(i) + end.get(i);
      if (o[d] <= 0) throw new ShapeException("pad " + begin + "/" + end + " leaves nothing of " + x);
    }
    return x.withShape(Shape.of(o));
  }

  public Cost cost(List<TensorType> in, TensorType o, int batch) { return Cost.other(0, Cost.Category.DATA); }

  public String describe() { return begin + "/" + end + (value != 0 ? ", value=" + value : ""); }
}

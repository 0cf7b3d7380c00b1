package dev.netc.compiler.ir;

import java.util.ArrayList;
import java.util.List;

/** Mean over {@code axes} (PyTorch numbering). Other ops = input elements. */
public record Mean(List<Integer> axes, boolean keepDims) implements Op {
  public Mean { axes = List.copyOf(axes); }

  public String name() { return "mean"; }

  public int arity() { return 1; }

  public TensorType infer(List<TensorType> in) {
    TensorType x = in.getFirst();
    boolean[] reduce = new boolean[x.rank()];
    for (int a : axes) reduce[Rules.shapeAxis("mean", x, a)] = true;
    List<Integer> o = new ArrayList<>();
    for (int d = 0; d < x.rank(); d++) {
      if (!reduce[d]) o.add(x.dim(d));
      else if (keepDims) o.add(1);
    }
    return x.withShape(Shape.of(o));
  }

  public Cost cost(List<TensorType> in, TensorType o, int batch) { return Cost.other(in.getFirst().elements(batch), Cost.Category.OTHER); }

  public String describe() { return "axes=" + axes + (keepDims ? ", keep" : ""); }
}

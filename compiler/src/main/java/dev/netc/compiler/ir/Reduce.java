package dev.netc.compiler.ir;

import java.util.ArrayList;
import java.util.List;

/**
 * A reduction over {@code axes} (PyTorch numbering): the sum, maximum or minimum of the elements (PyTorch's
 * {@code x.sum(dim)}, {@code x.amax(dim)}, {@code x.amin(dim)}), or the index of the first maximum along one axis
 * ({@code x.argmax(dim)}, as a float holding an integer). Other ops = input elements.
 */
public record Reduce(Kind kind, List<Integer> axes, boolean keepDims) implements Op {
  /** What is computed over the reduced elements. */
  public enum Kind {
    SUM, MAX, MIN, ARGMAX;

    /** The catalogue name: {@code sum}, {@code max}, {@code min}, {@code argmax}. */
    public String opName() { return name().toLowerCase(java.util.Locale.ROOT); }
  }

  public Reduce {
    axes = List.copyOf(axes);
    if (axes.isEmpty()) throw new IllegalArgumentException("a reduction needs an axis");
    if (kind == Kind.ARGMAX && axes.size() != 1) throw new IllegalArgumentException("argmax reduces one axis");
  }

  public String name() { return kind.opName(); }

  public int arity() { return 1; }

  public TensorType infer(List<TensorType> in) {
    TensorType x = in.getFirst();
    boolean[] reduce = new boolean[x.rank()];
    for (int a : axes) {
      int d = Rules.shapeAxis(name(), x, a);
      if (reduce[d]) throw new ShapeException(name() + ": axis " + a + " is given twice");
      reduce[d] = true;
    }
    List<Integer> o = new ArrayList<>();
    for (int d = 0; d < x.rank(); d++) {
      if (!reduce[d]) o.add(x.dim(d));
      else if (keepDims) o.add(1);
    }
    return x.withShape(Shape.of(o));
  }

  /** The reduced dims as indices into the shape without the batch, ascending. */
  public int[] shapeAxes(TensorType x) {
    return axes.stream().mapToInt(a -> Rules.shapeAxis(name(), x, a)).sorted().toArray();
  }

  public Cost cost(List<TensorType> in, TensorType o, int batch) {
    return Cost.other(in.getFirst().elements(batch), Cost.Category.OTHER);
  }

  public String describe() { return "axes=" + axes + (keepDims ? ", keep" : ""); }
}

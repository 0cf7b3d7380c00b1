package dev.netc.compiler.ir;

import java.util.List;

/** A window of the trailing spatial dims: {@code size} starting at {@code offset} (center crop resolves offsets). */
public record Crop(List<Integer> offset, List<Integer> size) implements Op {
  public Crop {
    offset = List.copyOf(offset);
    size = List.copyOf(size);
  }

  public String name() { return "crop"; }

  public int arity() { return 1; }

  public TensorType infer(List<TensorType> in) {
    TensorType x = in.getFirst();
    int n = size.size();
    if (n > x.rank() - 1) throw ShapeException.rank("crop of " + n + " spatial dims needs [C, ...], got " + x);
    int[] o = x.shape().toArray();
    for (int i = 0; i < n; i++) {
      int d = x.rank() - n + i;
      if (offset.get(i) < 0 || size.get(i) < 1 || offset.get(i) + size.get(i) > o[d]) {
        throw new ShapeException("crop " + Rules.tuple(size) + " at " + Rules.tuple(offset) + " does not fit in " + x);
      }
      o[d] = size.get(i);
    }
    return x.withShape(Shape.of(o));
  }

  public Cost cost(List<TensorType> in, TensorType o, int batch) { return Cost.other(0, Cost.Category.DATA); }

  public String describe() { return Rules.tuple(size) + " at " + Rules.tuple(offset); }
}

package dev.netc.compiler.ir;

import java.util.List;

/** Concatenation along {@code axis} (PyTorch numbering; 1 = channels). Other ops = elements written. */
public record Concat(int axis) implements Op {
  public String name() { return "concat"; }

  public int arity() { return -1; }

  public TensorType infer(List<TensorType> in) {
    in = expanded(in);
    TensorType first = in.getFirst();
    int a = Rules.shapeAxis("concat", first, axis);
    long total = 0;
    for (TensorType t : in) {
      if (t.rank() != first.rank() || t.batched() != first.batched()) {
        throw new ShapeException("concat: cannot concatenate " + first + " and " + t);
      }
      for (int d = 0; d < t.rank(); d++) {
        if (d != a && t.dim(d) != first.dim(d)) {
          throw new ShapeException("concat along axis " + axis + ": cannot concatenate " + first + " and " + t
              + " (they differ in dim " + (d + (t.batched() ? 1 : 0)) + ")");
        }
      }
      total += t.dim(a);
    }
    if (total > Integer.MAX_VALUE) throw new ShapeException("concat: result too large");
    return first.withShape(first.shape().with(a, (int) total));
  }

  /**
   * The inputs as concatenated: when any is batched, an unbatched one of one more dim with a leading 1 (a learned
   * {@code [1, 1, D]} class token) is repeated over the batch, so it counts as batched of the other dims.
   */
  public static List<TensorType> expanded(List<TensorType> in) {
    if (in.stream().noneMatch(TensorType::batched) || in.stream().allMatch(TensorType::batched)) return in;
    int rank = in.stream().filter(TensorType::batched).findFirst().orElseThrow().rank();
    return in.stream().map(t -> {
      if (t.batched()) return t;
      if (t.rank() != rank + 1 || t.dim(0) != 1) {
        throw new ShapeException("concat: cannot concatenate " + t + " with batched tensors of rank " + (rank + 1)
            + ": a tensor without a batch dimension is repeated over the batch only from a leading 1, e.g. [1, "
            + "...]");
      }
      return TensorType.batched(t.shape().drop(1));
    }).toList();
  }

  /** Whether some input is repeated over the batch (see {@link #expanded}). */
  public static boolean expands(List<TensorType> in) {
    return in.stream().anyMatch(TensorType::batched) && !in.stream().allMatch(TensorType::batched);
  }

  public Cost cost(List<TensorType> in, TensorType o, int batch) { return Cost.other(o.elements(batch), Cost.Category.CONCAT); }

  public String describe() { return axis == 1 ? "" : "axis=" + axis; }
}

package dev.netc.compiler.ir;

/**
 * The type of a tensor: its shape without the batch dimension, and whether it has one. Almost every tensor is
 * batched ({@code [N, C, H, W]}); RoI boxes and what RoI ops produce from them are not (their first dimension
 * is the number of boxes, fixed at compile time).
 */
public record TensorType(boolean batched, Shape shape) {
  public static TensorType batched(int... dims) { return new TensorType(true, Shape.of(dims)); }

  public static TensorType batched(Shape shape) { return new TensorType(true, shape); }

  public static TensorType unbatched(Shape shape) { return new TensorType(false, shape); }

  /** Rank without the batch dimension. */
  public int rank() { return shape.rank(); }

  public int dim(int i) { return shape.dim(i); }

  /** Elements per batch item (or in all, when unbatched). */
  public long elements() { return shape.elements(); }

  /** Elements for a given batch size. */
  public long elements(int batch) { return batched ? Math.multiplyExact(shape.elements(), batch) : shape.elements(); }

  /** Rank as PyTorch sees it (with the batch dimension when there is one). */
  public int fullRank() { return shape.rank() + (batched ? 1 : 0); }

  public TensorType withShape(Shape s) { return new TensorType(batched, s); }

  /** {@code [N, 64, 56, 56]} or {@code [3, 5]}. */
  @Override
  public String toString() {
    String s = shape.toString();
    return batched ? (shape.rank() == 0 ? "[N]" : "[N, " + s.substring(1)) : s;
  }
}

package dev.netc.compiler.ir;

import java.util.List;

/**
 * Adaptive max/average pooling to a fixed output size (global pooling is size 1), PyTorch's uneven bins:
 * bin i covers {@code [floor(i*in/out), ceil((i+1)*in/out))}. Other ops = input elements read.
 */
public record AdaptivePool(Pool.Kind kind, List<Integer> size) implements Op {
  public AdaptivePool { size = List.copyOf(size); }

  public String name() {
    boolean global = size.stream().allMatch(s -> s == 1);
    return (global ? "global_" : "adaptive_") + (kind == Pool.Kind.MAX ? "maxpool" : "avgpool");
  }

  public int arity() { return 1; }

  public TensorType infer(List<TensorType> in) {
    TensorType x = in.getFirst();
    if (x.rank() != size.size() + 1) {
      throw ShapeException.rank(name() + " to " + Rules.tuple(size) + " expects " + (size.size() + 1)
          + " dims (without batch), got " + x);
    }
    int[] o = new int[size.size() + 1];
    o[0] = x.dim(0);
    for (int d = 0; d < size.size(); d++) o[d + 1] = size.get(d);
    return new TensorType(x.batched(), Shape.of(o));
  }

  public Cost cost(List<TensorType> in, TensorType o, int batch) {
    return Cost.other(in.getFirst().elements(batch), Cost.Category.POOL);
  }

  public String describe() { return size.stream().allMatch(s -> s == 1) ? "" : Rules.tuple(size); }
}

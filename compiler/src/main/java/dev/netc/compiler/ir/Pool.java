package dev.netc.compiler.ir;

import java.util.List;

/**
 * Max or average pooling over {@code dims} spatial dims, PyTorch semantics: output size as for convolution, with
 * {@code ceil} mode's rule that the last window starts inside the input or the left padding; average pooling
 * divides by the window clipped to the padded input ({@code countIncludePad}) or to the input.
 * Other ops = output elements × window volume.
 */
public record Pool(Kind kind, int dims, List<Integer> kernel, List<Integer> stride, List<Integer> padBegin,
    List<Integer> padEnd, List<Integer> dilation, boolean ceil, boolean countIncludePad) implements Op {
  public enum Kind { MAX, AVG }

  public Pool {
    kernel = List.copyOf(kernel);
    stride = List.copyOf(stride);
    padBegin = List.copyOf(padBegin);
    padEnd = List.copyOf(padEnd);
    dilation = List.copyOf(dilation);
  }

  public String name() { return kind == Kind.MAX ? "maxpool" : "avgpool"; }

  /**
   * Max pooling over one or two dims without dilation: the row-wise kernel ({@code Pooling.maxPool2d}) runs it,
   * windows clipped to the input at both ends, so any padding before and after.
   */
  public boolean undilatedMax2d() {
    return kind == Kind.MAX && dims <= 2 && dilation.stream().allMatch(d -> d == 1);
  }

  public int arity() { return 1; }

  public TensorType infer(List<TensorType> in) {
    TensorType x = in.getFirst();
    Rules.requireRank(name() + dims + "d", x, dims + 1);
    int[] o = new int[dims + 1];
    o[0] = x.dim(0);
    for (int d = 0; d < dims; d++) {
      int k = kernel.get(d);
      if (padBegin.get(d) > k / 2 || padEnd.get(d) > k / 2) {
        throw new ShapeException(name() + ": padding should be at most half the kernel size, got padding "
            + Rules.tuple(padBegin) + " for kernel " + Rules.tuple(kernel));
      }
      o[d + 1] = Rules.windowOut(x.dim(d + 1), k, stride.get(d), padBegin.get(d), padEnd.get(d), dilation.get(d), ceil);
      if (o[d + 1] <= 0) {
        throw new ShapeException(name() + ": window " + Rules.tuple(kernel) + " does not fit input " + x);
      }
    }
    return new TensorType(x.batched(), Shape.of(o));
  }

  public Cost cost(List<TensorType> in, TensorType o, int batch) {
    return Cost.other(Math.multiplyExact(o.elements(batch), Rules.product(kernel)), Cost.Category.POOL);
  }

  public String describe() {
    return "k=" + Rules.tuple(kernel) + ", s=" + Rules.tuple(stride)
        + (padBegin.stream().anyMatch(p -> p != 0) ? ", p=" + Rules.tuple(padBegin) : "")
        + (ceil ? ", ceil" : "") + (kind == Kind.AVG && !countIncludePad ? ", exclude pad" : "");
  }
}

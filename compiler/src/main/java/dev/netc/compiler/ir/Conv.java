package dev.netc.compiler.ir;

import java.util.ArrayList;
import java.util.List;

/**
 * Convolution over {@code dims} spatial dimensions (1, 2 or 3), PyTorch semantics: input {@code [Cin, S...]},
 * weight {@code [out, Cin/groups, K...]}, output size per dim
 * {@code floor((in + padBegin + padEnd - dilation*(k-1) - 1) / stride) + 1}.
 * MACs = output elements × Cin/groups × kernel volume (bias adds not counted).
 */
public record Conv(int dims, int out, List<Integer> kernel, List<Integer> stride, List<Integer> padBegin,
    List<Integer> padEnd, List<Integer> dilation, int groups, boolean bias) implements Op {
  public Conv {
    kernel = List.copyOf(kernel);
    stride = List.copyOf(stride);
    padBegin = List.copyOf(padBegin);
    padEnd = List.copyOf(padEnd);
    dilation = List.copyOf(dilation);
  }

  public String name() { return "conv"; }

  public int arity() { return 1; }

  public TensorType infer(List<TensorType> in) {
    TensorType x = in.getFirst();
    Rules.requireRank("conv" + dims + "d", x, dims + 1);
    int cin = x.dim(0);
    if (cin % groups != 0) {
      throw new ShapeException("conv: input channels " + cin + " are not divisible by groups " + groups
          + " (input " + x + ")");
    }
    int[] o = new int[dims + 1];
    o[0] = out;
    for (int d = 0; d < dims; d++) {
      int size = x.dim(d + 1);
      o[d + 1] = Rules.windowOut(size, kernel.get(d), stride.get(d), padBegin.get(d), padEnd.get(d),
          dilation.get(d), false);
      if (o[d + 1] <= 0) {
        throw new ShapeException("conv: kernel " + Rules.tuple(kernel) + " with dilation " + Rules.tuple(dilation)
            + " and padding does not fit input " + x + " (output would be empty)");
      }
    }
    return new TensorType(x.batched(), Shape.of(o));
  }

  public List<ParamSpec> params(List<TensorType> in) {
    int[] w = new int[dims + 2];
    w[0] = out;
    w[1] = in.getFirst().dim(0) / groups;
    for (int d = 0; d < dims; d++) w[d + 2] = kernel.get(d);
    List<ParamSpec> ps = new ArrayList<>();
    ps.add(ParamSpec.learned("weight", w));
    if (bias) ps.add(ParamSpec.learned("bias", out));
    return ps;
  }

  public Cost cost(List<TensorType> in, TensorType o, int batch) {
    long perOut = (long) (in.getFirst().dim(0) / groups) * Rules.product(kernel);
    return Cost.macs(Math.multiplyExact(o.elements(batch), perOut), Cost.Category.CONV);
  }

  public String describe() {
    StringBuilder b = new StringBuilder().append(out).append(", k=").append(Rules.tuple(kernel));
    if (stride.stream().anyMatch(s -> s != 1)) b.append(", s=").append(Rules.tuple(stride));
    if (padBegin.stream().anyMatch(p -> p != 0) || padEnd.stream().anyMatch(p -> p != 0)) {
      b.append(", p=").append(padBegin.equals(padEnd) ? Rules.tuple(padBegin)
          : Rules.tuple(padBegin) + "/" + Rules.tuple(padEnd));
    }
    if (dilation.stream().anyMatch(d -> d != 1)) b.append(", d=").append(Rules.tuple(dilation));
    if (groups != 1) b.append(", g=").append(groups);
    if (!bias) b.append(", no bias");
    return b.toString();
  }
}

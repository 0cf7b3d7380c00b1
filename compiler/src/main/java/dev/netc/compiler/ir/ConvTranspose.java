package dev.netc.compiler.ir;

import java.util.ArrayList;
import java.util.List;

/**
 * Transposed convolution (PyTorch ConvTranspose): weight {@code [Cin, out/groups, K...]}, output size per dim
 * {@code (in-1)*stride - padBegin - padEnd + dilation*(k-1) + outputPadding + 1}.
 * MACs = input elements × out/groups × kernel volume (each input element scatters through the kernel).
 */
public record ConvTranspose(int dims, int out, List<Integer> kernel, List<Integer> stride, List<Integer> padBegin,
    List<Integer> padEnd, List<Integer> outputPadding, List<Integer> dilation, int groups, boolean bias)
    implements Op {
  public ConvTranspose {
    kernel = List.copyOf(kernel);
    stride = List.copyOf(stride);
    padBegin = List.copyOf(padBegin);
    padEnd = List.copyOf(padEnd);
    outputPadding = List.copyOf(outputPadding);
    dilation = List.copyOf(dilation);
  }

  public String name() { return "conv_transpose"; }

  public int arity() { return 1; }

  public TensorType infer(List<TensorType> in) {
    TensorType x = in.getFirst();
    Rules.requireRank("conv_transpose", x, dims + 1);
    if (x.dim(0) % groups != 0 || out % groups != 0) {
      throw new ShapeException("conv_transpose: channels in " + x.dim(0) + " and out " + out
          + " must both be divisible by groups " + groups);
    }
    int[] o = new int[dims + 1];
    o[0] = out;
    for (int d = 0; d < dims; d++) {
      if (outputPadding.get(d) >= Math.max(stride.get(d), dilation.get(d))) {
        throw new ShapeException("conv_transpose: output padding " + outputPadding.get(d)
            + " must be smaller than stride or dilation");
      }
      long size = (long) (x.dim(d + 1) - 1) * stride.get(d) - padBegin.get(d) - padEnd.get(d)
          + (long) dilation.get(d) * (kernel.get(d) - 1) + outputPadding.get(d) + 1;
      if (size <= 0 || size > Integer.MAX_VALUE) {
        throw new ShapeException("conv_transpose: output size " + size + " along dim " + (d + 1) + " of " + x);
      }
      o[d + 1] = (int) size;
    }
    return new TensorType(x.batched(), Shape.of(o));
  }

  public List<ParamSpec> params(List<TensorType> in) {
    int[] w = new int[dims + 2];
    w[0] = in.getFirst().dim(0);
    w[1] = out / groups;
    for (int d = 0; d < dims; d++) w[d + 2] = kernel.get(d);
    List<ParamSpec> ps = new ArrayList<>();
    ps.add(ParamSpec.learned("weight", w));
    if (bias) ps.add(ParamSpec.learned("bias", out));
    return ps;
  }

  public Cost cost(List<TensorType> in, TensorType o, int batch) {
    long perIn = (long) (out / groups) * Rules.product(kernel);
    return Cost.macs(Math.multiplyExact(in.getFirst().elements(batch), perIn), Cost.Category.CONV);
  }

  public String describe() {
    return out + ", k=" + Rules.tuple(kernel) + ", s=" + Rules.tuple(stride)
        + (padBegin.stream().anyMatch(p -> p != 0) ? ", p=" + Rules.tuple(padBegin) : "")
        + (outputPadding.stream().anyMatch(p -> p != 0) ? ", op=" + Rules.tuple(outputPadding) : "")
        + (groups != 1 ? ", g=" + groups : "") + (bias ? "" : ", no bias");
  }
}

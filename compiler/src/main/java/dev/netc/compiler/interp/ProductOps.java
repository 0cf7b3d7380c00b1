package dev.netc.compiler.interp;

import dev.netc.compiler.ir.Conv;
import dev.netc.compiler.ir.ConvTranspose;
import dev.netc.compiler.ir.Linear;
import dev.netc.compiler.ir.MatMul;
import dev.netc.runtime.kernels.ConvAxis;
import dev.netc.runtime.kernels.ConvReference;
import dev.netc.runtime.kernels.ConvSpec;
import dev.netc.runtime.kernels.Epilogue;
import dev.netc.runtime.kernels.GemmReference;
import dev.netc.runtime.kernels.GemmSpec;
import java.util.ArrayList;
import java.util.List;

/**
 * The ops that multiply-accumulate: convolution (plain and transposed, 1-3 D, grouped), linear and matmul, run
 * by the runtime's reference kernels ({@link ConvReference}, {@link GemmReference}: plain loops, double sums).
 * MACs are the kernels' work sizes: the convolution spec's count per image, m·n·k per product.
 */
final class ProductOps {
  private ProductOps() {}

  static TensorValue conv(Conv op, TensorValue x, Frame f) {
    List<ConvAxis> axes = new ArrayList<>();
    for (int d = 0; d < op.dims(); d++) {
      axes.add(ConvAxis.of(x.type().dim(d + 1), op.kernel().get(d), op.stride().get(d), op.padBegin().get(d),
          op.padEnd().get(d), op.dilation().get(d)));
    }
    return runConv(spec(false, op.dims(), x.channels(), op.out(), op.groups(), axes), x, f);
  }

  static TensorValue convTranspose(ConvTranspose op, TensorValue x, Frame f) {
    List<ConvAxis> axes = new ArrayList<>();
    for (int d = 0; d < op.dims(); d++) {
      axes.add(new ConvAxis(x.type().dim(d + 1), op.kernel().get(d), op.stride().get(d), op.padBegin().get(d),
          op.padEnd().get(d), op.dilation().get(d), op.outputPadding().get(d)));
    }
    return runConv(spec(true, op.dims(), x.channels(), op.out(), op.groups(), axes), x, f);
  }

  /** A spec with the axes a lower-rank convolution does not have set to unit axes. */
  private static ConvSpec spec(boolean transposed, int dims, int in, int out, int groups, List<ConvAxis> axes) {
    ConvAxis unit = ConvAxis.unit();
    ConvAxis depth = dims == 3 ? axes.get(0) : unit;
    ConvAxis height = dims >= 2 ? axes.get(dims - 2) : unit;
    return new ConvSpec(dims, transposed, in, out, groups, depth, height, axes.get(dims - 1));
  }

  private static TensorValue runConv(ConvSpec spec, TensorValue x, Frame f) {
    int[] spatial = {spec.outDepth(), spec.outHeight(), spec.outWidth()};
    int[] dims = new int[spec.rank() + 2];
    dims[0] = x.items();
    dims[1] = spec.outChannels();
    System.arraycopy(spatial, 3 - spec.rank(), dims, 2, spec.rank());
    f.expect("the convolution spec", x.batched() ? dims : java.util.Arrays.copyOfRange(dims, 1, dims.length));
    TensorValue y = f.alloc();
    Epilogue e = Epilogue.NONE.withBias(f.params().optional("bias"));
    ConvReference.run(spec, f.params().get("weight"), 0, e, x.items(), x.data(), 0, y.data(), 0, null, 0);
    f.macs().add(spec.macs() * x.items());
    return y;
  }

  /** {@code y = x · Wᵀ + b} over the last dimension; every other dimension (batch included) is a row. */
  static TensorValue linear(Linear op, TensorValue x, Frame f) {
    int in = x.type().shape().last();
    int rows = x.size() / in;
    TensorValue y = f.alloc();
    Epilogue e = Epilogue.NONE.withBias(f.params().optional("bias"));
    GemmReference.run(GemmSpec.linear(in, op.out()), e, 1, rows, x.data(), 0, f.params().get("weight"), 0,
        y.data(), 0, null, 0);
    f.macs().add((long) rows * in * op.out());
    return y;
  }

  /** {@code a @ b} over the last two dims, one product per index of the leading dims (batch included). */
  static TensorValue matmul(MatMul op, TensorValue a, TensorValue b, Frame f) {
    int[] ad = a.dims();
    int m = ad[ad.length - 2];
    int k = ad[ad.length - 1];
    int n = b.dims()[ad.length - 1];
    int count = TensorValue.product(ad, 0, ad.length - 2);
    TensorValue y = f.alloc();
    GemmSpec spec = new GemmSpec(false, false, k, n, Math.max(1, k), n, n, m * k, k * n, m * n);
    GemmReference.run(spec, Epilogue.NONE, count, m, a.data(), 0, b.data(), 0, y.data(), 0, null, 0);
    f.macs().add((long) count * m * n * k);
    return y;
  }
}

package dev.netc.compiler.interp;

import dev.netc.compiler.ir.AdaptivePool;
import dev.netc.compiler.ir.MaxUnpool;
import dev.netc.compiler.ir.Pool;
import dev.netc.compiler.ir.PoolIndices;
import dev.netc.runtime.InputException;
import dev.netc.runtime.kernels.Pooling;
import java.util.List;

/**
 * Windowed and adaptive pooling over 1-3 spatial dims with the runtime's {@link Pooling} kernels (PyTorch 1.13
 * semantics: -inf padding for max, the two average divisors, ceil mode, uneven adaptive bins), the same kernels the
 * generated code calls: undilated 1-D and 2-D max pooling by the row-wise {@link Pooling#maxPool2d}, the rest as 3-D
 * pooling with unit leading axes. Padding may differ at the two ends (PyTorch cannot express it, but the IR can:
 * "same" with an even window); only the average's divisor depends on the padding after the input.
 */
final class PoolOps {
  private PoolOps() {}

  static TensorValue pool(Pool op, TensorValue x, Frame f) {
    boolean symmetric = op.padBegin().equals(op.padEnd());
    if (symmetric) f.expect("Pooling.outputSize", outputSize(op, x));
    Axes in = Axes.of(x.type().shape().drop(1).toArray());
    Axes out = Axes.of(f.out().shape().drop(1).toArray());
    if (op.undilatedMax2d()) return maxPool2d(op, x, in, out, f);
    TensorValue y = f.alloc();
    Pooling.Window w = window(op, in, out);
    Axes end = Axes.of(op.padEnd());
    if (op.kind() == Pool.Kind.MAX) {
      Pooling.maxPool(x.data(), 0, y.data(), 0, x.items(), x.channels(), w);
    } else {
      Pooling.avgPool(x.data(), 0, y.data(), 0, x.items(), x.channels(), w, end.pad(0), end.pad(1), end.pad(2),
          op.countIncludePad());
    }
    return y;
  }

  /** The indices of a max pooling's maxima, by the runtime's kernel (flat per plane, as floats). */
  static TensorValue indices(PoolIndices op, TensorValue x, Frame f) {
    Axes in = Axes.of(x.type().shape().drop(1).toArray());
    Axes out = Axes.of(f.out().shape().drop(1).toArray());
    TensorValue y = f.alloc();
    Pooling.maxPoolIndices(x.data(), 0, y.data(), 0, x.items() * x.channels(), window(op.pool(), in, out));
    return y;
  }

  /** Each value written at its index in its plane of a zero output, by the runtime's kernel. */
  static TensorValue unpool(MaxUnpool op, TensorValue x, TensorValue indices, Frame f) {
    TensorValue y = f.alloc();
    int planes = x.items() * x.channels();
    try {
      Pooling.maxUnpool(x.data(), 0, indices.data(), 0, y.data(), 0, planes, x.itemSize() / x.channels(),
          y.itemSize() / y.channels(), "max_unpool");
    } catch (InputException e) {
      throw new InterpreterException(e.getMessage());
    }
    return y;
  }

  private static TensorValue maxPool2d(Pool op, TensorValue x, Axes in, Axes out, Frame f) {
    Axes k = Axes.of(op.kernel());
    Axes s = Axes.of(op.stride());
    Axes p = Axes.of(op.padBegin());
    TensorValue y = f.alloc();
    Pooling.maxPool2d(x.data(), 0, y.data(), 0, x.items() * x.channels(), in.h(), in.w(), out.h(), out.w(), k.h(),
        k.w(), s.h(), s.w(), p.pad(1), p.pad(2));
    return y;
  }

  /** The runtime's rule for the output size (symmetric padding), as full dims. */
  private static int[] outputSize(Pool op, TensorValue x) {
    int[] d = x.dims();
    int first = d.length - op.dims();
    for (int i = 0; i < op.dims(); i++) {
      d[first + i] = Pooling.outputSize(d[first + i], op.kernel().get(i), op.stride().get(i), op.padBegin().get(i),
          op.dilation().get(i), op.ceil());
    }
    return d;
  }

  private static Pooling.Window window(Pool op, Axes in, Axes out) {
    Axes k = Axes.of(op.kernel());
    Axes s = Axes.of(op.stride());
    Axes p = Axes.of(op.padBegin());
    Axes d = Axes.of(op.dilation());
    return new Pooling.Window(in.d(), in.h(), in.w(), out.d(), out.h(), out.w(), k.d(), k.h(), k.w(), s.d(), s.h(),
        s.w(), p.pad(0), p.pad(1), p.pad(2), d.d(), d.h(), d.w());
  }

  static TensorValue adaptive(AdaptivePool op, TensorValue x, Frame f) {
    Axes in = Axes.of(x.type().shape().drop(1).toArray());
    Axes out = Axes.of(op.size());
    TensorValue y = f.alloc();
    Pooling.adaptivePool(x.data(), 0, y.data(), 0, x.items() * x.channels(), in.d(), in.h(), in.w(), out.d(), out.h(),
        out.w(), op.kind() == Pool.Kind.MAX);
    return y;
  }

  /**
   * Up to three spatial extents as (depth, height, width), the missing leading ones 1 (for sizes, kernels,
   * strides and dilations) — and, through {@link #pad}, 0 for paddings.
   */
  record Axes(int d, int h, int w, int rank) {
    static Axes of(int... v) {
      int n = v.length;
      return new Axes(n >= 3 ? v[n - 3] : 1, n >= 2 ? v[n - 2] : 1, v[n - 1], n);
    }

    static Axes of(List<Integer> v) { return of(v.stream().mapToInt(Integer::intValue).toArray()); }

    /** Axis {@code i} of (d, h, w) as a padding: 0 for an axis the op does not have. */
    int pad(int i) {
      int missing = 3 - rank;
      if (i < missing) return 0;
      return switch (i) {
        case 0 -> d;
        case 1 -> h;
        default -> w;
      };
    }
  }
}

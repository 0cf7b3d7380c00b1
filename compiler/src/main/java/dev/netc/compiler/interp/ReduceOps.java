package dev.netc.compiler.interp;

import dev.netc.compiler.ir.Reduce;

/**
 * Reductions ({@code sum}, {@code max}, {@code min}, {@code argmax}) by the runtime's {@code Reduce} kernel, the
 * one generated code runs, over each batch item's shape.
 */
final class ReduceOps {
  private ReduceOps() {}

  static TensorValue reduce(Reduce op, TensorValue x, Frame f) {
    dev.netc.runtime.kernels.Reduce k = dev.netc.runtime.kernels.Reduce.of(kind(op.kind()),
        x.type().shape().toArray(), op.shapeAxes(x.type()));
    TensorValue y = f.alloc();
    k.run(x.items(), x.data(), 0, y.data(), 0);
    return y;
  }

  /** The runtime's kind of an IR reduction. */
  static dev.netc.runtime.kernels.Reduce.Kind kind(Reduce.Kind k) {
    return switch (k) {
      case SUM -> dev.netc.runtime.kernels.Reduce.Kind.SUM;
      case MAX -> dev.netc.runtime.kernels.Reduce.Kind.MAX;
      case MIN -> dev.netc.runtime.kernels.Reduce.Kind.MIN;
      case ARGMAX -> dev.netc.runtime.kernels.Reduce.Kind.ARGMAX;
    };
  }
}

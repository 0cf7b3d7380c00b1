package dev.netc.compiler.interp;

import dev.netc.compiler.ir.Activation;
import dev.netc.compiler.ir.Scale;
import dev.netc.compiler.ir.Softmax;
import dev.netc.runtime.kernels.ElementwiseScalar;
import dev.netc.runtime.kernels.SoftmaxScalar;
import dev.netc.runtime.kernels.StridedBox;
import java.util.Arrays;
import java.util.List;

/**
 * Elementwise ops: activations (the runtime's scalar definitions), {@code x * factor + shift}, softmax along an
 * axis, and sums and products of several tensors with PyTorch's size-1 broadcasting, left to right.
 */
final class PointwiseOps {
  private PointwiseOps() {}

  static TensorValue activation(Activation op, TensorValue x, Frame f) {
    TensorValue y = f.alloc();
    if (op.kind() == Activation.Kind.SOFTPLUS && (op.alpha() != 1 || op.beta() != 20)) {
      // The runtime's softplus is PyTorch's default (beta 1, threshold 20); other settings are computed here.
      ElementwiseScalar.softplus(x.data(), 0, y.data(), 0, x.size(), (float) op.alpha(), (float) op.beta());
      return y;
    }
    kernel(op.kind()).applyScalar(x.data(), 0, y.data(), 0, x.size(), (float) op.alpha());
    return y;
  }

  /** The runtime activation of an IR activation kind. */
  static dev.netc.runtime.kernels.Activation kernel(Activation.Kind kind) {
    return switch (kind) {
      case IDENTITY -> dev.netc.runtime.kernels.Activation.IDENTITY;
      case RELU -> dev.netc.runtime.kernels.Activation.RELU;
      case RELU6 -> dev.netc.runtime.kernels.Activation.RELU6;
      case LEAKY_RELU -> dev.netc.runtime.kernels.Activation.LEAKY_RELU;
      case ELU -> dev.netc.runtime.kernels.Activation.ELU;
      case SIGMOID -> dev.netc.runtime.kernels.Activation.SIGMOID;
      case TANH -> dev.netc.runtime.kernels.Activation.TANH;
      case GELU -> dev.netc.runtime.kernels.Activation.GELU;
      case SILU -> dev.netc.runtime.kernels.Activation.SILU;
      case HARDSWISH -> dev.netc.runtime.kernels.Activation.HARDSWISH;
      case HARDSIGMOID -> dev.netc.runtime.kernels.Activation.HARDSIGMOID;
      case SOFTPLUS -> dev.netc.runtime.kernels.Activation.SOFTPLUS;
    };
  }

  /** {@code x * factor + shift} in float, rounded as PyTorch evaluates {@code x * s + t} (the runtime's scalar twin). */
  static TensorValue scale(Scale op, TensorValue x, Frame f) {
    TensorValue y = f.alloc();
    ElementwiseScalar.scaleShift(x.data(), 0, y.data(), 0, x.size(), (float) op.factor(), (float) op.shift());
    return y;
  }

  static TensorValue softmax(Softmax op, TensorValue x, Frame f) {
    int[] d = x.dims();
    int a = TensorValue.axis(op.axis(), d.length);
    TensorValue y = f.alloc();
    SoftmaxScalar.softmax(x.data(), 0, y.data(), 0, TensorValue.product(d, 0, a), d[a], TensorValue.product(d, a + 1, d.length),
        op.log());
    return y;
  }

  /** {@code ((in0 + in1) + in2) ...} with broadcasting. */
  static TensorValue add(List<TensorValue> in, Frame f) { return fold(in, f, false); }

  /** {@code ((in0 * in1) * in2) ...} with broadcasting. */
  static TensorValue mul(List<TensorValue> in, Frame f) { return fold(in, f, true); }

  /** Left to right, as generated code: {@code y = in0 op in1}, then {@code y = y op in_i}, broadcasting size-1 dims. */
  private static TensorValue fold(List<TensorValue> in, Frame f, boolean mul) {
    int[] out = f.outDims();
    TensorValue y = f.alloc();
    int[] left = in.getFirst().dims();
    float[] acc = in.getFirst().data();
    for (TensorValue v : in.subList(1, in.size())) {
      if (Arrays.equals(left, out) && Arrays.equals(v.dims(), out)) {
        if (mul) ElementwiseScalar.mul(acc, 0, v.data(), 0, y.data(), 0, y.size());
        else ElementwiseScalar.add(acc, 0, v.data(), 0, y.data(), 0, y.size(), dev.netc.runtime.kernels.Activation.IDENTITY, 0f);
      } else {
        StridedBox box = StridedBox.broadcast(left, v.dims(), out);
        if (mul) box.mul(1, acc, 0, v.data(), 0, y.data(), 0);
        else box.add(1, acc, 0, v.data(), 0, y.data(), 0);
      }
      left = out;
      acc = y.data();
    }
    return y;
  }
}

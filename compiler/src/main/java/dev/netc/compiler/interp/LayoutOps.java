package dev.netc.compiler.interp;

import dev.netc.compiler.ir.ChannelShuffle;
import dev.netc.compiler.ir.Concat;
import dev.netc.compiler.ir.Crop;
import dev.netc.compiler.ir.Mean;
import dev.netc.compiler.ir.Pad;
import dev.netc.compiler.ir.Permute;
import dev.netc.compiler.ir.Slice;
import dev.netc.runtime.kernels.ReduceMean;
import dev.netc.runtime.kernels.Slices;
import dev.netc.runtime.kernels.StridedBox;
import java.util.List;

/**
 * Ops that move data without arithmetic (and {@code mean}): concat, slice, channel shuffle, permute, constant
 * pad and crop, by the runtime's copy kernels (strided ones by {@link StridedBox}, as generated code). Axes are PyTorch's (batch = 0 when batched, negative from the
 * end); views (reshape, flatten) share their input's data and are handled by the interpreter.
 */
final class LayoutOps {
  private LayoutOps() {}

  static TensorValue concat(Concat op, List<TensorValue> in, Frame f) {
    int[] out = f.outDims();
    int a = TensorValue.axis(op.axis(), out.length);
    float[][] srcs = new float[in.size()][];
    int[] offsets = new int[in.size()];
    int[] sizes = new int[in.size()];
    for (int i = 0; i < in.size(); i++) {
      srcs[i] = in.get(i).data();
      sizes[i] = in.get(i).dims()[a];
    }
    TensorValue y = f.alloc();
    Slices.concat(srcs, offsets, sizes, y.data(), 0, TensorValue.product(out, 0, a), TensorValue.product(out, a + 1, out.length));
    return y;
  }

  /** Elements {@code start, start + step, ... < end} along the axis. */
  static TensorValue slice(Slice op, TensorValue x, Frame f) {
    int[] d = x.dims();
    int a = TensorValue.axis(op.axis(), d.length);
    int outer = TensorValue.product(d, 0, a);
    int inner = TensorValue.product(d, a + 1, d.length);
    TensorValue y = f.alloc();
    if (op.step() == 1) {
      Slices.copy(x.data(), 0, d[a], op.start(), y.data(), 0, op.end() - op.start(), 0, op.end() - op.start(),
          outer, inner);
      return y;
    }
    StridedBox.slice(d, a, op.start(), op.step(), f.outDims()[a]).copy(1, x.data(), 0, y.data(), 0);
    return y;
  }

  static TensorValue channelShuffle(ChannelShuffle op, TensorValue x, Frame f) {
    TensorValue y = f.alloc();
    dev.netc.runtime.kernels.ChannelShuffle.shuffle(x.data(), 0, y.data(), 0, x.items(), x.channels(), op.groups(),
        x.spatial());
    return y;
  }

  static TensorValue permute(Permute op, TensorValue x, Frame f) {
    TensorValue y = f.alloc();
    int[] perm = op.perm().stream().mapToInt(Integer::intValue).toArray();
    f.expect("Permute.outputShape", dev.netc.runtime.kernels.Permute.outputShape(x.dims(), perm));
    dev.netc.runtime.kernels.Permute.permute(x.data(), 0, x.dims(), perm, y.data(), 0);
    return y;
  }

  /** Constant padding of the trailing dims; the runtime takes (before, after) pairs from the last dim back. */
  static TensorValue pad(Pad op, TensorValue x, Frame f) {
    int n = op.begin().size();
    int[] pads = new int[2 * n];
    for (int k = 0; k < n; k++) {
      pads[2 * k] = op.begin().get(n - 1 - k);
      pads[2 * k + 1] = op.end().get(n - 1 - k);
    }
    return padded(x, pads, (float) op.value(), f);
  }

  /** A crop is a padding by minus the offset before and minus what is left after the window. */
  static TensorValue crop(Crop op, TensorValue x, Frame f) {
    int n = op.size().size();
    int[] d = x.dims();
    int[] pads = new int[2 * n];
    for (int k = 0; k < n; k++) {
      int i = n - 1 - k;
      int in = d[d.length - 1 - k];
      pads[2 * k] = -op.offset().get(i);
      pads[2 * k + 1] = -(in - op.offset().get(i) - op.size().get(i));
    }
    return padded(x, pads, 0f, f);
  }

  private static TensorValue padded(TensorValue x, int[] pads, float value, Frame f) {
    f.expect("Pad.outputShape", dev.netc.runtime.kernels.Pad.outputShape(x.dims(), pads));
    TensorValue y = f.alloc();
    dev.netc.runtime.kernels.Pad.constant(x.data(), 0, x.dims(), pads, value, y.data(), 0);
    return y;
  }

  static TensorValue mean(Mean op, TensorValue x, Frame f) {
    int rank = x.dims().length;
    int[] axes = op.axes().stream().mapToInt(a -> TensorValue.axis(a, rank)).toArray();
    if (!op.keepDims()) f.expect("ReduceMean.outputShape", ReduceMean.outputShape(x.dims(), axes));
    TensorValue y = f.alloc();
    ReduceMean.mean(x.data(), 0, x.dims(), axes, y.data(), 0);
    return y;
  }
}

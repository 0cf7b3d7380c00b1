package dev.netc.compiler.interp;

import dev.netc.compiler.ir.RoiAlign;
import dev.netc.compiler.ir.RoiPool;
import dev.netc.compiler.ir.Upsample;
import dev.netc.runtime.InputException;

/**
 * Resizing and box sampling: {@code upsample} (nearest in 1-3 D, bilinear with or without aligned corners, by the runtime's
 * {@code Upsample}) and torchvision's
 * {@code roi_pool} / {@code roi_align} (runtime {@code RoiPool} / {@code RoiAlign}, which refuse a box that names no
 * batch item or has a coordinate that is not finite or beyond ±2^30: an {@link InterpreterException} here).
 */
final class ResampleOps {
  private ResampleOps() {}

  static TensorValue upsample(Upsample op, TensorValue x, Frame f) {
    int[] in = x.type().shape().drop(1).toArray();
    int[] out = f.out().shape().drop(1).toArray();
    if (op.scale() != null && !op.scale().isEmpty()) f.expect("Upsample.outputSize", scaledDims(op, x));
    TensorValue y = f.alloc();
    int planes = x.items() * x.channels();
    if (in.length == 3) {
      nearest3d(x.data(), y.data(), planes, in, out, op);
    } else if (op.mode() == Upsample.Mode.NEAREST) {
      // 1-D runs as 2-D with a unit height.
      boolean twoD = in.length == 2;
      int last = in.length - 1;
      dev.netc.runtime.kernels.Upsample.nearest(x.data(), 0, y.data(), 0, planes, 1, twoD ? in[0] : 1, in[last],
          twoD ? out[0] : 1, out[last], twoD ? scale(op, 0) : 0, scale(op, last));
    } else {
      dev.netc.runtime.kernels.Upsample.bilinear(x.data(), 0, y.data(), 0, planes, 1, in[0], in[1], out[0], out[1],
          op.alignCorners(), scale(op, 0), scale(op, 1));
    }
    return y;
  }

  /** The full output dims by the runtime's rule for a scale factor, {@code floor(in * scale)}. */
  private static int[] scaledDims(Upsample op, TensorValue x) {
    int[] d = x.dims();
    int spatial = op.size().size();
    for (int i = 0; i < spatial; i++) {
      int a = d.length - spatial + i;
      d[a] = dev.netc.runtime.kernels.Upsample.outputSize(d[a], scale(op, i));
    }
    return d;
  }

  /** The user's scale factor along spatial dim {@code i}, or 0 when a size was given (see runtime Upsample). */
  private static double scale(Upsample op, int i) {
    if (op.scale() == null || op.scale().isEmpty()) return 0;
    return op.scale().get(Math.min(i, op.scale().size() - 1));
  }

  private static void nearest3d(float[] x, float[] y, int planes, int[] in, int[] out, Upsample op) {
    if (op.mode() != Upsample.Mode.NEAREST) {
      throw new IllegalStateException("3-D upsampling is nearest only; the IR should have refused " + op);
    }
    int[][] idx = new int[3][];
    for (int a = 0; a < 3; a++) idx[a] = dev.netc.runtime.kernels.Upsample.nearestIndex(in[a], out[a], scale(op, a));
    dev.netc.runtime.kernels.Upsample.nearest3d(x, 0, y, 0, planes, in[0], in[1], in[2], idx[0], idx[1], idx[2]);
  }

  static TensorValue roiPool(RoiPool op, TensorValue features, TensorValue boxes, Frame f) {
    int[] d = features.dims();
    TensorValue y = f.alloc();
    try {
      dev.netc.runtime.kernels.RoiPool.pool(features.data(), 0, d[0], d[1], d[2], d[3], boxes.data(), 0,
          boxes.type().dim(0), op.output().get(0), op.output().get(1), (float) op.scale(), y.data(), 0, "");
    } catch (InputException e) {
      throw new InterpreterException(e.getMessage());
    }
    return y;
  }

  static TensorValue roiAlign(RoiAlign op, TensorValue features, TensorValue boxes, Frame f) {
    int[] d = features.dims();
    TensorValue y = f.alloc();
    try {
      dev.netc.runtime.kernels.RoiAlign.align(features.data(), 0, d[0], d[1], d[2], d[3], boxes.data(), 0,
          boxes.type().dim(0), op.output().get(0), op.output().get(1), (float) op.scale(), op.sampling(),
          op.aligned(), y.data(), 0, "");
    } catch (InputException e) {
      throw new InterpreterException(e.getMessage());
    }
    return y;
  }
}

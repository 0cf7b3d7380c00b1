package dev.netc.compiler.interp;

import dev.netc.compiler.ir.Pool;

/**
 * Pooling whose padding differs at the two ends of an axis (the IR allows it, e.g. "same" padding with an even
 * window; the runtime's {@code Pooling} windows are symmetric). The same rules as PyTorch's symmetric case,
 * with each end's padding used where it applies: a max window skips positions outside the input; an average
 * window is clipped to {@code [-padBegin, in + padEnd)} for the divisor that counts padding, and to the input
 * for the one that does not.
 */
final class AsymmetricPool {
  private AsymmetricPool() {}

  /** One spatial axis, padded out to three with unit axes in front. */
  private record Axis(int in, int out, int k, int s, int pb, int pe, int dil) {
    static Axis[] of(Pool op, int[] in, int[] out) {
      Axis[] a = new Axis[3];
      int missing = 3 - op.dims();
      for (int i = 0; i < 3; i++) {
        int j = i - missing;
        a[i] = j < 0 ? new Axis(1, 1, 1, 1, 0, 0, 1)
            : new Axis(in[j], out[j], op.kernel().get(j), op.stride().get(j), op.padBegin().get(j),
                op.padEnd().get(j), op.dilation().get(j));
      }
      return a;
    }
  }

  static TensorValue pool(Pool op, TensorValue x, Frame f) {
    Axis[] ax = Axis.of(op, x.type().shape().drop(1).toArray(), f.out().shape().drop(1).toArray());
    TensorValue y = f.alloc();
    int inPlane = ax[0].in() * ax[1].in() * ax[2].in();
    int yi = 0;
    for (int p = 0; p < x.items() * x.channels(); p++) {
      for (int od = 0; od < ax[0].out(); od++) {
        for (int oh = 0; oh < ax[1].out(); oh++) {
          for (int ow = 0; ow < ax[2].out(); ow++) {
            int[] o = {od, oh, ow};
            y.data()[yi++] = op.kind() == Pool.Kind.MAX
                ? max(x.data(), p * inPlane, ax, o)
                : avg(x.data(), p * inPlane, ax, o, op.countIncludePad());
          }
        }
      }
    }
    return y;
  }

  private static float max(float[] x, int base, Axis[] ax, int[] o) {
    float m = Float.NEGATIVE_INFINITY;
    for (int kd = 0; kd < ax[0].k(); kd++) {
      int d = o[0] * ax[0].s() - ax[0].pb() + kd * ax[0].dil();
      for (int kh = 0; kh < ax[1].k(); kh++) {
        int h = o[1] * ax[1].s() - ax[1].pb() + kh * ax[1].dil();
        for (int kw = 0; kw < ax[2].k(); kw++) {
          int w = o[2] * ax[2].s() - ax[2].pb() + kw * ax[2].dil();
          if (d < 0 || d >= ax[0].in() || h < 0 || h >= ax[1].in() || w < 0 || w >= ax[2].in()) continue;
          float v = x[base + (d * ax[1].in() + h) * ax[2].in() + w];
          if (v > m || Float.isNaN(v)) m = v;
        }
      }
    }
    return m;
  }

  private static float avg(float[] x, int base, Axis[] ax, int[] o, boolean countPad) {
    int[] lo = new int[3];
    int[] hi = new int[3];
    int padded = 1;
    for (int i = 0; i < 3; i++) {
      int start = o[i] * ax[i].s() - ax[i].pb();
      int end = Math.min(start + ax[i].k(), ax[i].in() + ax[i].pe());
      padded *= end - start;
      lo[i] = Math.max(start, 0);
      hi[i] = Math.min(end, ax[i].in());
    }
    float sum = 0;
    for (int d = lo[0]; d < hi[0]; d++) {
      for (int h = lo[1]; h < hi[1]; h++) {
        for (int w = lo[2]; w < hi[2]; w++) sum += x[base + (d * ax[1].in() + h) * ax[2].in() + w];
      }
    }
    int real = (hi[0] - lo[0]) * (hi[1] - lo[1]) * (hi[2] - lo[2]);
    return sum / (countPad ? padded : real);
  }
}

package dev.netc.compiler.interp;

/** PyTorch's broadcasting of a tensor to a larger shape of the same rank (size-1 dims repeat). */
final class Broadcasting {
  private Broadcasting() {}

  /**
   * A fresh array holding {@code v} broadcast to {@code out}: a copy when the shapes are equal, else each output
   * element reads the input at the same index with size-1 dims pinned to 0.
   */
  static float[] expand(TensorValue v, int[] out) {
    int[] in = v.dims();
    float[] x = v.data();
    if (java.util.Arrays.equals(in, out)) return x.clone();
    int rank = out.length;
    int[] stride = new int[rank];
    for (int d = rank - 1, s = 1; d >= 0; s *= in[d], d--) stride[d] = in[d] == 1 ? 0 : s;
    float[] y = new float[TensorValue.product(out, 0, rank)];
    int[] idx = new int[rank];
    int src = 0;
    for (int i = 0; i < y.length; i++) {
      y[i] = x[src];
      for (int d = rank - 1; d >= 0; d--) {
        src += stride[d];
        if (++idx[d] < out[d]) break;
        src -= stride[d] * out[d];
        idx[d] = 0;
      }
    }
    return y;
  }
}

package dev.netc.compiler.interp;

import dev.netc.compiler.ir.Attention;
import dev.netc.compiler.ir.PositionalEncoding;
import dev.netc.runtime.kernels.SmallMatmulScalar;
import dev.netc.runtime.kernels.SoftmaxScalar;

/**
 * Sequence ops over {@code [T, E]} per item: the sinusoidal positional encoding and multi-head self-attention
 * ({@code nn.MultiheadAttention}, batch first). Attention is composed here from the runtime's scalar twins
 * ({@link SmallMatmulScalar}, {@link SoftmaxScalar}) in the order the runtime's {@code MultiHeadAttention}
 * uses, because that kernel always takes the vector path when the Vector API is present and the interpreter
 * must stay scalar. Recurrent layers are in {@link RecurrentOps}.
 */
final class SequenceOps {
  private SequenceOps() {}

  static TensorValue positionalEncoding(PositionalEncoding op, TensorValue x, Frame f) {
    int t = x.type().dim(0);
    int e = x.type().dim(1);
    TensorValue y = f.alloc();
    dev.netc.runtime.kernels.PositionalEncoding.add(x.data(), 0,
        dev.netc.runtime.kernels.PositionalEncoding.sinusoidal(t, e, op.base()), y.data(), 0, x.items(), t, e);
    return y;
  }

  /**
   * Per item: {@code Q, K, V = x·Wᵀ + b} from the packed in-projection; per head {@code h} (columns
   * {@code h·E/H ..}) {@code softmax(Q_h K_hᵀ / sqrt(E/H)) V_h}; heads side by side, then the out-projection.
   */
  static TensorValue attention(Attention op, TensorValue x, Frame f) {
    int t = x.type().dim(0);
    int e = x.type().dim(1);
    int d = e / op.heads();
    float[] w = f.params().get("in_proj_weight");
    float[] bias = f.params().optional("in_proj_bias");
    float[] q = new float[t * e];
    float[] k = new float[t * e];
    float[] v = new float[t * e];
    float[] scores = new float[t * t];
    float[] ctx = new float[t * e];
    TensorValue y = f.alloc();
    float scale = (float) (1.0 / Math.sqrt(d));
    for (int b = 0; b < x.items(); b++) {
      int off = b * t * e;
      float[][] qkv = {q, k, v};
      for (int part = 0; part < 3; part++) {
        SmallMatmulScalar.matmulNT(t, e, e, 1f, x.data(), off, e, w, part * e * e, e, bias, part * e, qkv[part], 0, e);
      }
      for (int h = 0; h < op.heads(); h++) {
        SmallMatmulScalar.matmulNT(t, t, d, scale, q, h * d, e, k, h * d, e, null, 0, scores, 0, t);
        SoftmaxScalar.softmax(scores, 0, scores, 0, t, t, 1, false);
        SmallMatmulScalar.matmulNN(t, d, t, scores, 0, t, v, h * d, e, ctx, h * d, e);
      }
      SmallMatmulScalar.matmulNT(t, e, e, 1f, ctx, 0, e, f.params().get("out_proj.weight"), 0, e,
          f.params().optional("out_proj.bias"), 0, y.data(), off, e);
      f.macs().add(4L * t * e * e + 2L * op.heads() * t * t * d);
    }
    return y;
  }
}

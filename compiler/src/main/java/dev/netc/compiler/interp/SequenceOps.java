package dev.netc.compiler.interp;

import dev.netc.compiler.ir.Attention;
import dev.netc.compiler.ir.PositionalEncoding;
import dev.netc.compiler.ir.WindowAttention;
import dev.netc.runtime.kernels.MultiHeadAttention;
import dev.netc.runtime.kernels.ShiftedWindowAttention;

/**
 * Sequence ops over {@code [T, E]} per item: the sinusoidal positional encoding and multi-head self-attention
 * ({@code nn.MultiheadAttention}, batch first), by the runtime's kernels that generated code runs (attention on its
 * scalar path: the interpreter stays scalar). Recurrent layers are in {@link RecurrentOps}.
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
    var w = new MultiHeadAttention.Weights(e, op.heads(), f.params().get("in_proj_weight"),
        f.params().optional("in_proj_bias"), f.params().get("out_proj.weight"), f.params().optional("out_proj.bias"));
    TensorValue y = f.alloc();
    MultiHeadAttention.selfAttentionScalar(w, x.data(), 0, x.items(), t, false, y.data(), 0,
        new float[MultiHeadAttention.scratchSize(t, t, e)]);
    f.macs().add(x.items() * (4L * t * e * e + 2L * op.heads() * t * t * (e / op.heads())));
    return y;
  }

  /**
   * Swin's shifted window attention on channels-last {@code [H, W, C]} maps, by the runtime's kernel on its scalar
   * path; the relative position index is the one the op derives from its window.
   */
  static TensorValue windowAttention(WindowAttention op, TensorValue x, Frame f) {
    int h = x.type().dim(0);
    int w = x.type().dim(1);
    int c = x.type().dim(2);
    var weights = new ShiftedWindowAttention.Weights(c, op.heads(), op.windowH(), op.windowW(),
        f.params().get("qkv.weight"), f.params().optional("qkv.bias"), f.params().get("proj.weight"),
        f.params().optional("proj.bias"), f.params().get("relative_position_bias_table"));
    TensorValue y = f.alloc();
    ShiftedWindowAttention.forwardScalar(weights, op.shiftH(), op.shiftW(), x.data(), 0, x.items(), h, w, y.data(), 0,
        new float[ShiftedWindowAttention.scratchSize(c, op.windowH(), op.windowW(), h, w)]);
    long t = WindowAttention.paddedPositions(x.type(), op.windowH(), op.windowW());
    long n = (long) op.windowH() * op.windowW();
    f.macs().add(x.items() * (4L * t * c * c + 2L * t * n * c));
    return y;
  }
}

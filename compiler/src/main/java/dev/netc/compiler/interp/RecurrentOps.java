package dev.netc.compiler.interp;

import dev.netc.compiler.ir.Recurrent;
import dev.netc.runtime.kernels.Activation;
import dev.netc.runtime.kernels.SmallMatmulScalar;

/**
 * Stacked LSTM and GRU layers over {@code [T, F]} per item, initial state zero, returning the last layer's
 * whole output sequence {@code [T, hidden]}. PyTorch's equations and gate order (LSTM i, f, g, o; GRU r, z, n,
 * with {@code b_hn} inside the reset product), written out with the runtime's scalar products because the
 * runtime's {@code Recurrent} kernel takes the vector path whenever the Vector API is present.
 */
final class RecurrentOps {
  private RecurrentOps() {}

  static TensorValue recurrent(Recurrent op, TensorValue x, Frame f) {
    int t = x.type().dim(0);
    int hid = op.hidden();
    float[] out = new float[x.items() * t * hid];
    for (int b = 0; b < x.items(); b++) {
      float[] seq = java.util.Arrays.copyOfRange(x.data(), b * x.itemSize(), (b + 1) * x.itemSize());
      int features = x.type().dim(1);
      for (int l = 0; l < op.layers(); l++) {
        seq = layer(op, l, seq, t, features, f);
        features = hid;
      }
      System.arraycopy(seq, 0, out, b * t * hid, t * hid);
    }
    return new TensorValue(f.out(), f.batch(), out);
  }

  /** One layer over one item's sequence {@code [t, in]}; returns {@code [t, hidden]}. */
  private static float[] layer(Recurrent op, int l, float[] x, int t, int in, Frame f) {
    int hid = op.hidden();
    int g = op.kind().gates() * hid;
    LayerParams p = f.params();
    float[] pre = new float[t * g];
    float[] rec = new float[g];
    float[] h = new float[hid];
    float[] c = new float[hid];
    float[] y = new float[t * hid];
    SmallMatmulScalar.matmulNT(t, g, in, 1f, x, 0, in, p.get("weight_ih_l" + l), 0, in, p.optional("bias_ih_l" + l), 0,
        pre, 0, g);
    float[] whh = p.get("weight_hh_l" + l);
    float[] bhh = p.optional("bias_hh_l" + l);
    for (int s = 0; s < t; s++) {
      SmallMatmulScalar.matmulNT(1, g, hid, 1f, h, 0, hid, whh, 0, hid, bhh, 0, rec, 0, g);
      if (op.kind() == Recurrent.Kind.LSTM) lstmStep(pre, s * g, rec, h, c, hid);
      else gruStep(pre, s * g, rec, h, hid);
      System.arraycopy(h, 0, y, s * hid, hid);
    }
    f.macs().add((long) t * g * (in + hid));
    return y;
  }

  private static void lstmStep(float[] pre, int o, float[] rec, float[] h, float[] c, int hid) {
    for (int j = 0; j < hid; j++) {
      float i = sigmoid(pre[o + j] + rec[j]);
      float fg = sigmoid(pre[o + hid + j] + rec[hid + j]);
      float gg = (float) Math.tanh(pre[o + 2 * hid + j] + rec[2 * hid + j]);
      float og = sigmoid(pre[o + 3 * hid + j] + rec[3 * hid + j]);
      c[j] = fg * c[j] + i * gg;
      h[j] = og * (float) Math.tanh(c[j]);
    }
  }

  private static void gruStep(float[] pre, int o, float[] rec, float[] h, int hid) {
    for (int j = 0; j < hid; j++) {
      float r = sigmoid(pre[o + j] + rec[j]);
      float z = sigmoid(pre[o + hid + j] + rec[hid + j]);
      float n = (float) Math.tanh(pre[o + 2 * hid + j] + r * rec[2 * hid + j]);
      h[j] = (1f - z) * n + z * h[j];
    }
  }

  private static float sigmoid(float v) { return Activation.SIGMOID.apply(v, 0f); }
}

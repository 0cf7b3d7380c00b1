package dev.netc.compiler.interp;

import dev.netc.compiler.ir.Recurrent;

/**
 * Stacked LSTM and GRU layers over {@code [T, F]} per item, initial state zero, returning the last layer's
 * whole output sequence {@code [T, hidden]}: PyTorch's equations and gate order, by the runtime's {@code Recurrent}
 * kernel (the code generated classes run) on its scalar path.
 */
final class RecurrentOps {
  private RecurrentOps() {}

  static TensorValue recurrent(Recurrent op, TensorValue x, Frame f) {
    int n = x.items();
    int t = x.type().dim(0);
    int hid = op.hidden();
    int gates = op.kind().gates();
    float[] seq = x.data();
    int features = x.type().dim(1);
    float[] scratch = new float[dev.netc.runtime.kernels.Recurrent.scratchSize(n, t, hid, gates)];
    for (int l = 0; l < op.layers(); l++) {
      LayerParams p = f.params();
      var w = new dev.netc.runtime.kernels.Recurrent.Weights(features, hid, p.get("weight_ih_l" + l),
          p.get("weight_hh_l" + l), p.optional("bias_ih_l" + l), p.optional("bias_hh_l" + l));
      float[] y = new float[n * t * hid];
      float[] h = new float[n * hid];
      if (op.kind() == Recurrent.Kind.LSTM) {
        dev.netc.runtime.kernels.Recurrent.lstmScalar(w, seq, 0, n, t, false, y, 0, hid, h, new float[n * hid], scratch);
      } else {
        dev.netc.runtime.kernels.Recurrent.gruScalar(w, seq, 0, n, t, false, y, 0, hid, h, scratch);
      }
      f.macs().add((long) n * t * gates * hid * (features + hid));
      seq = y;
      features = hid;
    }
    return new TensorValue(f.out(), f.batch(), seq);
  }
}

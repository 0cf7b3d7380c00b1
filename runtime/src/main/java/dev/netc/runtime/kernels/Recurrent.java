package dev.netc.runtime.kernels;

import dev.netc.runtime.VectorSupport;

/**
 * LSTM and GRU layers with PyTorch semantics (one layer, one direction per call, batch first).
 *
 * <p>LSTM gates in PyTorch's order {@code i, f, g, o}:
 * {@code gates = W_ih x + b_ih + W_hh h + b_hh}; {@code c' = σ(f) c + σ(i) tanh(g)};
 * {@code h' = σ(o) tanh(c')}. GRU gates {@code r, z, n}:
 * {@code r = σ(W_ir x + b_ir + W_hr h + b_hr)}, {@code z} likewise,
 * {@code n = tanh(W_in x + b_in + r * (W_hn h + b_hn))}, {@code h' = (1 - z) n + z h}.
 *
 * <p>Input {@code x [B, T, I]}; output {@code y}: step {@code t} of sample {@code b} at
 * {@code yOff + (b*T + t) * yStride} ({@code yStride = H} normally, {@code 2H} with the reverse
 * direction written at {@code yOff + H} for a bidirectional layer). {@code h} (and {@code c})
 * {@code [B, H]} hold the initial state (zeros by default) and receive the final one. The input
 * projection of all steps is computed at once into {@link #scratchSize} floats of work space. The
 * products take the vector path when the Vector API is present; {@link #lstmScalar} and
 * {@link #gruScalar} are the scalar twins (the gate arithmetic is the same code).
 */
public final class Recurrent {
  private static final boolean VECTOR = VectorSupport.ENABLED;

  private Recurrent() {}

  /**
   * The parameters of one layer and direction, named as PyTorch's {@code weight_ih_l0} etc.
   *
   * @param input  I
   * @param hidden H
   * @param wIh    {@code [gates*H, I]}
   * @param wHh    {@code [gates*H, H]}
   * @param bIh    {@code [gates*H]} or null
   * @param bHh    {@code [gates*H]} or null
   */
  public record Weights(int input, int hidden, float[] wIh, float[] wHh, float[] bIh, float[] bHh) {}

  /** Floats of work space: the input projections of every step plus one step's hidden projection. */
  public static int scratchSize(int batch, int steps, int hidden, int gates) {
    return (batch * steps + batch) * gates * hidden;
  }

  /** One LSTM layer; {@code reverse} runs the steps backwards (the second direction). */
  public static void lstm(Weights w, float[] x, int xOff, int batch, int steps, boolean reverse,
      float[] y, int yOff, int yStride, float[] h, float[] c, float[] scratch) {
    lstm(w, x, xOff, batch, steps, reverse, y, yOff, yStride, h, c, scratch, VECTOR);
  }

  /** {@link #lstm} with scalar products only. */
  public static void lstmScalar(Weights w, float[] x, int xOff, int batch, int steps, boolean reverse,
      float[] y, int yOff, int yStride, float[] h, float[] c, float[] scratch) {
    lstm(w, x, xOff, batch, steps, reverse, y, yOff, yStride, h, c, scratch, false);
  }

  private static void lstm(Weights w, float[] x, int xOff, int batch, int steps, boolean reverse,
      float[] y, int yOff, int yStride, float[] h, float[] c, float[] scratch, boolean vector) {
    int hid = w.hidden();
    int g4 = 4 * hid;
    int hh = batch * steps * g4; // offset of the hidden projection in scratch
    product(vector, batch * steps, g4, w.input(), x, xOff, w.wIh(), w.bIh(), scratch, 0);
    for (int s = 0; s < steps; s++) {
      int t = reverse ? steps - 1 - s : s;
      product(vector, batch, g4, hid, h, 0, w.wHh(), w.bHh(), scratch, hh);
      for (int b = 0; b < batch; b++) {
        int pre = (b * steps + t) * g4;
        int rec = hh + b * g4;
        for (int j = 0; j < hid; j++) {
          float i = sigmoid(scratch[pre + j] + scratch[rec + j]);
          float f = sigmoid(scratch[pre + hid + j] + scratch[rec + hid + j]);
          float g = (float) Math.tanh(scratch[pre + 2 * hid + j] + scratch[rec + 2 * hid + j]);
          float o = sigmoid(scratch[pre + 3 * hid + j] + scratch[rec + 3 * hid + j]);
          float cn = f * c[b * hid + j] + i * g;
          c[b * hid + j] = cn;
          h[b * hid + j] = o * (float) Math.tanh(cn);
        }
        System.arraycopy(h, b * hid, y, yOff + (b * steps + t) * yStride, hid);
      }
    }
  }

  /** One GRU layer; {@code reverse} runs the steps backwards. */
  public static void gru(Weights w, float[] x, int xOff, int batch, int steps, boolean reverse,
      float[] y, int yOff, int yStride, float[] h, float[] scratch) {
    gru(w, x, xOff, batch, steps, reverse, y, yOff, yStride, h, scratch, VECTOR);
  }

  /** {@link #gru} with scalar products only. */
  public static void gruScalar(Weights w, float[] x, int xOff, int batch, int steps, boolean reverse,
      float[] y, int yOff, int yStride, float[] h, float[] scratch) {
    gru(w, x, xOff, batch, steps, reverse, y, yOff, yStride, h, scratch, false);
  }

  private static void gru(Weights w, float[] x, int xOff, int batch, int steps, boolean reverse,
      float[] y, int yOff, int yStride, float[] h, float[] scratch, boolean vector) {
    int hid = w.hidden();
    int g3 = 3 * hid;
    int hh = batch * steps * g3;
    product(vector, batch * steps, g3, w.input(), x, xOff, w.wIh(), w.bIh(), scratch, 0);
    for (int s = 0; s < steps; s++) {
      int t = reverse ? steps - 1 - s : s;
      product(vector, batch, g3, hid, h, 0, w.wHh(), w.bHh(), scratch, hh);
      for (int b = 0; b < batch; b++) {
        int pre = (b * steps + t) * g3;
        int rec = hh + b * g3;
        for (int j = 0; j < hid; j++) {
          float r = sigmoid(scratch[pre + j] + scratch[rec + j]);
          float z = sigmoid(scratch[pre + hid + j] + scratch[rec + hid + j]);
          float n = (float) Math.tanh(scratch[pre + 2 * hid + j] + r * scratch[rec + 2 * hid + j]);
          h[b * hid + j] = (1f - z) * n + z * h[b * hid + j];
        }
        System.arraycopy(h, b * hid, y, yOff + (b * steps + t) * yStride, hid);
      }
    }
  }

  /** {@code y[rows, out] = x[rows, in] · wᵀ + bias}, rows contiguous, on the vector or the scalar path. */
  private static void product(boolean vector, int rows, int out, int in, float[] x, int xOff, float[] w, float[] bias,
      float[] y, int yOff) {
    if (vector) {
      SmallMatmul.matmulNT(rows, out, in, 1f, x, xOff, in, w, 0, in, bias, 0, y, yOff, out);
    } else {
      SmallMatmulScalar.matmulNT(rows, out, in, 1f, x, xOff, in, w, 0, in, bias, 0, y, yOff, out);
    }
  }

  private static float sigmoid(float v) {
    return Activation.SIGMOID.apply(v, 0f);
  }
}

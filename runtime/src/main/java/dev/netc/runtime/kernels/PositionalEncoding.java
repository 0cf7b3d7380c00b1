package dev.netc.runtime.kernels;

/**
 * The Transformer's sinusoidal positional encoding, computed in float as the usual PyTorch code
 * does: {@code div[i] = exp(2i * -ln(base) / d)}, {@code pe[pos, 2i] = sin(pos * div[i])},
 * {@code pe[pos, 2i+1] = cos(pos * div[i])}, with the paper's base 10000 unless another is given.
 */
public final class PositionalEncoding {
  private PositionalEncoding() {}

  /** The table {@code pe [length, d]}, base 10000. */
  public static float[] sinusoidal(int length, int d) {
    return sinusoidal(length, d, 10000.0);
  }

  /** The table {@code pe [length, d]} for another {@code base}. */
  public static float[] sinusoidal(int length, int d, double base) {
    float[] pe = new float[length * d];
    float factor = (float) (-Math.log(base) / d);
    for (int i = 0; 2 * i < d; i++) {
      float div = (float) Math.exp((float) (2 * i) * factor);
      for (int pos = 0; pos < length; pos++) {
        float arg = pos * div;
        pe[pos * d + 2 * i] = (float) Math.sin(arg);
        if (2 * i + 1 < d) {
          pe[pos * d + 2 * i + 1] = (float) Math.cos(arg);
        }
      }
    }
    return pe;
  }

  /** {@code y[b] = x[b] + pe} for each of {@code batch} sequences of {@code [length, d]}; may be in place. */
  public static void add(float[] x, int xOff, float[] pe, float[] y, int yOff, int batch, int length, int d) {
    for (int b = 0; b < batch; b++) {
      Elementwise.add(x, xOff + b * length * d, pe, 0, y, yOff + b * length * d, length * d);
    }
  }
}

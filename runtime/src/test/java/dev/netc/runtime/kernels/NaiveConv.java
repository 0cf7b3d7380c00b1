package dev.netc.runtime.kernels;

/** A direct, obviously-correct 2-D convolution (stride 1, square kernel, zero padding) for composing test cases. */
final class NaiveConv {
  private NaiveConv() {}

  static float[] conv2d(float[] x, int n, int cin, int h, int w, float[] weight, float[] bias, int cout, int k,
      int pad) {
    int oh = h + 2 * pad - k + 1;
    int ow = w + 2 * pad - k + 1;
    float[] y = new float[n * cout * oh * ow];
    for (int b = 0; b < n; b++) {
      for (int co = 0; co < cout; co++) {
        for (int i = 0; i < oh; i++) {
          for (int j = 0; j < ow; j++) {
            double s = bias == null ? 0 : bias[co];
            for (int ci = 0; ci < cin; ci++) {
              for (int ky = 0; ky < k; ky++) {
                for (int kx = 0; kx < k; kx++) {
                  int yy = i + ky - pad;
                  int xx = j + kx - pad;
                  if (yy >= 0 && yy < h && xx >= 0 && xx < w) {
                    s += x[((b * cin + ci) * h + yy) * w + xx] * weight[((co * cin + ci) * k + ky) * k + kx];
                  }
                }
              }
            }
            y[((b * cout + co) * oh + i) * ow + j] = (float) s;
          }
        }
      }
    }
    return y;
  }
}

package dev.netc.runtime;

import dev.netc.runtime.kernels.Activation;
import dev.netc.runtime.kernels.Blocked;
import dev.netc.runtime.kernels.Elementwise;
import dev.netc.runtime.kernels.MultiHeadAttention;
import dev.netc.runtime.kernels.Norms;
import dev.netc.runtime.kernels.Pooling;
import dev.netc.runtime.kernels.Recurrent;
import dev.netc.runtime.kernels.Softmax;
import dev.netc.runtime.kernels.Upsample;

/**
 * Run in a child JVM by {@link VectorSupportTest}: touches every dispatching facade, so that a
 * facade which loads a vector class without the incubator module fails here.
 */
public final class ScalarFallbackMain {
  private ScalarFallbackMain() {}

  public static void main(String[] args) {
    System.out.println("enabled=" + VectorSupport.ENABLED);
    float[] x = {-1, 0.5f, 2, -3, 4, 5, -6, 7};
    float[] y = new float[8];
    for (Activation a : Activation.values()) {
      a.apply(x, 0, y, 0, 8, a.defaultAlpha());
      a.applyInPlace(y, 0, 8, 0.1f);
    }
    Softmax.softmax(x, 0, y, 0, 2, 4, 1);
    Softmax.logSoftmax(x, 0, y, 0, 1, 2, 4);
    Norms.channelAffine(x, 0, y, 0, 1, 2, 4, new float[] {1, 2}, null, Activation.RELU, 0f);
    Norms.layerNorm(x, 0, y, 0, 2, 4, null, null, 1e-5f);
    Norms.groupNorm(x, 0, y, 0, 1, 2, 4, 2, null, null, 1e-5f);
    Norms.localResponseNorm(x, 0, y, 0, 1, 2, 4, 2, 1e-4f, 0.75f, 1f);
    Elementwise.add(x, 0, x, 0, y, 0, 8);
    Elementwise.mul(x, 0, x, 0, y, 0, 8);
    Elementwise.mulChannel(x, 0, new float[] {1, 2}, 0, 0, y, 0, 1, 2, 4);
    Pooling.globalAvgPool(x, 0, y, 0, 1, 2, 4);
    Pooling.globalMaxPool(x, 0, y, 0, 1, 2, 4);
    MultiHeadAttention.Weights w = new MultiHeadAttention.Weights(2, 1, new float[12], null, new float[4], null);
    MultiHeadAttention.selfAttention(w, x, 0, 1, 4, true, y, 0, new float[MultiHeadAttention.scratchSize(4, 4, 2)]);
    Recurrent.Weights r = new Recurrent.Weights(2, 1, new float[8], new float[4], null, null);
    Recurrent.lstm(r, x, 0, 1, 4, false, y, 0, 1, new float[1], new float[1], new float[Recurrent.scratchSize(1, 4, 1, 4)]);
    float[] blocked = new float[32];
    float[] out = new float[32];
    Blocked.channelAffine(blocked, 0, out, 0, 1, 3, 2, new float[] {1, 2, 3}, null, Activation.SIGMOID, 0f);
    Pooling.maxPoolBlocked(blocked, 0, out, 0, 1, 16, Pooling.Window.of1d(2, 1, 2, 2, 0, 1));
    Pooling.avgPoolBlocked(blocked, 0, out, 0, 1, 16, Pooling.Window.of1d(2, 1, 2, 2, 0, 1), true);
    Pooling.globalPoolBlocked(blocked, 0, out, 0, 1, 16, 2, false);
    Upsample.bilinearBlocked(blocked, 0, new float[64], 0, 1, 16, 1, 2, 1, 4, false, 0, 2.0);
    System.out.println("ok " + y[0]);
  }
}

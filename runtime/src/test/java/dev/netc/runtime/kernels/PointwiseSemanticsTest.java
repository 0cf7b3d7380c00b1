package dev.netc.runtime.kernels;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;

import org.junit.jupiter.api.Test;

/** Activations, erf, softmax, batch norm, upsampling and RoI rounding at values known exactly. */
class PointwiseSemanticsTest {

  @Test
  void activationValues() {
    assertEquals(6f, Activation.RELU6.apply(7f, 0f));
    assertEquals(0f, Activation.RELU.apply(-3f, 0f));
    assertEquals(-0.2f, Activation.LEAKY_RELU.apply(-2f, 0.1f));
    assertEquals((float) Math.expm1(-1), Activation.ELU.apply(-1f, 1f));
    assertEquals(0.73105858f, Activation.SIGMOID.apply(1f, 0f), 1e-7f);
    assertEquals(0.84134475f, Activation.GELU.apply(1f, 0f), 1e-7f);
    assertEquals(-0.15865526f, Activation.GELU.apply(-1f, 0f), 1e-7f);
    assertEquals(0.73105858f, Activation.SILU.apply(1f, 0f), 1e-7f);
    assertEquals(4f / 6f, Activation.HARDSWISH.apply(1f, 0f), 1e-7f);
    assertEquals(0f, Activation.HARDSIGMOID.apply(-4f, 0f));
    assertEquals(0.5f, Activation.HARDSIGMOID.apply(0f, 0f));
    assertEquals(30f, Activation.SOFTPLUS.apply(30f, 0f));
    assertEquals((float) Math.log(2), Activation.SOFTPLUS.apply(0f, 0f));
    assertEquals(0.01f, Activation.LEAKY_RELU.defaultAlpha());
    assertEquals(1f, Activation.ELU.defaultAlpha());
  }

  @Test
  void erfIsAccurate() {
    assertEquals(0.5204998778130465, SpecialFunctions.erf(0.5), 1e-15);
    assertEquals(-0.9953222650189527, SpecialFunctions.erf(-2), 1e-15);
    assertEquals(0.9999779095030014, SpecialFunctions.erf(3), 1e-15);
    assertEquals(0.0, SpecialFunctions.erf(0), 0.0);
    assertEquals(1.0, SpecialFunctions.erf(10), 0.0);
  }

  @Test
  void softmaxOverTheLastAxis() {
    float[] x = {0f, (float) Math.log(2), 5f, 5f};
    float[] y = new float[4];
    Softmax.softmax(x, 0, y, 0, 2, 2, 1);
    assertArrayEquals(new float[] {1 / 3f, 2 / 3f, 0.5f, 0.5f}, y, 1e-6f);
    Softmax.logSoftmax(x, 0, y, 0, 2, 2, 1);
    assertArrayEquals(new float[] {(float) Math.log(1 / 3.0), (float) Math.log(2 / 3.0), (float) Math.log(0.5),
        (float) Math.log(0.5)}, y, 1e-6f);
    float[] big = {1000f, 1000f};
    Softmax.softmax(big, 0, big, 0, 1, 2, 1);
    assertArrayEquals(new float[] {0.5f, 0.5f}, big, "no overflow: the max is subtracted first");
  }

  @Test
  void batchNormInference() {
    float[] x = {1, 2, 3, 4};
    float[] y = new float[4];
    float[] gamma = {2, 0.5f};
    float[] beta = {1, -1};
    float[] mean = {1, 2};
    float[] var = {4, 0.25f};
    Norms.batchNorm(x, 0, y, 0, 1, 2, 2, gamma, beta, mean, var, 0f);
    assertArrayEquals(new float[] {1, 2, 0, 1}, y, 1e-6f);
    NormsScalar.channelAffine(x, 0, y, 0, 2, 1, 2, new float[] {-1}, null, Activation.RELU, 0f);
    assertArrayEquals(new float[] {0, 0, 0, 0}, y);
  }

  @Test
  void broadcastMultiplyAndAdd() {
    float[] x = {1, 2, 3, 4, 5, 6, 7, 8}; // [2, 2, 2]
    float[] y = new float[8];
    Elementwise.mulChannel(x, 0, new float[] {10, 100, 1000, 10000}, 0, 2, y, 0, 2, 2, 2);
    assertArrayEquals(new float[] {10, 20, 300, 400, 5000, 6000, 70000, 80000}, y);
    Elementwise.addChannel(x, 0, new float[] {-1, 1}, 0, 0, y, 0, 2, 2, 2);
    assertArrayEquals(new float[] {0, 1, 4, 5, 4, 5, 8, 9}, y);
    Elementwise.add(x, 0, new float[] {-5, -5, -5, -5, -5, -5, -5, -5}, 0, y, 0, 8, Activation.RELU, 0f);
    assertArrayEquals(new float[] {0, 0, 0, 0, 0, 1, 2, 3}, y);
  }

  @Test
  void nearestToASize() {
    float[] x = {0, 1, 2, 3, 4};
    float[] y = new float[7];
    Upsample.nearest(x, 0, y, 0, 1, 1, 1, 5, 1, 7, 0, 0);
    assertArrayEquals(new float[] {0, 0, 1, 2, 2, 3, 4}, y);
    float[] z = new float[3];
    Upsample.nearest(x, 0, z, 0, 1, 1, 1, 5, 1, 3, 0, 0);
    assertArrayEquals(new float[] {0, 1, 3}, z, "downsampling: floor(dst * 5/3)");
  }

  @Test
  void bilinearCorners() {
    float[] x = {0, 4};
    float[] aligned = new float[3];
    Upsample.bilinear(x, 0, aligned, 0, 1, 1, 1, 2, 1, 3, true, 0, 0);
    assertArrayEquals(new float[] {0, 2, 4}, aligned);
    float[] half = new float[4];
    Upsample.bilinear(x, 0, half, 0, 1, 1, 1, 2, 1, 4, false, 0, 2.0);
    assertArrayEquals(new float[] {0, 1, 3, 4}, half);
  }

  @Test
  void roiRoundingIsHalfAwayFromZero() {
    assertEquals(3, RoiPool.roundHalfAway(2.5f));
    assertEquals(-3, RoiPool.roundHalfAway(-2.5f));
    assertEquals(2, RoiPool.roundHalfAway(2.49f));
  }

  @Test
  void roiAlignSamplesBilinearly() {
    float[] x = {0, 1, 2, 3}; // 2x2 map
    float[] y = new float[1];
    // one bin, one sample at the box centre (0.5, 0.5) with aligned=False: the mean of the four cells
    RoiAlign.align(x, 0, 1, 1, 2, 2, new float[] {0, 0, 0, 1, 1}, 0, 1, 1, 1, 1f, 1, false, y, 0);
    assertEquals(1.5f, y[0], 1e-6f);
  }
}

package dev.netc.runtime.kernels;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;

import dev.netc.runtime.exec.Executor;
import java.util.Random;
import org.junit.jupiter.api.Test;

/** The epilogue's documented order, its fused form, and BatchNorm folding. */
class EpilogueTest {
  @Test
  void orderIsScaleShiftBiasResidualThenActivation() {
    Epilogue e = Epilogue.NONE.withScaleShift(new float[] {2f}, new float[] {-3f})
        .withBias(new float[] {0.5f}).withResidual(true).withActivation(Activation.RELU6);
    // ((1.5 * 2 - 3) + 0.5) + 4 = 4.5, relu6 -> 4.5; then a value past 6 is clipped
    assertEquals(4.5f, e.apply(1.5f, 0, 4f));
    assertEquals(6f, e.apply(10f, 0, 4f));
    assertEquals(0f, e.apply(-10f, 0, 4f));
    EpilogueParams fused = e.fuse(1, 16);
    assertEquals(4.5f, fused.apply(1.5f, 0, 4f));
    assertEquals(0f, fused.add[5], "padding entries are zero");
  }

  @Test
  void missingPartsAreIdentity() {
    assertEquals(-2.25f, Epilogue.NONE.apply(-2.25f, 3, 100f));
    assertEquals(-2.25f, Epilogue.NONE.fuse(4, 16).apply(-2.25f, 3, 100f));
  }

  @Test
  void shortParameterArraysAreRejectedAtLoadTime() {
    Epilogue e = Epilogue.NONE.withBias(new float[3]);
    assertThrows(IllegalArgumentException.class, () -> e.fuse(4, 16));
  }

  /** Folding BN into weights and bias gives the same layer as BN in the epilogue. */
  @Test
  void foldedBatchNormEqualsUnfolded() {
    Random rnd = new Random(11);
    for (ConvSpec spec : new ConvSpec[] {
        ConvSpec.conv2d(6, 10, 9, 7, 3, 3, 1, 2, 1, 0, 1, 2, 1, 1, 2),
        ConvSpec.convTranspose2d(6, 8, 2, new ConvAxis(5, 3, 2, 1, 1, 1, 1), new ConvAxis(4, 2, 2, 0, 0, 1, 0))}) {
      int oc = spec.outChannels();
      float[] w = EpilogueCases.random(rnd, spec.weightSize());
      float[] bias = EpilogueCases.random(rnd, oc);
      float[] gamma = EpilogueCases.random(rnd, oc);
      float[] beta = EpilogueCases.random(rnd, oc);
      float[] mean = EpilogueCases.random(rnd, oc);
      float[] var = new float[oc];
      for (int c = 0; c < oc; c++) {
        var[c] = 0.1f + rnd.nextFloat();
      }
      float[] x = EpilogueCases.random(rnd, spec.inChannels() * spec.inSpatial());
      float[] unfolded = new float[oc * spec.outSpatial()];
      float[] folded = new float[unfolded.length];
      // unfolded: (conv + bias) then BN = conv*s + ((bias - mean)*s + beta)
      float[] s = ConvBatchNorm.scale(gamma, var, 1e-5f);
      float[] shift = new float[oc];
      for (int c = 0; c < oc; c++) {
        shift[c] = (bias[c] - mean[c]) * s[c] + beta[c];
      }
      ConvReference.run(spec, w, 0, Epilogue.NONE.withScaleShift(s, shift), 1, x, 0, unfolded, 0, null, 0);
      ConvReference.run(spec, ConvBatchNorm.foldWeight(spec, w, 0, s), 0,
          Epilogue.NONE.withBias(ConvBatchNorm.foldBias(bias, beta, mean, s)), 1, x, 0, folded, 0, null, 0);
      EpilogueCases.assertClose(unfolded, 0, folded, 0, folded.length, 1e-5, 1e-5, "folded " + spec);
    }
  }

  @Test
  void linearWeightsFoldRowByRow() {
    float[] w = {1, 2, 3, 4, 5, 6};
    float[] s = {2, -1};
    float[] f = ConvBatchNorm.foldLinearWeight(w, 0, 3, 2, s);
    assertEquals(2f, f[0]);
    assertEquals(6f, f[2]);
    assertEquals(-4f, f[3]);
    assertEquals(-6f, f[5]);
    float[] y = new float[2];
    GemmPlan.linear(3, 2, f, 0, Epilogue.NONE).run(1, new float[] {1, 1, 1}, 0, y, 0, null, 0, Executor.serial());
    assertEquals(12f, y[0]);
    assertEquals(-15f, y[1]);
  }
}

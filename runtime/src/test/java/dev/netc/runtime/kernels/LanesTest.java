package dev.netc.runtime.kernels;

import static org.junit.jupiter.api.Assertions.assertEquals;

import java.util.Random;
import jdk.incubator.vector.FloatVector;
import org.junit.jupiter.api.Test;

/**
 * Lane sums are reproducible: the halving order computed by hand, and the same bits from the first
 * (interpreted) call as after the JIT has compiled the kernels that use them.
 */
class LanesTest {
  @Test
  void sumFollowsTheHalvingOrder() {
    Random rnd = new Random(3);
    int n = FloatVector.SPECIES_PREFERRED.length();
    for (int t = 0; t < 100; t++) {
      float[] x = new float[n];
      for (int i = 0; i < n; i++) x[i] = (float) (rnd.nextGaussian() * Math.pow(10, rnd.nextInt(7) - 3));
      float[] v = x.clone();
      for (int half = n / 2; half >= 1; half /= 2) {
        float[] next = new float[n];
        for (int i = 0; i < n; i++) next[i] = v[i] + v[(i + half) % n];
        v = next;
      }
      assertEquals(Float.floatToRawIntBits(v[0]),
          Float.floatToRawIntBits(Lanes.sum(FloatVector.fromArray(FloatVector.SPECIES_PREFERRED, x, 0))));
    }
  }

  @Test
  void kernelsGiveTheSameBitsBeforeAndAfterCompilation() {
    Random rnd = new Random(11);
    float[] x = new float[49];
    for (int i = 0; i < x.length; i++) x[i] = (float) rnd.nextGaussian();
    float[] logits = new float[37];
    for (int i = 0; i < logits.length; i++) logits[i] = (float) rnd.nextGaussian() * 4;
    float first = ReductionsVector.sum(x, 0, x.length);
    float firstVar = NormsVector.squaredDeviations(x, 0, x.length, 0.25f);
    float[] soft = new float[logits.length];
    SoftmaxVector.softmax(logits, 0, soft, 0, 1, logits.length, 1, false);
    float[] soft2 = new float[logits.length];
    for (int i = 0; i < 200_000; i++) {
      assertEquals(Float.floatToRawIntBits(first), Float.floatToRawIntBits(ReductionsVector.sum(x, 0, x.length)));
      assertEquals(Float.floatToRawIntBits(firstVar),
          Float.floatToRawIntBits(NormsVector.squaredDeviations(x, 0, x.length, 0.25f)));
      SoftmaxVector.softmax(logits, 0, soft2, 0, 1, logits.length, 1, false);
      if (i % 1000 == 0) {
        for (int j = 0; j < soft.length; j++) {
          assertEquals(Float.floatToRawIntBits(soft[j]), Float.floatToRawIntBits(soft2[j]), "softmax lane " + j);
        }
      }
    }
  }
}

package dev.netc.runtime.kernels;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;

import java.util.SplittableRandom;
import org.junit.jupiter.api.Test;

/**
 * Kernels that the compiler's interpreter and the generated code both call (each used to keep its own copy), checked
 * against definitions written out here in the most direct form (double arithmetic, one output at a time), at
 * offsets, in place where the kernel allows it, and on random shapes.
 */
class SharedKernelsTest {
  private static final SplittableRandom RANDOM = new SplittableRandom(20);

  private static float[] random(int n) {
    float[] a = new float[n];
    for (int i = 0; i < n; i++) {
      a[i] = (float) RANDOM.nextDouble(-2, 2);
    }
    return a;
  }

  @Test
  void l2NormDividesByTheNormAcrossChannels() {
    int n = 2;
    int c = 5;
    int sp = 7;
    float[] x = random(3 + n * c * sp);
    float[] w = random(c);
    float eps = 1e-3f;
    for (float[] weight : new float[][] {w, null}) {
      float[] y = new float[1 + n * c * sp];
      Norms.l2Norm(x, 3, y, 1, n, c, sp, weight, eps, new float[sp]);
      for (int b = 0; b < n; b++) {
        for (int p = 0; p < sp; p++) {
          double sum = 0;
          for (int ch = 0; ch < c; ch++) {
            double v = x[3 + (b * c + ch) * sp + p];
            sum += v * v;
          }
          for (int ch = 0; ch < c; ch++) {
            int i = (b * c + ch) * sp + p;
            double expected = x[3 + i] / (Math.sqrt(sum) + eps) * (weight == null ? 1 : weight[ch]);
            assertEquals(expected, y[1 + i], 1e-6 * (1 + Math.abs(expected)), "item " + b + " channel " + ch);
          }
        }
      }
      float[] inPlace = x.clone();
      Norms.l2Norm(inPlace, 3, inPlace, 3, n, c, sp, weight, eps, new float[sp + 4]);
      float[] copy = new float[n * c * sp];
      System.arraycopy(inPlace, 3, copy, 0, copy.length);
      float[] expected = new float[n * c * sp];
      System.arraycopy(y, 1, expected, 0, expected.length);
      assertArrayEquals(expected, copy, "in place, with more work space than needed");
    }
  }
}

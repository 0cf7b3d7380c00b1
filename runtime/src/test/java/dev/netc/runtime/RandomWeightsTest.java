package dev.netc.runtime;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.Arrays;
import org.junit.jupiter.api.Test;

/** The ranges each kind of tensor is drawn from, and that a tensor depends on the seed and its own name only. */
class RandomWeightsTest {

  private static void assertWithin(float[] a, double lo, double hi, String what) {
    for (float v : a) {
      assertTrue(v >= lo && v <= hi, what + ": " + v + " outside [" + lo + ", " + hi + "]");
    }
    double min = a[0];
    double max = a[0];
    for (float v : a) {
      min = Math.min(min, v);
      max = Math.max(max, v);
    }
    assertTrue(min < lo + (hi - lo) / 4 && max > hi - (hi - lo) / 4, what + ": spread over the range");
  }

  @Test
  void eachKindOfTensorHasItsRange() {
    float[] kernel = RandomWeights.tensor(3, "layer1.0.conv1.weight", 16, 4, 3, 3);
    assertEquals(16 * 36, kernel.length);
    assertWithin(kernel, -1 / 6.0, 1 / 6.0, "kernel, fan-in 36");
    assertWithin(RandomWeights.tensor(3, "fc.weight", 10, 100), -0.1, 0.1, "matrix, fan-in 100");
    assertWithin(RandomWeights.tensor(3, "bn.weight", 64), 0.5, 1.5, "norm scale");
    assertWithin(RandomWeights.tensor(3, "bn.bias", 64), -0.1, 0.1, "bias");
    assertWithin(RandomWeights.tensor(3, "bn.running_mean", 64), -0.2, 0.2, "running mean");
    assertWithin(RandomWeights.tensor(3, "bn.running_var", 64), 0.5, 1.5, "running variance");
  }

  @Test
  void theSeedAndTheNameDecide() {
    float[] a = RandomWeights.tensor(7, "a.bias", 32);
    assertArrayEquals(a, RandomWeights.tensor(7, "a.bias", 32));
    assertFalse(Arrays.equals(a, RandomWeights.tensor(8, "a.bias", 32)), "another seed");
    assertFalse(Arrays.equals(a, RandomWeights.tensor(7, "b.bias", 32)), "another name");
  }
}

package dev.netc.runtime;

import java.util.SplittableRandom;

/**
 * Seeded random weights for tests and benchmarks, the same for the compiler's interpreter and for
 * generated models, so that the two can be compared without a weights file. Each tensor is drawn from
 * its own generator, seeded by the seed and the tensor's full name (adding a layer leaves the others
 * unchanged), uniformly: kernels and matrices (rank 2 or more) in ±1/sqrt(fan-in) as PyTorch
 * initializes them, vectors named {@code weight} (norm scales) in [0.5, 1.5), other vectors (biases)
 * in ±0.1, {@code running_mean} in ±0.2, {@code running_var} in [0.5, 1.5), positive.
 */
public final class RandomWeights {
  private RandomWeights() {}

  /** The tensor {@code name} of {@code shape} for {@code seed}, row-major. */
  public static float[] tensor(long seed, String name, int... shape) {
    int n = 1;
    for (int d : shape) {
      n *= d;
    }
    double lo;
    double hi;
    if (name.endsWith("running_var")) {
      lo = 0.5;
      hi = 1.5;
    } else if (name.endsWith("running_mean")) {
      lo = -0.2;
      hi = 0.2;
    } else if (shape.length >= 2) {
      hi = 1 / Math.sqrt(Math.max(1, n / shape[0]));
      lo = -hi;
    } else if (name.endsWith("weight")) {
      lo = 0.5;
      hi = 1.5;
    } else {
      lo = -0.1;
      hi = 0.1;
    }
    SplittableRandom r = new SplittableRandom(seed * 0x9E3779B97F4A7C15L + name.hashCode());
    float[] data = new float[n];
    for (int i = 0; i < n; i++) {
      data[i] = (float) r.nextDouble(lo, hi);
    }
    return data;
  }
}

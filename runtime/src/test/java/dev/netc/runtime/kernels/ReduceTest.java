package dev.netc.runtime.kernels;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;

import org.junit.jupiter.api.Test;

/** Reductions over any axes: values by hand, NaN and ties as PyTorch has them, items apart. */
class ReduceTest {
  /** x[2, 3] = 0 1 2 / 3 4 5. */
  private static final float[] X = {0, 1, 2, 3, 4, 5};

  private static float[] run(Reduce.Kind kind, int[] shape, int[] axes, float[] x, int items, int out) {
    float[] y = new float[out * items];
    Reduce.of(kind, shape, axes).run(items, x, 0, y, 0);
    return y;
  }

  @Test
  void sumsMaximaAndMinimaOverEachAxisAndBoth() {
    int[] s = {2, 3};
    assertArrayEquals(new float[] {3, 5, 7}, run(Reduce.Kind.SUM, s, new int[] {0}, X, 1, 3));
    assertArrayEquals(new float[] {3, 12}, run(Reduce.Kind.SUM, s, new int[] {1}, X, 1, 2));
    assertArrayEquals(new float[] {15}, run(Reduce.Kind.SUM, s, new int[] {0, 1}, X, 1, 1));
    assertArrayEquals(new float[] {2, 5}, run(Reduce.Kind.MAX, s, new int[] {1}, X, 1, 2));
    assertArrayEquals(new float[] {0, 1, 2}, run(Reduce.Kind.MIN, s, new int[] {0}, X, 1, 3));
    assertArrayEquals(new float[] {2, 2}, run(Reduce.Kind.ARGMAX, s, new int[] {1}, X, 1, 2));
    assertArrayEquals(new float[] {1, 1, 1}, run(Reduce.Kind.ARGMAX, s, new int[] {0}, X, 1, 3));
  }

  @Test
  void eachItemIsReducedOnItsOwn() {
    float[] two = {0, 1, 2, 3, 4, 5, 10, 20, 30, 40, 50, 60};
    assertArrayEquals(new float[] {3, 12, 60, 150}, run(Reduce.Kind.SUM, new int[] {2, 3}, new int[] {1}, two, 2, 2));
  }

  @Test
  void middleAxesOfARank3Tensor() {
    // x[2, 2, 2] = 0..7; over axis 1: (0+2, 1+3, 4+6, 5+7); max over (0, 2): max of {0,1,4,5}, {2,3,6,7}.
    float[] x = {0, 1, 2, 3, 4, 5, 6, 7};
    assertArrayEquals(new float[] {2, 4, 10, 12}, run(Reduce.Kind.SUM, new int[] {2, 2, 2}, new int[] {1}, x, 1, 4));
    assertArrayEquals(new float[] {5, 7}, run(Reduce.Kind.MAX, new int[] {2, 2, 2}, new int[] {0, 2}, x, 1, 2));
  }

  @Test
  void nanPropagatesThroughMaxAndMinAndIsTheArgmaxAsInPyTorch() {
    float[] x = {1, Float.NaN, 3, 9, 2, 9};
    int[] s = {2, 3};
    float[] max = run(Reduce.Kind.MAX, s, new int[] {1}, x, 1, 2);
    assertArrayEquals(new float[] {Float.NaN, 9}, max);
    assertArrayEquals(new float[] {Float.NaN, 2}, run(Reduce.Kind.MIN, s, new int[] {1}, x, 1, 2));
    assertArrayEquals(new float[] {1, 0}, run(Reduce.Kind.ARGMAX, s, new int[] {1}, x, 1, 2), "first of tied maxima");
  }

  @Test
  void badAxesAreRefused() {
    assertThrows(IllegalArgumentException.class, () -> Reduce.of(Reduce.Kind.SUM, new int[] {2, 3}, new int[] {2}));
    assertThrows(IllegalArgumentException.class, () -> Reduce.of(Reduce.Kind.SUM, new int[] {2, 3}, new int[] {1, 1}));
    assertThrows(IllegalArgumentException.class, () -> Reduce.of(Reduce.Kind.ARGMAX, new int[] {2, 3}, new int[] {0, 1}));
  }
}

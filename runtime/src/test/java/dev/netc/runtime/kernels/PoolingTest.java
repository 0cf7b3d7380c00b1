package dev.netc.runtime.kernels;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;

import org.junit.jupiter.api.Test;

/** Pooling cases the reference cases do not cover, checked against hand-derived PyTorch results. */
class PoolingTest {

  @Test
  void outputSizeFollowsPyTorchCeilRule() {
    assertEquals(2, Pooling.outputSize(3, 2, 2, 1, 1, true), "last window would start in the right padding");
    assertEquals(2, Pooling.outputSize(3, 2, 2, 1, 1, false));
    assertEquals(3, Pooling.outputSize(5, 2, 2, 0, 1, true));
    assertEquals(2, Pooling.outputSize(5, 2, 2, 0, 1, false));
    assertEquals(56, Pooling.outputSize(112, 3, 2, 1, 1, false));
    assertEquals(4, Pooling.outputSize(10, 3, 2, 1, 2, false));
  }

  @Test
  void dilatedMaxPool1d() {
    float[] x = {1, 2, 3, 4, 5, 6, 7, 8, 9, 10};
    float[] y = new float[4];
    Pooling.maxPool(x, 0, y, 0, 1, 1, Pooling.Window.of1d(10, 4, 3, 2, 1, 2));
    assertArrayEquals(new float[] {4, 6, 8, 10}, y);
  }

  @Test
  void ceilModeAveragesClipTheLastWindow() {
    float[] x = {1, 3, 5, 7, 9};
    float[] y = new float[3];
    Pooling.avgPool(x, 0, y, 0, 1, 1, Pooling.Window.of1d(5, 3, 2, 2, 0, 1), true);
    assertArrayEquals(new float[] {2, 6, 9}, y);
  }

  @Test
  void averageWithAndWithoutPadding() {
    float[] x = {2, 4, 6};
    float[] y = new float[2];
    Pooling.avgPool(x, 0, y, 0, 1, 1, Pooling.Window.of1d(3, 2, 2, 2, 1, 1), true);
    assertArrayEquals(new float[] {1, 5}, y);
    Pooling.avgPool(x, 0, y, 0, 1, 1, Pooling.Window.of1d(3, 2, 2, 2, 1, 1), false);
    assertArrayEquals(new float[] {2, 5}, y);
  }

  @Test
  void maxPool3dAndNaN() {
    float[] x = {1, 8, 3, 4, 5, 6, 7, 2, /* second channel */ 1, Float.NaN, 3, 4, 5, 6, 7, 2};
    float[] y = new float[2];
    Pooling.maxPool(x, 0, y, 0, 1, 2, new Pooling.Window(2, 2, 2, 1, 1, 1, 2, 2, 2, 2, 2, 2, 0, 0, 0, 1, 1, 1));
    assertEquals(8f, y[0]);
    assertEquals(Float.NaN, y[1], "NaN propagates as in PyTorch");
  }

  @Test
  void adaptiveBinsAreUneven() {
    assertArrayEquals(new int[] {0, 1, 3}, new int[] {Pooling.binStart(0, 5, 3), Pooling.binStart(1, 5, 3),
        Pooling.binStart(2, 5, 3)});
    assertArrayEquals(new int[] {2, 4, 5}, new int[] {Pooling.binEnd(0, 5, 3), Pooling.binEnd(1, 5, 3),
        Pooling.binEnd(2, 5, 3)});
    float[] x = {1, 9, 2, 4, 3};
    float[] y = new float[3];
    Pooling.adaptiveMaxPool(x, 0, y, 0, 1, 1, 1, 1, 5, 1, 1, 3);
    assertArrayEquals(new float[] {9, 9, 4}, y);
    Pooling.adaptiveAvgPool(x, 0, y, 0, 1, 1, 1, 1, 5, 1, 1, 3);
    assertArrayEquals(new float[] {5, 5, 3.5f}, y);
  }

  @Test
  void globalPooling() {
    float[] x = {1, 2, 3, 4, -1, -2, -3, -4};
    float[] y = new float[2];
    Pooling.globalAvgPool(x, 0, y, 0, 1, 2, 4);
    assertArrayEquals(new float[] {2.5f, -2.5f}, y);
    Pooling.globalMaxPool(x, 0, y, 0, 2, 1, 4);
    assertArrayEquals(new float[] {4, -1}, y);
  }

  // The expected indices below are PyTorch 1.13's (F.max_pool*d(..., return_indices=True)) for the same inputs.

  @Test
  void indicesTakeTheFirstMaximumOfATie() {
    float[] x = {1, 1, 0, 0, 1, 1, 0, 2, 3, 0, 2, 2, 0, 3, 2, 2};
    float[] idx = new float[4];
    Pooling.maxPoolIndices(x, 0, idx, 0, 1, Pooling.Window.of2d(4, 4, 2, 2, 2, 2, 2, 2, 0, 0, 1, 1));
    assertArrayEquals(new float[] {0, 7, 8, 10}, idx);
  }

  @Test
  void indicesPointAtTheLastNanAndAtTheFirstPositionInsideForMinusInfinity() {
    float nan = Float.NaN, inf = Float.POSITIVE_INFINITY;
    float[] idx = new float[1];
    Pooling.maxPoolIndices(new float[] {1, nan, 5, nan, 2}, 0, idx, 0, 1, Pooling.Window.of1d(5, 1, 5, 5, 0, 1));
    assertArrayEquals(new float[] {3}, idx);
    float[] two = new float[2];
    Pooling.maxPoolIndices(new float[] {-inf, -inf, 3}, 0, two, 0, 1, Pooling.Window.of1d(3, 2, 2, 2, 1, 1));
    assertArrayEquals(new float[] {0, 2}, two);
  }

  @Test
  void indicesOfDilatedPaddedWindowsStartInsideTheInput() {
    float[] idx = new float[3];
    Pooling.maxPoolIndices(new float[7], 0, idx, 0, 1, Pooling.Window.of1d(7, 3, 3, 2, 1, 2));
    assertArrayEquals(new float[] {1, 1, 3}, idx);
  }

  @Test
  void indicesAreWherePoolingFoundItsMaxima() {
    java.util.Random r = new java.util.Random(5);
    Pooling.Window w = new Pooling.Window(5, 7, 6, 2, 3, 3, 2, 3, 2, 2, 2, 2, 0, 1, 1, 1, 1, 2);
    int planes = 3;
    float[] x = new float[planes * 5 * 7 * 6];
    for (int i = 0; i < x.length; i++) x[i] = r.nextInt(3); // few values: many ties
    float[] y = new float[planes * 18];
    float[] idx = new float[planes * 18];
    Pooling.maxPool(x, 0, y, 0, 1, planes, w);
    Pooling.maxPoolIndices(x, 0, idx, 0, planes, w);
    for (int q = 0; q < planes; q++) {
      for (int o = 0; o < 18; o++) {
        assertEquals(y[q * 18 + o], x[q * 210 + (int) idx[q * 18 + o]], "plane " + q + ", output " + o);
      }
    }
  }

  @Test
  void unpoolingScattersIntoZerosAndTheLaterValueWinsAnIndex() {
    float[] y = {9, 9, 9, 9, 9, 9};
    Pooling.maxUnpool(new float[] {10, 20, 30}, 0, new float[] {1, 1, 4}, 0, y, 0, 1, 3, 6, "up");
    assertArrayEquals(new float[] {0, 20, 0, 0, 30, 0}, y);
  }

  @Test
  void unpoolingRefusesAnIndexOutsideThePlane() {
    float[] y = new float[4];
    var e = org.junit.jupiter.api.Assertions.assertThrows(dev.netc.runtime.InputException.class,
        () -> Pooling.maxUnpool(new float[] {1, 2}, 0, new float[] {0, 4}, 0, y, 0, 1, 2, 4, "decoder.up"));
    assertEquals("decoder.up: max_unpool index 4.0 (plane 0, position 1) is not an integer in [0, 4)", e.getMessage());
  }
}

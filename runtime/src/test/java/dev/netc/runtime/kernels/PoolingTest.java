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
}

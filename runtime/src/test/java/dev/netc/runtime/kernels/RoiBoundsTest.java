package dev.netc.runtime.kernels;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTimeoutPreemptively;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.netc.runtime.InputException;
import java.time.Duration;
import java.util.Random;
import org.junit.jupiter.api.Test;

/**
 * RoI ops on hostile boxes: huge boxes finish in bounded time with the full sampling grid's result, non-finite or
 * out-of-range coordinates and bad batch indices are an {@link InputException} naming the layer and the box.
 */
class RoiBoundsTest {
  private static final int C = 2;
  private static final int H = 7;
  private static final int W = 9;

  /** The kernel before its sampling loops were bounded: every sample of the grid, as torchvision loops. */
  private static void naiveAlign(float[] x, int h, int w, float[] rois, int k, int outH, int outW, float scale,
      int sampling, boolean aligned, float[] y) {
    float offset = aligned ? 0.5f : 0f;
    for (int r = 0; r < k; r++) {
      int row = r * 5;
      int b = (int) rois[row];
      float x0 = rois[row + 1] * scale - offset;
      float y0 = rois[row + 2] * scale - offset;
      float roiW = rois[row + 3] * scale - offset - x0;
      float roiH = rois[row + 4] * scale - offset - y0;
      if (!aligned) {
        roiW = Math.max(roiW, 1f);
        roiH = Math.max(roiH, 1f);
      }
      float binH = roiH / outH;
      float binW = roiW / outW;
      int gridH = sampling > 0 ? sampling : (int) Math.ceil(roiH / outH);
      int gridW = sampling > 0 ? sampling : (int) Math.ceil(roiW / outW);
      float count = Math.max(gridH * gridW, 1);
      for (int ch = 0; ch < C; ch++) {
        int plane = (b * C + ch) * h * w;
        int out = (r * C + ch) * outH * outW;
        for (int ph = 0; ph < outH; ph++) {
          for (int pw = 0; pw < outW; pw++) {
            float sum = 0f;
            for (int iy = 0; iy < gridH; iy++) {
              float yy = y0 + ph * binH + (iy + .5f) * binH / gridH;
              for (int ix = 0; ix < gridW; ix++) {
                float xx = x0 + pw * binW + (ix + .5f) * binW / gridW;
                sum += RoiAlign.bilinear(x, plane, h, w, yy, xx);
              }
            }
            y[out + ph * outW + pw] = sum / count;
          }
        }
      }
    }
  }

  private static float[] features(Random rnd, int n) {
    float[] x = new float[n * C * H * W];
    for (int i = 0; i < x.length; i++) x[i] = rnd.nextFloat() * 2 - 1;
    return x;
  }

  /** A coordinate anywhere from far before the map to far beyond it, at magnitudes up to {@code reach}. */
  private static float coordinate(Random rnd, float reach) {
    return switch (rnd.nextInt(4)) {
      case 0 -> rnd.nextFloat() * (W + 2) - 1;
      case 1 -> rnd.nextFloat() * 2 * reach - reach;
      case 2 -> (float) Math.scalb(rnd.nextFloat(), rnd.nextInt(12)) * (rnd.nextBoolean() ? 1 : -1);
      default -> rnd.nextInt(2 * W) - W / 2f;
    };
  }

  @Test
  void boundedSamplingGivesTheFullGridsResultBitForBit() {
    Random rnd = new Random(11);
    int cases = 0;
    for (int t = 0; t < 400; t++) {
      int n = 1 + rnd.nextInt(2);
      float[] x = features(rnd, n);
      int k = 1 + rnd.nextInt(3);
      float[] rois = new float[k * 5];
      for (int r = 0; r < k; r++) {
        rois[r * 5] = rnd.nextInt(n);
        for (int j = 1; j < 5; j++) rois[r * 5 + j] = coordinate(rnd, 600);
      }
      int outH = 1 + rnd.nextInt(4);
      int outW = 1 + rnd.nextInt(4);
      float scale = rnd.nextBoolean() ? 1f : 0.5f + rnd.nextFloat() * 2;
      int sampling = rnd.nextInt(3) == 0 ? 1 + rnd.nextInt(5) : -1;
      boolean aligned = rnd.nextBoolean();
      float[] want = new float[k * C * outH * outW];
      float[] got = new float[want.length];
      naiveAlign(x, H, W, rois, k, outH, outW, scale, sampling, aligned, want);
      RoiAlign.align(x, 0, n, C, H, W, rois, 0, k, outH, outW, scale, sampling, aligned, got, 0, "roi");
      assertArrayEquals(want, got, "case " + t);
      cases++;
    }
    assertEquals(400, cases);
  }

  @Test
  void aMillionPixelBoxTakesBoundedTime() {
    float[] x = new float[C * H * W];
    java.util.Arrays.fill(x, 1f);
    float[] y = new float[C * 16];
    float[] rois = {0, 0, 0, 1e6f, 1e6f};
    // The grid is 250,000² samples per bin (6e10 for the first bin alone) when every sample is visited.
    assertTimeoutPreemptively(Duration.ofSeconds(5), () ->
        RoiAlign.align(x, 0, 1, C, H, W, rois, 0, 1, 4, 4, 1f, -1, false, y, 0, "roi"));
    // Bin (0, 0) holds the map: its samples are 1 apart from 0.5, so 7 x 9 land on the ones (at most h and w), each
    // worth 1; the divisor is the whole grid. The other bins lie beyond the map.
    assertEquals(63f / 6.25e10f, y[0]);
    for (int i = 1; i < 16; i++) assertEquals(0f, y[i]);
  }

  @Test
  void nonFiniteAndOutOfRangeCoordinatesAreTheCallersError() {
    float[] x = new float[C * H * W];
    float[] y = new float[C];
    float[] bad = {Float.POSITIVE_INFINITY, Float.NEGATIVE_INFINITY, Float.NaN, 2e9f};
    for (float v : bad) {
      for (int col = 1; col < 5; col++) {
        float[] rois = {0, 0, 0, 2, 2, 0, 1, 1, 3, 3};
        rois[5 + col] = v;
        InputException e = assertThrows(InputException.class,
            () -> RoiAlign.align(x, 0, 1, C, H, W, rois, 0, 2, 1, 1, 1f, -1, true, y, 0, "head.roi"));
        assertTrue(e.getMessage().startsWith("head.roi: box 1 has " + "xyxy".charAt(col - 1)), e.getMessage());
        assertTrue(e.getMessage().contains(String.valueOf(v)), e.getMessage());
        assertThrows(InputException.class,
            () -> RoiPool.pool(x, 0, 1, C, H, W, rois, 0, 2, 1, 1, 1f, y, 0, "head.pool"));
      }
    }
    // Finite, but beyond 2^30 only once scaled.
    InputException scaled = assertThrows(InputException.class, () -> RoiPool.pool(x, 0, 1, C, H, W,
        new float[] {0, 0, 0, 1e9f, 2}, 0, 1, 1, 1, 4f, y, 0, "p"));
    assertEquals("p: box 0 has x2 = 1.0E9 (× scale 4.0 = 4.0E9), not a finite coordinate within ±2^30",
        scaled.getMessage());
  }

  @Test
  void aBadBatchIndexNamesTheLayerTheBoxAndTheBatch() {
    float[] x = new float[2 * C * H * W];
    float[] y = new float[C];
    for (float b : new float[] {2, -1, 0.5f, Float.NaN, Float.POSITIVE_INFINITY}) {
      InputException e = assertThrows(InputException.class,
          () -> RoiAlign.align(x, 0, 2, C, H, W, new float[] {b, 0, 0, 2, 2}, 0, 1, 1, 1, 1f, 2, false, y, 0, "a"));
      assertEquals("a: box 0 names batch item " + b + ", but the batch has 2 items (0..1)", e.getMessage());
      assertThrows(InputException.class,
          () -> RoiPool.pool(x, 0, 2, C, H, W, new float[] {b, 0, 0, 2, 2}, 0, 1, 1, 1, 1f, y, 0, "a"));
    }
  }

  @Test
  void roiPoolOfAHugeBoxIsTheMaximumOfTheClippedMap() {
    Random rnd = new Random(3);
    float[] x = features(rnd, 1);
    float[] y = new float[C];
    // Its size (2e9 + 1 cells) overflows an int.
    RoiPool.pool(x, 0, 1, C, H, W, new float[] {0, -1e9f, -1e9f, 1e9f, 1e9f}, 0, 1, 1, 1, 1f, y, 0, "p");
    for (int ch = 0; ch < C; ch++) {
      float max = -Float.MAX_VALUE;
      for (int i = 0; i < H * W; i++) max = Math.max(max, x[ch * H * W + i]);
      assertEquals(max, y[ch]);
    }
  }
}

package dev.netc.samples.classifier;

import static org.junit.jupiter.api.Assertions.assertEquals;

import java.awt.image.BufferedImage;
import org.junit.jupiter.api.Test;

/** torchvision's evaluation transform: resize the shorter side to 256, center-crop 224, scale and normalize. */
class PreprocessTest {
  private static BufferedImage image(int w, int h, java.util.function.IntBinaryOperator rgbAt) {
    BufferedImage img = new BufferedImage(w, h, BufferedImage.TYPE_INT_RGB);
    for (int y = 0; y < h; y++) for (int x = 0; x < w; x++) img.setRGB(x, y, rgbAt.applyAsInt(x, y));
    return img;
  }

  private static float normalized(int value, int channel) {
    return (value / 255f - Preprocess.MEAN[channel]) / Preprocess.STD[channel];
  }

  @Test
  void aShorterSideOf256IsOnlyCroppedAtTheCenter() {
    // 256 wide, 301 high: no resize; the crop starts at round(32 / 2) = 16 across and round(77 / 2) = 38 down
    // (38.5 rounds half to even, as Python's round does).
    BufferedImage img = image(256, 301, (x, y) -> (x << 16) | ((y % 256) << 8) | ((x + y) & 0xFF));
    float[] t = Preprocess.imageNet(img);
    int plane = 224 * 224;
    for (int y : new int[] {0, 1, 100, 223}) {
      for (int x : new int[] {0, 5, 223}) {
        int sx = x + 16, sy = y + 38;
        assertEquals(normalized(sx, 0), t[y * 224 + x], 1e-6f, "red at " + x + "," + y);
        assertEquals(normalized(sy % 256, 1), t[plane + y * 224 + x], 1e-6f, "green");
        assertEquals(normalized((sx + sy) & 0xFF, 2), t[2 * plane + y * 224 + x], 1e-6f, "blue");
      }
    }
  }

  @Test
  void aUniformPictureStaysUniformAtAnySize() {
    for (int[] size : new int[][] {{640, 480}, {100, 333}, {224, 224}, {1000, 257}}) {
      float[] t = Preprocess.imageNet(image(size[0], size[1], (x, y) -> 0x4080C0));
      for (int i = 0; i < t.length; i++) {
        int c = i / (224 * 224);
        assertEquals(normalized(new int[] {0x40, 0x80, 0xC0}[c], c), t[i], 1e-5f, size[0] + "x" + size[1] + " at " + i);
      }
    }
  }

  @Test
  void halvingARampAveragesPixelPairsAwayFromTheEdges() {
    // Shrinking 2:1 with the widened triangle filter weighs the two pixels under an output pixel 3/8 each and
    // their outer neighbours 1/8 each, so a linear ramp v(x) = x gives the mean of the pair, 2i + 0.5.
    int w = 64;
    float[] ramp = new float[w];
    for (int x = 0; x < w; x++) ramp[x] = x;
    float[] half = Resample.bilinear(ramp, 1, w, 1, w / 2);
    for (int i = 1; i < w / 2 - 1; i++) assertEquals(2 * i + 0.5f, half[i], 1e-4f, "output " + i);
  }

  @Test
  void enlargingInterpolatesBetweenNeighbours() {
    // 2 -> 4 pixels: output centres at input coordinates 0.25, 0.75, 1.25, 1.75 (in pixel-centre terms
    // -0.25, 0.25, 0.75, 1.25): the edges clamp, the middle two mix 3:1.
    float[] up = Resample.bilinear(new float[] {0, 4}, 1, 2, 1, 4);
    assertEquals(0f, up[0], 1e-6f);
    assertEquals(1f, up[1], 1e-6f);
    assertEquals(3f, up[2], 1e-6f);
    assertEquals(4f, up[3], 1e-6f);
  }
}

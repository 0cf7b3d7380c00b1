package dev.netc.samples.classifier;

import java.awt.image.BufferedImage;

/**
 * The ImageNet evaluation transform of torchvision, on a {@link BufferedImage}:
 * {@code Resize(256)} (shorter side to 256, bilinear, antialiased), {@code CenterCrop(224)}, {@code ToTensor()}
 * (RGB in [0, 1]) and {@code Normalize(mean=[0.485, 0.456, 0.406], std=[0.229, 0.224, 0.225])}.
 * The result is one image of the network's input, {@code [3, 224, 224]} in channel-major (CHW) order.
 */
public final class Preprocess {
  static final int RESIZE = 256;
  static final int CROP = 224;
  static final float[] MEAN = {0.485f, 0.456f, 0.406f};
  static final float[] STD = {0.229f, 0.224f, 0.225f};

  private Preprocess() {}

  /** The normalized {@code [3, 224, 224]} tensor of an image of any size (at least 1 x 1; alpha is ignored). */
  public static float[] imageNet(BufferedImage image) {
    int h = image.getHeight();
    int w = image.getWidth();
    float[][] rgb = planes(image);
    // torchvision: the shorter side becomes 256, the longer one int(256 * long / short).
    int outH = h <= w ? RESIZE : (int) ((long) RESIZE * h / w);
    int outW = h <= w ? (int) ((long) RESIZE * w / h) : RESIZE;
    float[] out = new float[3 * CROP * CROP];
    for (int c = 0; c < 3; c++) {
      float[] resized = h == outH && w == outW ? rgb[c] : Resample.bilinear(rgb[c], h, w, outH, outW);
      cropAndNormalize(resized, outH, outW, c, out);
    }
    return out;
  }

  /** The image as three planes of 8-bit values (0..255) in floats, in sRGB as {@link BufferedImage#getRGB} gives. */
  static float[][] planes(BufferedImage image) {
    int h = image.getHeight();
    int w = image.getWidth();
    int[] argb = image.getRGB(0, 0, w, h, null, 0, w);
    float[][] rgb = new float[3][h * w];
    for (int i = 0; i < argb.length; i++) {
      rgb[0][i] = (argb[i] >> 16) & 0xFF;
      rgb[1][i] = (argb[i] >> 8) & 0xFF;
      rgb[2][i] = argb[i] & 0xFF;
    }
    return rgb;
  }

  /** The centered 224 x 224 window of one channel, scaled to [0, 1] and normalized, into {@code out}. */
  static void cropAndNormalize(float[] plane, int h, int w, int channel, float[] out) {
    // torchvision rounds the offset with Python's round (half to even), as Math.rint does.
    int top = (int) Math.rint((h - CROP) / 2.0);
    int left = (int) Math.rint((w - CROP) / 2.0);
    float mean = MEAN[channel];
    float std = STD[channel];
    int base = channel * CROP * CROP;
    for (int y = 0; y < CROP; y++) {
      for (int x = 0; x < CROP; x++) {
        float v = Math.clamp(plane[(top + y) * w + left + x], 0f, 255f) / 255f;
        out[base + y * CROP + x] = (v - mean) / std;
      }
    }
  }
}

package dev.netc.samples.sparkbatch;

/**
 * How an 8-bit grey image becomes LeNet-5's input: {@code byte * SCALE + SHIFT}, that is {@code (byte / 255 - mean)
 * / std} with MNIST's mean and standard deviation. The Spark job and the single-process loop both use it.
 */
public final class Pixels {
  /** MNIST's pixel mean, on [0, 1]. */
  public static final float MEAN = 0.1307f;

  /** MNIST's pixel standard deviation, on [0, 1]. */
  public static final float STD = 0.3081f;

  /** What each byte is multiplied by. */
  public static final float SCALE = 1f / (255f * STD);

  /** What is then added. */
  public static final float SHIFT = -MEAN / STD;

  private Pixels() {}

  /** Writes {@code pixels} as floats into {@code dst} from {@code offset}. */
  public static void toFloats(byte[] pixels, float[] dst, int offset) {
    for (int i = 0; i < pixels.length; i++) dst[offset + i] = (pixels[i] & 0xFF) * SCALE + SHIFT;
  }
}

package dev.netc.samples.sparkbatch;

import java.util.Random;

/**
 * The sample's input: 32 x 32 grey images, one byte per pixel, made from nothing but their id (so any row can be
 * made again to check it): a noisy dark background and one bright rectangle or disc of random size and place.
 */
public final class SyntheticImages {
  /** Image side, in pixels: LeNet-5's 32 x 32 input. */
  public static final int SIDE = 32;

  /** Bytes per image. */
  public static final int SIZE = SIDE * SIDE;

  private SyntheticImages() {}

  /** The pixels of image {@code id}, row after row. */
  public static byte[] pixels(long id) {
    Random r = new Random(0x5EED_1A6EL ^ (id * 0x9E3779B97F4A7C15L));
    byte[] px = new byte[SIZE];
    for (int i = 0; i < SIZE; i++) px[i] = (byte) r.nextInt(40);
    int w = 6 + r.nextInt(14);
    int h = 6 + r.nextInt(14);
    int x0 = r.nextInt(SIDE - w);
    int y0 = r.nextInt(SIDE - h);
    int level = 150 + r.nextInt(106);
    boolean disc = r.nextBoolean();
    for (int y = y0; y < y0 + h; y++) {
      for (int x = x0; x < x0 + w; x++) {
        double dx = (x - x0 + 0.5) / w - 0.5;
        double dy = (y - y0 + 0.5) / h - 0.5;
        if (!disc || dx * dx + dy * dy <= 0.25) px[y * SIDE + x] = (byte) (level - r.nextInt(20));
      }
    }
    return px;
  }

  /** Whether row {@code id} of {@code rows} is made malformed when {@code malformed} rows are asked for. */
  public static boolean isMalformed(long id, long rows, int malformed) {
    if (malformed <= 0) return false;
    long step = Math.max(1, rows / malformed);
    return id % step == step / 2 && id / step < malformed;
  }

  /** A malformed row's pixels: by turns cut short (1,000 bytes) or missing (null). */
  public static byte[] malformedPixels(long id) {
    return (id & 1) == 0 ? new byte[1000] : null;
  }
}

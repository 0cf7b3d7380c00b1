package dev.netc.samples.budget;

import java.io.IOException;
import java.nio.file.Path;

/**
 * Classifies a 64x64 RGB thumbnail with {@link ThumbNet}, the class the netc plugin generated from
 * {@code src/main/net/dev/netc/samples/budget/thumbnet.net}. With a safetensors file as the first argument it
 * loads those weights; without one it uses seeded random weights, which is enough to show the call.
 */
public final class Thumbnails {
  private Thumbnails() {}

  /** The index of the largest score. */
  public static int classify(ThumbNet model, float[] image) {
    try (ThumbNet.Session session = model.newSession(1)) {
      float[] scores = session.forward(image);
      int best = 0;
      for (int i = 1; i < scores.length; i++) if (scores[i] > scores[best]) best = i;
      return best;
    }
  }

  /** A smooth test pattern in NCHW order, values in [0, 1]. */
  public static float[] pattern() {
    float[] image = new float[3 * 64 * 64];
    for (int c = 0; c < 3; c++) {
      for (int y = 0; y < 64; y++) {
        for (int x = 0; x < 64; x++) image[(c * 64 + y) * 64 + x] = (float) (0.5 + 0.5 * Math.sin((x + 2 * y) / (4.0 + c)));
      }
    }
    return image;
  }

  public static void main(String[] args) throws IOException {
    ThumbNet model = args.length > 0 ? ThumbNet.load(Path.of(args[0])) : ThumbNet.randomWeights(42);
    System.out.println("class " + classify(model, pattern()) + " (" + ThumbNet.MACS + " MACs per image)");
  }
}

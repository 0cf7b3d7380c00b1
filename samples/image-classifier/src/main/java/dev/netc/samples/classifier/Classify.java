package dev.netc.samples.classifier;

import dev.netc.samples.classifier.model.MobilenetV2;
import java.awt.image.BufferedImage;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import javax.imageio.ImageIO;

/**
 * Prints the top-5 ImageNet classes of each picture (PNG, JPEG, anything {@link ImageIO} reads):
 * {@code Classify (--weights W.safetensors | --random-weights SEED) IMAGE...}.
 *
 * <p>{@link MobilenetV2} is generated at build time from {@code stdlib-models/mobilenet_v2.net}; its weights have
 * torchvision's names, so a state_dict saved as safetensors loads unchanged (see README.md).
 */
public final class Classify {
  private Classify() {}

  public static void main(String[] args) throws IOException {
    Options o = Options.parse(args);
    if (o == null) {
      System.err.println("usage: Classify (--weights W.safetensors | --random-weights SEED) IMAGE...");
      System.exit(2);
    }
    MobilenetV2 model = o.weights() != null ? MobilenetV2.load(o.weights()) : MobilenetV2.randomWeights(o.seed());
    try (MobilenetV2.Session session = model.newSession(1)) {
      for (Path image : o.images()) {
        float[] input = Preprocess.imageNet(read(image));
        long start = System.nanoTime();
        float[] logits = session.forward(input);
        long micros = (System.nanoTime() - start) / 1000;
        System.out.printf("%s (%d.%03d ms)%n", image, micros / 1000, micros % 1000);
        int rank = 1;
        for (Prediction p : Prediction.topK(logits, 5)) {
          System.out.printf("  %d. %6.2f%%  %s (%d)%n", rank++, 100 * p.probability(), p.name(), p.index());
        }
      }
    }
  }

  static BufferedImage read(Path file) throws IOException {
    if (!Files.isRegularFile(file)) throw new IOException("no such image: " + file);
    BufferedImage image = ImageIO.read(file.toFile());
    if (image == null) throw new IOException("not an image ImageIO can read (PNG, JPEG, GIF, BMP): " + file);
    return image;
  }

  /** The command line: a weights file or a seed, and the pictures. */
  record Options(Path weights, long seed, List<Path> images) {
    static Options parse(String[] args) {
      Path weights = null;
      Long seed = null;
      List<Path> images = new ArrayList<>();
      for (int i = 0; i < args.length; i++) {
        switch (args[i]) {
          case "--weights" -> { if (++i < args.length) weights = Path.of(args[i]); else return null; }
          case "--random-weights" -> {
            if (++i >= args.length || !args[i].matches("-?\\d{1,18}")) return null;
            seed = Long.parseLong(args[i]);
          }
          default -> images.add(Path.of(args[i]));
        }
      }
      if ((weights == null) == (seed == null) || images.isEmpty()) return null;
      return new Options(weights, seed == null ? 0 : seed, List.copyOf(images));
    }
  }
}

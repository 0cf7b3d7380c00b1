package dev.netc.samples.classifier;

import java.io.BufferedReader;
import java.io.IOException;
import java.io.InputStream;
import java.io.InputStreamReader;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.util.List;

/**
 * The 1000 ImageNet-1k class names in the order of torchvision's classifiers' outputs (index 0 "tench" to 999
 * "toilet tissue"), one per line in the resource {@code imagenet_classes.txt}. Two names occur twice ("crane" the
 * bird and the machine, "maillot" twice), as in the dataset itself.
 */
public final class ImageNetClasses {
  public static final int COUNT = 1000;
  private static final List<String> NAMES = load();

  private ImageNetClasses() {}

  /** The name of class {@code index} (0..999). */
  public static String name(int index) { return NAMES.get(index); }

  private static List<String> load() {
    try (InputStream in = ImageNetClasses.class.getResourceAsStream("imagenet_classes.txt")) {
      if (in == null) throw new IllegalStateException("imagenet_classes.txt is missing from the classpath");
      List<String> names = new BufferedReader(new InputStreamReader(in, StandardCharsets.UTF_8)).lines()
          .filter(l -> !l.isBlank()).toList();
      if (names.size() != COUNT) throw new IllegalStateException("imagenet_classes.txt has " + names.size() + " names, not 1000");
      return names;
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
  }
}

package dev.netc.onnx;

import java.nio.file.Files;
import java.nio.file.Path;

/** The repository root and the reference data committed in it ({@code test-suite/reference}). */
final class Repo {
  private Repo() {}

  static Path root() {
    String prop = System.getProperty("netc.root");
    if (prop != null && !prop.isBlank() && Files.isDirectory(Path.of(prop, "stdlib-models"))) return Path.of(prop);
    Path p = Path.of("").toAbsolutePath();
    while (p != null && !Files.isDirectory(p.resolve("stdlib-models"))) p = p.getParent();
    if (p == null) throw new IllegalStateException("cannot find the repository root from " + Path.of("").toAbsolutePath());
    return p;
  }

  static Path reference() { return root().resolve("test-suite/reference"); }

  /** The .net sources of the reference cases. */
  static Path referenceNets() { return root().resolve("test-suite/src/test/resources/reference"); }

  /** The ONNX files made by {@code src/test/python/make_onnx.py} from PyTorch, with their inputs and outputs. */
  static Path pytorchExports() { return root().resolve("onnx/src/test/resources/pytorch"); }
}

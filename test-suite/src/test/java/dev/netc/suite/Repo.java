package dev.netc.suite;

import java.nio.file.Files;
import java.nio.file.Path;

/** Locates the repository root and the PyTorch reference data kept in it ({@code test-suite/reference}). */
public final class Repo {
  private Repo() {}

  public static Path root() {
    String prop = System.getProperty("netc.root");
    if (prop != null && !prop.isBlank() && Files.isDirectory(Path.of(prop, "stdlib-models"))) return Path.of(prop);
    Path p = Path.of("").toAbsolutePath();
    while (p != null && !Files.isDirectory(p.resolve("stdlib-models"))) p = p.getParent();
    if (p == null) throw new IllegalStateException("cannot find the repository root from " + Path.of("").toAbsolutePath());
    return p;
  }

  /** {@code test-suite/reference} under the repository root: made by {@code generate.py} there, committed. */
  public static Path reference() {
    Path r = root().resolve("test-suite").resolve("reference");
    if (!Files.isDirectory(r)) throw new IllegalStateException("PyTorch reference data not found at " + r);
    return r;
  }

  public static boolean update() { return Boolean.parseBoolean(System.getProperty("netc.update", "false")); }

  public static Path resources() { return root().resolve("test-suite/src/test/resources"); }
}

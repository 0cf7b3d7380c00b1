package dev.netc.samples.classifier;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Optional;

/**
 * Finds the PyTorch reference models of the Netc repository ({@code test-suite/reference/models}): under
 * {@code -Dnetc.root=REPO} if given, else by walking up from the working directory to the repository root.
 * Absent when the sample is copied out of the repository on its own; tests that need it are then skipped.
 */
final class ReferenceData {
  private ReferenceData() {}

  static Optional<Path> models() {
    String root = System.getProperty("netc.root");
    if (root != null) return existing(Path.of(root).toAbsolutePath());
    for (Path p = Path.of("").toAbsolutePath(); p != null; p = p.getParent()) {
      Optional<Path> found = existing(p);
      if (found.isPresent()) return found;
    }
    return Optional.empty();
  }

  private static Optional<Path> existing(Path repo) {
    if (repo == null) return Optional.empty();
    Path models = repo.resolve("test-suite/reference/models");
    return Files.isDirectory(models) ? Optional.of(models) : Optional.empty();
  }
}

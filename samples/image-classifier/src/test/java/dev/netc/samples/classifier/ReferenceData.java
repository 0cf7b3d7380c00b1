package dev.netc.samples.classifier;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Optional;

/**
 * Finds the PyTorch reference models ({@code shared/reference/models}) that sit beside the repository: from
 * {@code -Dnetc.root=REPO} if given, else by walking up from the working directory to a folder that holds
 * {@code shared/reference}. Absent outside the development setup; tests that need it are then skipped.
 */
final class ReferenceData {
  private ReferenceData() {}

  static Optional<Path> models() {
    String root = System.getProperty("netc.root");
    if (root != null) return existing(Path.of(root).toAbsolutePath().getParent());
    for (Path p = Path.of("").toAbsolutePath(); p != null; p = p.getParent()) {
      Optional<Path> found = existing(p);
      if (found.isPresent()) return found;
    }
    return Optional.empty();
  }

  private static Optional<Path> existing(Path parent) {
    if (parent == null) return Optional.empty();
    Path models = parent.resolve("shared/reference/models");
    return Files.isDirectory(models) ? Optional.of(models) : Optional.empty();
  }
}

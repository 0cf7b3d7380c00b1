package dev.netc.maven;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.stream.Stream;

/**
 * The {@code .net} inputs of a build: regular files under the source folder that match an include pattern and
 * no exclude pattern, as paths relative to the source folder, sorted so that every build sees them in one order.
 * A missing source folder has no inputs.
 */
record SourceScan(Path root, List<AntPattern> includes, List<AntPattern> excludes) {
  static final List<String> DEFAULT_INCLUDES = List.of("**/*.net");

  static SourceScan of(Path root, List<String> includes, List<String> excludes) {
    List<String> inc = includes == null || includes.isEmpty() ? DEFAULT_INCLUDES : includes;
    List<String> exc = excludes == null ? List.of() : excludes;
    return new SourceScan(root, inc.stream().map(AntPattern::of).toList(), exc.stream().map(AntPattern::of).toList());
  }

  /** The matching files, relative to {@link #root}, in sorted order. */
  List<Path> files() {
    if (!Files.isDirectory(root)) return List.of();
    try (Stream<Path> walk = Files.walk(root)) {
      return walk.filter(Files::isRegularFile).map(root::relativize).filter(this::selected).sorted().toList();
    } catch (IOException e) {
      throw new UncheckedIOException("cannot list " + root + ": " + e.getMessage(), e);
    }
  }

  boolean selected(Path relative) {
    String p = slashed(relative);
    return includes.stream().anyMatch(a -> a.matches(p)) && excludes.stream().noneMatch(a -> a.matches(p));
  }

  /** {@code a/b/c.net} on every platform. */
  static String slashed(Path relative) { return relative.toString().replace(relative.getFileSystem().getSeparator(), "/"); }
}

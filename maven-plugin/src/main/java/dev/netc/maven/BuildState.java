package dev.netc.maven;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;

/**
 * What the last {@code generate} run produced, kept in {@code target/netc/generate.state} so the next run
 * recompiles only what changed. For each input (a {@code .net} path relative to the source folder): the SHA-256 of
 * its text, the SHA-256 of every file it imports (transitively, by absolute path), and the Java files it wrote.
 * The {@code fingerprint} covers everything else an output depends on (compiler and plugin jars, package and
 * output settings): a different fingerprint invalidates every entry.
 *
 * <p>The file is line-oriented text (paths last on their line, so they may hold spaces); a file that cannot be
 * read or has another format version reads as an empty state, which only costs a full rebuild.
 */
record BuildState(String fingerprint, Map<String, Entry> entries) {
  private static final String HEADER = "netc-generate-state 1";

  BuildState {
    entries = java.util.Collections.unmodifiableSortedMap(new TreeMap<>(entries));
  }

  /** One input and what it produced; {@code outputs} is empty for a file of blocks only. */
  record Entry(String input, String sha256, Map<Path, String> imports, List<Path> outputs) {
    Entry {
      imports = java.util.Collections.unmodifiableMap(new LinkedHashMap<>(imports));
      outputs = List.copyOf(outputs);
    }
  }

  static BuildState empty(String fingerprint) { return new BuildState(fingerprint, Map.of()); }

  static BuildState load(Path file) {
    if (!Files.isRegularFile(file)) return empty("");
    try {
      return parse(Files.readAllLines(file));
    } catch (IOException | RuntimeException e) {
      return empty("");
    }
  }

  static BuildState parse(List<String> lines) {
    if (lines.isEmpty() || !lines.getFirst().equals(HEADER)) return empty("");
    String fingerprint = "";
    Map<String, Entry> entries = new TreeMap<>();
    EntryBuilder current = null;
    for (String line : lines.subList(1, lines.size())) {
      String[] f = line.strip().split(" ", 3);
      switch (f[0]) {
        case "fingerprint" -> fingerprint = f[1];
        case "input" -> {
          if (current != null) entries.put(current.input, current.build());
          current = new EntryBuilder(f[2], f[1]);
        }
        case "import" -> current.imports.put(Path.of(f[2]), f[1]);
        case "output" -> current.outputs.add(Path.of(line.strip().substring("output ".length())));
        default -> throw new IllegalArgumentException("unknown line: " + line);
      }
    }
    if (current != null) entries.put(current.input, current.build());
    return new BuildState(fingerprint, entries);
  }

  /** An entry while its lines are read. */
  private static final class EntryBuilder {
    final String input;
    final String sha256;
    final Map<Path, String> imports = new LinkedHashMap<>();
    final List<Path> outputs = new ArrayList<>();

    EntryBuilder(String input, String sha256) {
      this.input = input;
      this.sha256 = sha256;
    }

    Entry build() { return new Entry(input, sha256, imports, outputs); }
  }

  String render() {
    StringBuilder b = new StringBuilder(HEADER).append('\n');
    b.append("fingerprint ").append(fingerprint).append('\n');
    for (Entry e : entries.values()) {
      b.append("input ").append(e.sha256()).append(' ').append(e.input()).append('\n');
      e.imports().forEach((p, sha) -> b.append("  import ").append(sha).append(' ').append(p).append('\n'));
      e.outputs().forEach(p -> b.append("  output ").append(p).append('\n'));
    }
    return b.toString();
  }

  /** Writes the state through a temporary file, so an interrupted build never leaves half a state behind. */
  void save(Path file) {
    try {
      Files.createDirectories(file.getParent());
      Path tmp = file.resolveSibling(file.getFileName() + ".tmp");
      Files.writeString(tmp, render());
      Files.move(tmp, file, StandardCopyOption.REPLACE_EXISTING, StandardCopyOption.ATOMIC_MOVE);
    } catch (IOException e) {
      throw new UncheckedIOException("cannot write " + file + ": " + e.getMessage(), e);
    }
  }
}

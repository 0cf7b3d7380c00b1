package dev.netc.lsp;

import java.io.IOException;
import java.net.URI;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.FileTime;
import java.util.ArrayDeque;
import java.util.ArrayList;
import java.util.Deque;
import java.util.HashSet;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;

/**
 * The texts the server knows: documents open in the editor (their unsaved text wins) and files read from disk
 * for what they import, indexed once per modification. Thread-safe.
 */
final class Workspace {
  private final Map<Path, Doc> open = new ConcurrentHashMap<>();
  private final Map<Path, Cached> disk = new ConcurrentHashMap<>();

  /** One open document at one version, with its index made on first use. */
  static final class Doc {
    final String uri;
    final Path path;
    final int version;
    final String text;
    private FileIndex index;

    Doc(String uri, Path path, int version, String text) {
      this.uri = uri;
      this.path = path;
      this.version = version;
      this.text = text;
    }

    synchronized FileIndex index() {
      if (index == null) index = new FileIndex(path, text);
      return index;
    }
  }

  private record Cached(FileTime modified, long size, FileIndex index) {}

  /** The file path an editor URI stands for; a URI that is not a file (an unsaved buffer) gets a path of its own. */
  static Path path(String uri) {
    if (uri == null) throw new IllegalArgumentException("textDocument.uri is missing");
    try {
      URI u = URI.create(uri);
      if ("file".equals(u.getScheme())) return Path.of(u).toAbsolutePath().normalize();
    } catch (IllegalArgumentException | java.nio.file.FileSystemNotFoundException e) {
      // falls through: not a file URI
    }
    String name = uri.replaceAll("[^A-Za-z0-9._-]", "_");
    return Path.of(System.getProperty("java.io.tmpdir"), "netc-unsaved", name.endsWith(".net") ? name : name + ".net")
        .toAbsolutePath().normalize();
  }

  static String uri(Path path) { return path.toAbsolutePath().normalize().toUri().toString(); }

  Doc put(String uri, int version, String text) {
    Path p = path(uri);
    Doc d = new Doc(uri, p, version, text);
    open.put(p, d);
    return d;
  }

  Doc get(String uri) { return open.get(path(uri)); }

  Doc remove(String uri) { return open.remove(path(uri)); }

  List<Doc> openDocs() { return new ArrayList<>(open.values()); }

  /** The open document at {@code path}, or null. */
  Doc openAt(Path path) { return open.get(path.toAbsolutePath().normalize()); }

  /** The index of a file: the editor's text if it is open, else the file on disk (null if it cannot be read). */
  FileIndex index(Path path) {
    Path p = path.toAbsolutePath().normalize();
    Doc d = open.get(p);
    if (d != null) return d.index();
    try {
      FileTime modified = Files.getLastModifiedTime(p);
      long size = Files.size(p);
      Cached c = disk.get(p);
      if (c != null && c.modified().equals(modified) && c.size() == size) return c.index();
      if (!Files.isRegularFile(p) || size > 16L << 20) return null;
      FileIndex idx = new FileIndex(p, Files.readString(p, StandardCharsets.UTF_8));
      disk.put(p, new Cached(modified, size, idx));
      return idx;
    } catch (IOException | RuntimeException e) {
      return null;
    }
  }

  /** A file and everything it imports, transitively, each once, the file itself first. */
  List<FileIndex> closure(FileIndex root) {
    Map<Path, FileIndex> seen = new LinkedHashMap<>();
    Deque<FileIndex> todo = new ArrayDeque<>();
    seen.put(root.path(), root);
    todo.add(root);
    Set<Path> missing = new HashSet<>();
    while (!todo.isEmpty()) {
      FileIndex f = todo.poll();
      for (FileIndex.ImportRef imp : f.imports()) {
        Path t = imp.target().toAbsolutePath().normalize();
        if (seen.containsKey(t) || missing.contains(t)) continue;
        FileIndex idx = index(t);
        if (idx == null) {
          missing.add(t);
          continue;
        }
        seen.put(t, idx);
        todo.add(idx);
      }
    }
    return new ArrayList<>(seen.values());
  }
}

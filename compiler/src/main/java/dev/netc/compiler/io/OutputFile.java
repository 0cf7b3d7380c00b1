package dev.netc.compiler.io;

import java.io.IOException;
import java.io.OutputStream;
import java.nio.ByteBuffer;
import java.nio.channels.FileChannel;
import java.nio.charset.StandardCharsets;
import java.nio.file.AccessDeniedException;
import java.nio.file.AtomicMoveNotSupportedException;
import java.nio.file.DirectoryStream;
import java.nio.file.FileAlreadyExistsException;
import java.nio.file.Files;
import java.nio.file.LinkOption;
import java.nio.file.NoSuchFileException;
import java.nio.file.NotDirectoryException;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.nio.file.StandardOpenOption;
import java.nio.file.attribute.PosixFileAttributeView;
import java.nio.file.attribute.PosixFilePermission;
import java.util.Set;
import java.util.concurrent.ThreadLocalRandom;

/**
 * Writes an output file so that it is never seen half-written: the bytes go to a hidden temporary file in the same
 * folder, are forced to disk, and replace the target by an atomic rename. A process killed at any moment leaves
 * either the old file or the new one, never a truncated one.
 *
 * <p>What the target was stays what it was: a symlink is followed (the file it points to is replaced, the link
 * kept), the permissions of an existing file are kept (a new file gets the process's default, not 0600), a
 * read-only file is refused rather than replaced, and a file with several hard links is rewritten in place after
 * the new content is safely on disk beside it (a rename would split the links). Temporary files left by a
 * process that was killed are removed by the next write of the same target.
 */
public final class OutputFile {
  private static final String TEMP_SUFFIX = ".netc-tmp";
  /** The longest file name most file systems take (ext4, xfs, btrfs, tmpfs: 255 bytes). */
  static final int MAX_NAME_BYTES = 255;
  /** A temporary name beyond the target's: two dots, a pid of up to 10 digits, a dash, 8 hex digits, the suffix. */
  private static final int TEMP_EXTRA_BYTES = 2 + 10 + 1 + 8 + TEMP_SUFFIX.length();

  private OutputFile() {}

  /** Writes {@code text} as UTF-8. */
  public static void writeString(Path target, String text) throws IOException {
    write(target, text.getBytes(StandardCharsets.UTF_8));
  }

  /** Writes {@code bytes}. */
  public static void write(Path target, byte[] bytes) throws IOException {
    write(target, out -> out.write(bytes));
  }

  /** Content written to a stream; the stream must not be closed by the writer. */
  @FunctionalInterface
  public interface Content {
    void writeTo(OutputStream out) throws IOException;
  }

  /** Writes what {@code content} produces; on any failure the target is left as it was. */
  public static void write(Path target, Content content) throws IOException {
    Path file = resolve(target);
    Path dir = file.toAbsolutePath().getParent();
    if (!Files.isDirectory(dir)) {
      throw Files.exists(dir) ? new NotDirectoryException(dir + " is not a folder")
          : new NoSuchFileException(dir.toString(), null, "no such folder");
    }
    boolean exists = Files.exists(file);
    if (exists && Files.isDirectory(file)) throw new FileAlreadyExistsException(file.toString(), null, "is a folder");
    if (exists && readOnly(file)) throw new AccessDeniedException(file.toString(), null, "the file is read-only");
    removeStaleTemps(file);
    Path tmp = createTemp(file);
    try {
      try (FileChannel ch = FileChannel.open(tmp, StandardOpenOption.WRITE);
          OutputStream out = new java.io.BufferedOutputStream(java.nio.channels.Channels.newOutputStream(ch), 1 << 16)) {
        content.writeTo(out);
        out.flush();
        ch.force(true);
      }
      if (exists) copyPermissions(file, tmp);
      if (exists && linkCount(file) > 1) {
        rewriteInPlace(tmp, file);
        Files.delete(tmp);
      } else {
        move(tmp, file);
      }
    } catch (IOException | RuntimeException | Error e) {
      Files.deleteIfExists(tmp);
      throw e;
    }
  }

  /** The file a symlink chain ends at (the target itself when it is not a link). */
  private static Path resolve(Path target) throws IOException {
    Path p = target;
    for (int hops = 0; Files.isSymbolicLink(p); hops++) {
      if (hops == 40) throw new IOException(target + ": too many levels of symbolic links");
      Path link = Files.readSymbolicLink(p);
      p = p.toAbsolutePath().getParent().resolve(link);
    }
    return p;
  }

  private static Path createTemp(Path file) throws IOException {
    String base = "." + stem(file) + "." + ProcessHandle.current().pid() + "-";
    for (int attempt = 0; ; attempt++) {
      Path tmp = file.resolveSibling(base + Integer.toHexString(ThreadLocalRandom.current().nextInt()) + TEMP_SUFFIX);
      try {
        // createFile, not createTempFile: the new file gets the default permissions (umask), not 0600.
        return Files.createFile(tmp);
      } catch (FileAlreadyExistsException e) {
        if (attempt == 100) throw e;
      }
    }
  }

  /**
   * The target's name as its temporary files start with: the whole name, or as much of it as leaves room for the
   * rest of the temporary name within {@link #MAX_NAME_BYTES} bytes of UTF-8 (cut at a character boundary).
   */
  static String stem(Path file) {
    String name = file.getFileName().toString();
    int room = MAX_NAME_BYTES - TEMP_EXTRA_BYTES;
    if (name.getBytes(StandardCharsets.UTF_8).length <= room) return name;
    StringBuilder b = new StringBuilder();
    int bytes = 0;
    for (int i = 0; i < name.length(); ) {
      int cp = name.codePointAt(i);
      int n = new String(Character.toChars(cp)).getBytes(StandardCharsets.UTF_8).length;
      if (bytes + n > room) break;
      b.appendCodePoint(cp);
      bytes += n;
      i += Character.charCount(cp);
    }
    return b.toString();
  }

  /** Removes {@code .NAME.PID-*.netc-tmp} siblings whose process is gone (killed while writing). */
  private static void removeStaleTemps(Path file) {
    String prefix = "." + stem(file) + ".";
    try (DirectoryStream<Path> siblings = Files.newDirectoryStream(file.toAbsolutePath().getParent(),
        p -> p.getFileName().toString().startsWith(prefix) && p.getFileName().toString().endsWith(TEMP_SUFFIX))) {
      for (Path p : siblings) {
        String rest = p.getFileName().toString().substring(prefix.length());
        int dash = rest.indexOf('-');
        if (dash <= 0) continue;
        try {
          long pid = Long.parseLong(rest.substring(0, dash));
          if (ProcessHandle.of(pid).isEmpty()) Files.deleteIfExists(p);
        } catch (NumberFormatException | IOException e) {
          // not ours, or gone already
        }
      }
    } catch (IOException e) {
      // a folder we cannot list: nothing to clean
    }
  }

  /** Not writable by this process, or without its owner's write bit (which root would ignore). */
  private static boolean readOnly(Path file) throws IOException {
    if (!Files.isWritable(file)) return true;
    PosixFileAttributeView view = Files.getFileAttributeView(file, PosixFileAttributeView.class);
    return view != null && !view.readAttributes().permissions().contains(PosixFilePermission.OWNER_WRITE);
  }

  private static void copyPermissions(Path from, Path to) throws IOException {
    PosixFileAttributeView view = Files.getFileAttributeView(from, PosixFileAttributeView.class);
    if (view == null) return;
    Set<PosixFilePermission> perms = view.readAttributes().permissions();
    Files.setPosixFilePermissions(to, perms);
  }

  private static int linkCount(Path file) {
    try {
      return ((Number) Files.getAttribute(file, "unix:nlink", LinkOption.NOFOLLOW_LINKS)).intValue();
    } catch (IOException | UnsupportedOperationException | IllegalArgumentException e) {
      return 1;
    }
  }

  private static void rewriteInPlace(Path from, Path to) throws IOException {
    try (FileChannel in = FileChannel.open(from, StandardOpenOption.READ);
        FileChannel out = FileChannel.open(to, StandardOpenOption.WRITE)) {
      long size = in.size();
      ByteBuffer buf = ByteBuffer.allocate(1 << 16);
      long at = 0;
      while (at < size) {
        buf.clear();
        int n = in.read(buf, at);
        buf.flip();
        while (buf.hasRemaining()) out.write(buf, at + buf.position());
        at += n;
      }
      out.truncate(size);
      out.force(true);
    }
  }

  private static void move(Path tmp, Path file) throws IOException {
    try {
      Files.move(tmp, file, StandardCopyOption.REPLACE_EXISTING, StandardCopyOption.ATOMIC_MOVE);
    } catch (AtomicMoveNotSupportedException e) {
      Files.move(tmp, file, StandardCopyOption.REPLACE_EXISTING);
    }
  }
}

package dev.netc.cli;

import dev.netc.compiler.io.OutputFile;
import java.io.BufferedOutputStream;
import java.io.IOException;
import java.io.OutputStream;
import java.nio.file.AccessDeniedException;
import java.nio.file.DirectoryNotEmptyException;
import java.nio.file.FileAlreadyExistsException;
import java.nio.file.FileSystemException;
import java.nio.file.Files;
import java.nio.file.NoSuchFileException;
import java.nio.file.NotDirectoryException;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;

/**
 * Every file the command line writes goes through here, and so through {@link OutputFile}: a temporary file in the
 * same folder renamed over the target, so that a process killed while writing leaves the old file or the new one,
 * never a truncated one; the target's mode, symlink and hard links are kept and a read-only file is refused. A
 * failure is one line naming the file and the reason ({@link CliException}, exit code 1). A device or a named pipe
 * ({@code -o /dev/stdout}) is written directly.
 */
final class Outputs {
  private Outputs() {}

  /** Writes {@code text} as UTF-8 to {@code target}, which is {@code what} ("the formatted file", ...). */
  static void writeString(Path target, String text, String what) {
    write(target, out -> out.write(text.getBytes(java.nio.charset.StandardCharsets.UTF_8)), what);
  }

  /** Writes what {@code content} produces to {@code target}; the folder must exist. */
  static void write(Path target, OutputFile.Content content, String what) {
    Path dir = target.toAbsolutePath().getParent();
    if (dir != null && !Files.isDirectory(dir)) {
      throw CliException.user("cannot write " + what + " " + target + ": " + missingFolder(dir));
    }
    try {
      if (special(target)) {
        try (OutputStream out = new BufferedOutputStream(Files.newOutputStream(target, StandardOpenOption.WRITE))) {
          content.writeTo(out);
        }
      } else {
        OutputFile.write(target, content);
      }
    } catch (IOException e) {
      if (e instanceof FileSystemException f && f.getFile() != null && f.getFile().endsWith(".netc-tmp")) {
        throw CliException.user("cannot write " + what + " " + target + ": cannot create a file in its folder " + dir
            + " (" + (f.getReason() == null ? "permission denied" : f.getReason()) + "); the new content is "
            + "written beside the target and renamed over it");
      }
      throw CliException.user("cannot write " + what + " " + target + ": " + reason(e, target));
    }
  }

  /**
   * True for a target that exists and is neither a regular file nor a folder ({@code /dev/stdout}, {@code /dev/null},
   * a named pipe): it is written directly, since renaming a file over it would replace the device or pipe itself.
   */
  static boolean special(Path target) {
    return Files.exists(target) && !Files.isRegularFile(target) && !Files.isDirectory(target);
  }

  /**
   * Creates folder {@code dir} and its parents (for {@code compile --java}); one line naming the first part of
   * the path that is a file, or the reason, if that cannot be done.
   */
  static void createFolders(Path dir, String what) {
    Path abs = dir.toAbsolutePath().normalize();
    for (Path p = abs; p != null; p = p.getParent()) {
      if (Files.isDirectory(p)) break;
      if (Files.exists(p)) {
        throw CliException.user("cannot write " + what + " under " + dir + ": " + (p.equals(abs) ? "it" : p)
            + " is a file, not a folder");
      }
    }
    try {
      Files.createDirectories(abs);
    } catch (IOException e) {
      throw CliException.user("cannot create the folder " + dir + " for " + what + ": " + reason(e, dir));
    }
  }

  /** Why folder {@code dir} cannot hold a new file: it is missing, or a part of its path is a file. */
  private static String missingFolder(Path dir) {
    for (Path p = dir; p != null; p = p.getParent()) {
      if (Files.isDirectory(p)) break;
      if (Files.exists(p)) return p + " is a file, not a folder";
    }
    return "the folder " + dir + " does not exist";
  }

  /** The reason of an I/O failure in words, without repeating {@code subject} when the exception names it. */
  static String reason(IOException e, Path subject) {
    if (e instanceof FileSystemException f) {
      String reason = f.getReason();
      String file = f.getFile();
      String said = switch (f) {
        case NoSuchFileException x -> "no such file or folder";
        case AccessDeniedException x -> "permission denied";
        case NotDirectoryException x -> "not a folder";
        case FileAlreadyExistsException x -> "already exists";
        case DirectoryNotEmptyException x -> "the folder is not empty";
        default -> "cannot access it";
      };
      if (reason != null && !reason.isBlank()) said = reason;
      boolean same = file == null || subject != null && (file.equals(subject.toString())
          || file.equals(subject.toAbsolutePath().toString()));
      return same ? said : file + ": " + said;
    }
    return e.getMessage() == null ? e.toString() : e.getMessage();
  }

  /** One line for an I/O failure that reached the top without a better message: the file and the reason. */
  static String describe(IOException e) { return reason(e, null); }
}

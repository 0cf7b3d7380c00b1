package dev.netc.compiler.io;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.IOException;
import java.nio.file.AccessDeniedException;
import java.nio.file.Files;
import java.nio.file.NoSuchFileException;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFilePermissions;
import java.util.List;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class OutputFileTest {
  @TempDir Path dir;

  @Test
  void writesANewFileWithDefaultPermissionsAndNoTempLeft() throws IOException {
    Path f = dir.resolve("a.java");
    OutputFile.writeString(f, "class A {}");
    assertEquals("class A {}", Files.readString(f));
    // 0600 is what createTempFile would give; a new output is readable by the group like any file the user makes.
    assertTrue(Files.getPosixFilePermissions(f).contains(java.nio.file.attribute.PosixFilePermission.OWNER_READ));
    assertEquals(List.of(f), list());
  }

  @Test
  void keepsTheModeOfTheFileItReplaces() throws IOException {
    Path f = dir.resolve("m.net");
    Files.writeString(f, "old");
    Files.setPosixFilePermissions(f, PosixFilePermissions.fromString("rwxr-x---"));
    OutputFile.writeString(f, "new");
    assertEquals("new", Files.readString(f));
    assertEquals("rwxr-x---", PosixFilePermissions.toString(Files.getPosixFilePermissions(f)));
  }

  @Test
  void followsASymlinkAndKeepsIt() throws IOException {
    Path real = dir.resolve("real.net");
    Files.writeString(real, "old");
    Path link = Files.createSymbolicLink(dir.resolve("link.net"), real.getFileName());
    OutputFile.writeString(link, "new");
    assertTrue(Files.isSymbolicLink(link));
    assertEquals("new", Files.readString(real));
  }

  @Test
  void keepsHardLinksTogether() throws IOException {
    Path a = dir.resolve("a.net");
    Files.writeString(a, "old content, longer than the new one");
    Path b = Files.createLink(dir.resolve("b.net"), a);
    OutputFile.writeString(a, "new");
    assertEquals("new", Files.readString(b));
    assertEquals(2, ((Number) Files.getAttribute(a, "unix:nlink")).intValue());
    assertEquals(List.of(a, b), list());
  }

  @Test
  void refusesAReadOnlyFileAndLeavesIt() throws IOException {
    Path f = dir.resolve("ro.net");
    Files.writeString(f, "old");
    Files.setPosixFilePermissions(f, PosixFilePermissions.fromString("r--r--r--"));
    // Refused even for root, who could write it: the mode says the owner wants it left alone.
    var e = assertThrows(AccessDeniedException.class, () -> OutputFile.writeString(f, "new"));
    assertTrue(e.getMessage().contains("read-only"), e.getMessage());
    assertEquals("old", Files.readString(f));
  }

  @Test
  void aFailingWriterLeavesTheOldFileAndNoTemp() throws IOException {
    Path f = dir.resolve("out.npy");
    Files.writeString(f, "good");
    assertThrows(IOException.class, () -> OutputFile.write(f, out -> {
      out.write(new byte[100_000]);
      throw new IOException("disk full");
    }));
    assertEquals("good", Files.readString(f));
    assertEquals(List.of(f), list());
  }

  @Test
  void aMissingFolderIsNamed() {
    Path f = dir.resolve("nodir/x.dot");
    var e = assertThrows(NoSuchFileException.class, () -> OutputFile.writeString(f, "x"));
    assertTrue(e.getMessage().contains("nodir"), e.getMessage());
  }

  @Test
  void removesTempFilesOfKilledWriters() throws IOException {
    Path f = dir.resolve("g.java");
    // A pid that cannot be alive: the largest on Linux is 2^22.
    Path stale = Files.writeString(dir.resolve(".g.java.99999999-1a2b.netc-tmp"), "partial");
    OutputFile.writeString(f, "x");
    assertTrue(Files.notExists(stale));
    assertEquals(List.of(f), list());
  }

  @Test
  void aLongFileNameGetsATemporaryNameWithinTheLimit() throws IOException {
    // 250 bytes of name: the temporary file's name (dot, name, pid, random part, suffix) must still fit in 255.
    Path f = dir.resolve("n".repeat(246) + ".net");
    Files.writeString(f, "old");
    OutputFile.writeString(f, "new");
    assertEquals("new", Files.readString(f));
    assertEquals(List.of(f), list());
    // Multi-byte names are cut at a character boundary, in bytes.
    String wide = "\u00e9".repeat(123) + ".net";
    assertEquals(250, wide.getBytes(java.nio.charset.StandardCharsets.UTF_8).length);
    Path g = dir.resolve(wide);
    OutputFile.writeString(g, "x");
    assertEquals("x", Files.readString(g));
    String stem = OutputFile.stem(g);
    assertTrue(wide.startsWith(stem) && stem.length() < wide.length(), stem);
    assertTrue(stem.getBytes(java.nio.charset.StandardCharsets.UTF_8).length <= OutputFile.MAX_NAME_BYTES - 30, stem);
  }

  @Test
  void aKilledWriterOfALongNameIsCleanedUpToo() throws IOException {
    Path f = dir.resolve("m".repeat(250));
    Path stale = Files.writeString(dir.resolve("." + OutputFile.stem(f) + ".99999999-1a2b.netc-tmp"), "partial");
    OutputFile.writeString(f, "x");
    assertTrue(Files.notExists(stale));
    assertEquals(List.of(f), list());
  }

  private List<Path> list() throws IOException {
    try (Stream<Path> s = Files.list(dir)) {
      return s.sorted().toList();
    }
  }
}

package dev.netc.cli;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.netc.runtime.io.Npy;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFilePermissions;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * Every file the CLI writes (fmt in place, compile's sources, run's outputs, graph's DOT, SVG and PNG, ops -o) goes
 * through one writer: the mode, symlinks and hard links of what it replaces are kept, a read-only file is refused,
 * a missing folder or a file in the way is one line with the reason, and no temporary file is left behind.
 */
class OutputFilesTest {
  @TempDir Path dir;

  private static final String UGLY = "network   n{input x:[4]\nlinear( 2 )}\n";

  private Path file(String name, String text) throws IOException {
    Path p = dir.resolve(name);
    Files.writeString(p, text);
    return p;
  }

  private static void assertOneLine(CliTest.Result r, int code, String expected) {
    assertEquals(code, r.code(), r.err());
    assertEquals(expected, r.err().strip());
  }

  private List<Path> temps() throws IOException {
    try (Stream<Path> s = Files.walk(dir)) {
      return s.filter(p -> p.getFileName().toString().endsWith(".netc-tmp")).toList();
    }
  }

  @Test
  void fmtKeepsTheModeSymlinksAndHardLinks() throws IOException {
    Path f = file("mode.net", UGLY);
    Files.setPosixFilePermissions(f, PosixFilePermissions.fromString("rwxr-x---"));
    assertEquals(0, CliTest.run("fmt", f.toString()).code());
    assertEquals("rwxr-x---", PosixFilePermissions.toString(Files.getPosixFilePermissions(f)));
    String formatted = Files.readString(f);
    assertFalse(formatted.equals(UGLY));

    Path real = file("real.net", UGLY);
    Path link = Files.createSymbolicLink(dir.resolve("link.net"), real.getFileName());
    assertEquals(0, CliTest.run("fmt", link.toString()).code());
    assertTrue(Files.isSymbolicLink(link), "the link stays a link");
    assertEquals(formatted, Files.readString(real), "and its target is formatted");

    Path a = file("a.net", UGLY);
    Path b = Files.createLink(dir.resolve("b.net"), a);
    assertEquals(0, CliTest.run("fmt", a.toString()).code());
    assertEquals(formatted, Files.readString(b), "hard links stay one file");
    assertEquals(List.of(), temps());
  }

  @Test
  void fmtRefusesAReadOnlyFileInOneLineAndGoesOn() throws IOException {
    Path ro = file("ro.net", UGLY);
    Files.setPosixFilePermissions(ro, PosixFilePermissions.fromString("r--r--r--"));
    Path other = file("other.net", UGLY);
    CliTest.Result r = CliTest.run("fmt", ro.toString(), other.toString());
    assertOneLine(r, Main.USER_ERROR, "netc: cannot write the formatted text to " + ro + ": the file is read-only");
    assertEquals(UGLY, Files.readString(ro));
    assertFalse(Files.readString(other).equals(UGLY), "the next file is still formatted");
    assertEquals("r--r--r--", PosixFilePermissions.toString(Files.getPosixFilePermissions(ro)));
  }

  @Test
  void fmtOfA250CharacterName() throws IOException {
    Path f = file("n".repeat(246) + ".net", UGLY);
    CliTest.Result r = CliTest.run("fmt", f.toString());
    assertEquals(0, r.code(), r.err());
    assertFalse(Files.readString(f).equals(UGLY));
    assertEquals(List.of(), temps());
  }

  @Test
  void compileMakesMissingFoldersAndRefusesFilesInTheWay() throws IOException {
    Path net = file("lenet.net", "network tiny { input x: [4]; linear(2) }\n");
    Path out = dir.resolve("not/yet/there");
    CliTest.Result r = CliTest.run("compile", net.toString(), "--java", out.toString());
    assertEquals(0, r.code(), r.err());
    Path java = out.resolve("netc/generated/Tiny.java");
    assertEquals("wrote " + java, r.out().strip());
    assertTrue(Files.readString(java).contains("class Tiny"));

    Files.setPosixFilePermissions(java, PosixFilePermissions.fromString("rw-rw-r--"));
    assertEquals(0, CliTest.run("compile", net.toString(), "--java", out.toString()).code());
    assertEquals("rw-rw-r--", PosixFilePermissions.toString(Files.getPosixFilePermissions(java)), "mode kept");

    Path unnamed = dir.resolve("unnamed");
    assertEquals(0, CliTest.run("compile", net.toString(), "--java", unnamed.toString(), "--package", "").code());
    assertFalse(Files.readString(unnamed.resolve("Tiny.java")).contains("package "), "the unnamed package");

    Path aFile = file("plain.txt", "x");
    assertOneLine(CliTest.run("compile", net.toString(), "--java", aFile.toString()), Main.USER_ERROR,
        "netc: --java " + aFile + " is a file; give the folder to write the sources under");
    assertOneLine(CliTest.run("compile", net.toString(), "--java", aFile.resolve("sub").toString()), Main.USER_ERROR,
        "netc: cannot write the Java sources under " + aFile.resolve("sub/netc/generated") + ": " + aFile
            + " is a file, not a folder");
    Path blocked = file("blocked", "x");
    assertOneLine(CliTest.run("compile", net.toString(), "--java", dir.toString(), "--package", "blocked"),
        Main.USER_ERROR, "netc: cannot write the Java sources under " + blocked + ": it is a file, not a folder");
    assertEquals(List.of(), temps());
  }

  @Test
  void packageNamesAreChecked() throws IOException {
    Path net = file("n.net", "network tiny { input x: [4]; linear(2) }\n");
    String out = dir.resolve("o").toString();
    assertOneLine(CliTest.run("compile", net.toString(), "--java", out, "--package", "a..b"), Main.USAGE,
        "netc: --package a..b is not a Java package name ('' is not a Java identifier; e.g. --package "
            + "com.example.models)");
    assertOneLine(CliTest.run("compile", net.toString(), "--java", out, "--package", "com.class.x"), Main.USAGE,
        "netc: --package com.class.x is not a Java package name ('class' is not a Java identifier; e.g. --package "
            + "com.example.models)");
    assertOneLine(CliTest.run("compile", net.toString(), "--java", out, "--package", "java.models"), Main.USAGE,
        "netc: --package java.models: the JVM refuses classes in java.* packages; choose another");
    assertTrue(Files.notExists(dir.resolve("o")), "nothing written");
  }

  @Test
  void graphAndOpsOutputs() throws IOException {
    Path net = file("g.net", "network g { input x: [3, 8, 8]; conv(4, 3); relu }\n");
    Path missing = dir.resolve("nodir/x.dot");
    assertOneLine(CliTest.run("graph", net.toString(), "-o", missing.toString()), Main.USER_ERROR,
        "netc: cannot write the graph to " + missing + ": the folder " + dir.resolve("nodir") + " does not exist");
    Path dot = file("g.dot", "old");
    Files.setPosixFilePermissions(dot, PosixFilePermissions.fromString("rw-r-----"));
    assertEquals(0, CliTest.run("graph", net.toString(), "-o", dot.toString()).code());
    assertTrue(Files.readString(dot).startsWith("digraph"));
    assertEquals("rw-r-----", PosixFilePermissions.toString(Files.getPosixFilePermissions(dot)));

    Path md = dir.resolve("ops.md");
    CliTest.Result ops = CliTest.run("ops", "--markdown", "-o", md.toString());
    assertEquals(0, ops.code(), ops.err());
    assertEquals("", ops.out(), "-o writes, and prints nothing");
    assertEquals(CliTest.run("ops", "--markdown").out(), Files.readString(md), "the same text --markdown prints");
    assertEquals(List.of(), temps());
  }

  /** SVG and PNG are drawn in the JVM and replace the old file whole. */
  @Test
  void svgAndPngAreWrittenWhole() throws Exception {
    Path net = file("g.net", "network g { input x: [3, 8, 8]; conv(4, 3); relu }\n");
    Path svg = file("g.svg", "old");
    CliTest.Result r = CliTest.run("graph", net.toString(), "-o", svg.toString());
    assertEquals(0, r.code(), r.err());
    assertTrue(Files.readString(svg).startsWith("<svg") && Files.readString(svg).endsWith("</svg>\n"));
    Path png = file("g.png", "old");
    r = CliTest.run("graph", net.toString(), "-o", png.toString());
    assertEquals(dev.netc.viz.PngWriter.fontsAvailable() ? 0 : 1, r.code(), r.err());
    if (r.code() == 0) assertTrue(javax.imageio.ImageIO.read(png.toFile()).getWidth() > 0);
    assertEquals(List.of(), temps());
  }

  /** A named pipe (like /dev/stdout) is written into, not replaced by a renamed file. */
  @Test
  void aNamedPipeIsWrittenNotReplaced() throws Exception {
    Path fifo = dir.resolve("pipe");
    Process mk = new ProcessBuilder("mkfifo", fifo.toString()).start();
    org.junit.jupiter.api.Assumptions.assumeTrue(mk.waitFor() == 0, "mkfifo is not available");
    CompletableFuture<String> read = CompletableFuture.supplyAsync(() -> {
      try {
        return Files.readString(fifo, StandardCharsets.UTF_8);
      } catch (IOException e) {
        throw new java.io.UncheckedIOException(e);
      }
    });
    CliTest.Result r = CliTest.run("ops", "-o", fifo.toString());
    assertEquals(0, r.code(), r.err());
    assertEquals(CliTest.run("ops").out(), read.get(30, java.util.concurrent.TimeUnit.SECONDS));
    assertTrue(Files.exists(fifo) && !Files.isRegularFile(fifo), "still a pipe");
  }

  @Test
  void runOutputsKeepTheirModeAndAreNeverTemporaryFiles() throws IOException {
    Path net = file("r.net", "network r { input x: [4]; linear(3) }\n");
    Path y = file("y.npy", "old");
    Files.setPosixFilePermissions(y, PosixFilePermissions.fromString("rw-rw----"));
    CliTest.Result r = CliTest.run("run", net.toString(), "--random-weights", "1", "--random-input", "2", "--output",
        y.toString(), "--interpret");
    assertEquals(0, r.code(), r.err());
    assertEquals(3, Npy.read(y).data().length);
    assertEquals("rw-rw----", PosixFilePermissions.toString(Files.getPosixFilePermissions(y)));
    Files.setPosixFilePermissions(y, PosixFilePermissions.fromString("r--r--r--"));
    assertOneLine(CliTest.run("run", net.toString(), "--random-weights", "1", "--random-input", "2", "--output",
        y.toString(), "--interpret"), Main.USER_ERROR, "netc: cannot write output 'output' to " + y
        + ": the file is read-only");
    assertEquals(List.of(), temps());
  }
}

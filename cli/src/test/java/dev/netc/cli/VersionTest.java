package dev.netc.cli;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.netc.compiler.Version;
import java.io.PrintWriter;
import java.io.StringWriter;
import java.nio.file.Files;
import java.nio.file.Path;
import org.junit.jupiter.api.Test;

/** {@code netc --version}: the version and where the build came from (commit, build time, JDK). */
class VersionTest {
  private static String versionOutput() {
    StringWriter out = new StringWriter();
    assertEquals(Main.OK, Main.run(new String[] {"--version"}, new PrintWriter(out), new PrintWriter(new StringWriter())));
    return out.toString();
  }

  @Test
  void printsVersionCommitBuildAndRuntime() {
    String[] lines = versionOutput().split("\\R");
    assertEquals(4, lines.length, String.join("\n", lines));
    assertTrue(lines[0].matches("netc \\d+\\.\\d+\\.\\d+(-SNAPSHOT)?"), lines[0]);
    assertTrue(lines[1].startsWith("commit "), lines[1]);
    assertTrue(lines[2].matches("built \\d{4}-\\d\\d-\\d\\dT\\S+ with Java \\d+.*"), lines[2]);
    assertTrue(lines[3].startsWith("running on Java " + Runtime.version().feature()), lines[3]);
  }

  @Test
  void nothingIsLeftUnfiltered() {
    assertTrue(!versionOutput().contains("${"), "every placeholder is filled or reads unknown");
  }

  /** Built inside a git checkout (as this test is, unless from a source tarball), the commit is a real hash. */
  @Test
  void commitIsAHashInsideAGitCheckout() {
    if (!insideGitCheckout()) return;
    assertTrue(Version.commit().matches("[0-9a-f]{12}(-dirty)?"), Version.commit());
  }

  private static boolean insideGitCheckout() {
    for (Path p = Path.of("").toAbsolutePath(); p != null; p = p.getParent()) {
      if (Files.exists(p.resolve(".git"))) return true;
    }
    return false;
  }
}

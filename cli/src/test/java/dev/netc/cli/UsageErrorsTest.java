package dev.netc.cli;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.IOException;
import java.nio.file.AccessDeniedException;
import java.nio.file.Files;
import java.nio.file.NoSuchFileException;
import java.nio.file.Path;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * Exit codes by cause: a bad argument value is 2, a file the user named that cannot be read or written is 1 with one
 * line naming it, and neither is ever 3 (an internal error, kept for bugs).
 */
class UsageErrorsTest {
  @TempDir Path dir;

  private Path net() throws IOException {
    return Files.writeString(dir.resolve("n.net"), "network n { input image: [3, 8, 8]; conv(4, 3); relu }\n");
  }

  @Test
  void anUnknownColorIsAUsageError() throws IOException {
    CliTest.Result r = CliTest.run("--color=purple", "check", net().toString());
    assertEquals(Main.USAGE, r.code(), r.err());
    assertTrue(r.err().startsWith("netc: Invalid value for option '--color': expected one of [auto, always, never]"),
        r.err());
    for (String ok : new String[] {"auto", "always", "never"}) {
      assertEquals(0, CliTest.run("--color=" + ok, "check", net().toString()).code(), ok);
    }
  }

  @Test
  void aSweepWithoutSizesIsAUsageError() throws IOException {
    CliTest.Result r = CliTest.run("report", net().toString(), "--sweep", "image=,,,");
    assertEquals(Main.USAGE, r.code(), r.err());
    assertTrue(r.err().startsWith("netc: --sweep image=,,, gives no sizes; give at least one (e.g. image=224,320,640)"),
        r.err());
    assertEquals("", r.out(), "no empty table");
  }

  @Test
  void filesThatCannotBeReadAreOneLineAndExitOne() throws IOException {
    for (String cmd : new String[] {"check", "fmt", "report", "plan"}) {
      CliTest.Result r = CliTest.run(cmd, dir.toString());
      assertEquals(Main.USER_ERROR, r.code(), cmd + ": " + r.err());
      assertFalse(r.err().contains("internal error") || r.err().contains("    at "), cmd + ": " + r.err());
    }
    CliTest.Result longName = CliTest.run("check", dir.resolve("n".repeat(300) + ".net").toString());
    assertEquals(Main.USER_ERROR, longName.code(), longName.err());
  }

  /** What reaches the top as an I/O failure is still one line naming the file. */
  @Test
  void ioFailuresAreDescribedByKind() {
    assertEquals("/x/y.net: no such file or folder", Outputs.describe(new NoSuchFileException("/x/y.net")));
    assertEquals("/x/y.net: the file is read-only",
        Outputs.describe(new AccessDeniedException("/x/y.net", null, "the file is read-only")));
    assertEquals("/x: permission denied", Outputs.describe(new AccessDeniedException("/x")));
    assertEquals("disk on fire", Outputs.describe(new IOException("disk on fire")));
    assertEquals("no such file or folder", Outputs.reason(new NoSuchFileException("a.npy"), Path.of("a.npy")));
  }
}

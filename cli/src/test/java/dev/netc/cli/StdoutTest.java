package dev.netc.cli;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assumptions.assumeTrue;

import java.io.File;
import java.io.IOException;
import java.io.OutputStream;
import java.io.OutputStreamWriter;
import java.io.PrintWriter;
import java.io.StringWriter;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** A failure to write standard output is exit code 1 with one line, never a silent 0. */
class StdoutTest {
  @TempDir Path dir;

  /** A stream that fails every write as a full disk or a closed pipe does. */
  private static Stdout failing(String why) {
    return new Stdout(new OutputStream() {
      @Override
      public void write(int b) throws IOException { throw new IOException(why); }
    });
  }

  private static CliTest.Result run(Stdout stdout, String... args) {
    StringWriter err = new StringWriter();
    PrintWriter out = new PrintWriter(new OutputStreamWriter(stdout, StandardCharsets.UTF_8), true);
    int code = Main.run(args, out, new PrintWriter(err), stdout);
    return new CliTest.Result(code, "", err.toString());
  }

  @Test
  void aFullDiskIsOneLineAndExitOne() throws IOException {
    Path net = dir.resolve("n.net");
    Files.writeString(net, "network n { input x: [4]; linear(2) }\n");
    for (String[] args : new String[][] {{"report", net.toString()}, {"check", net.toString()},
        {"fmt", "--stdout", net.toString()}, {"ops"}, {"plan", net.toString()}, {"--version"}}) {
      CliTest.Result r = run(failing("No space left on device"), args);
      assertEquals(Main.USER_ERROR, r.code(), String.join(" ", args) + ": " + r.err());
      assertEquals("netc: cannot write to standard output: No space left on device", r.err().strip(), r.err());
    }
  }

  @Test
  void aReaderThatLeftIsExitOneWithoutAMessage() {
    CliTest.Result r = run(failing("Broken pipe"), "ops");
    assertEquals(Main.USER_ERROR, r.code());
    assertEquals("", r.err());
  }

  /** The real thing: {@code netc report > /dev/full} in a JVM of its own. */
  @Test
  void devFull() throws Exception {
    File full = new File("/dev/full");
    assumeTrue(full.exists(), "no /dev/full on this system");
    Path net = dir.resolve("n.net");
    Files.writeString(net, "network n { input x: [4]; linear(2) }\n");
    ChildCli.Result r = ChildCli.run(full, "report", net.toString());
    assertEquals(Main.USER_ERROR, r.code(), r.err());
    assertEquals("netc: cannot write to standard output: No space left on device", r.err().strip());
  }
}

package dev.netc.cli;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.netc.compiler.emit.java.EmitOptions;
import dev.netc.runtime.io.Json;
import java.io.IOException;
import java.io.PrintWriter;
import java.io.StringWriter;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** {@code netc compile} writes a class per network in its package's folder; {@code netc bench} reports timings. */
class CommandsTest {
  private static final String NET = """
      network tiny_net {
        input image: [3, 8, 8]
        conv1: conv(4, 3, pad: 1)
        relu
        head logits { global_avgpool; flatten; fc: linear(2) }
      }
      """;

  @Test
  void compileWritesTheClassInItsPackage(@TempDir Path dir) throws IOException {
    Path src = Files.writeString(dir.resolve("tiny.net"), NET);
    String[] run = run("compile", src.toString(), "--java", dir.resolve("out").toString(), "--package", "com.example.nets");
    assertEquals("0", run[0], run[2]);
    Path java = dir.resolve("out/com/example/nets/TinyNet.java");
    assertTrue(Files.isRegularFile(java), run[1]);
    String text = Files.readString(java);
    assertTrue(text.contains("public final class TinyNet"), text);
    assertTrue(text.contains("SOURCE_SHA256 = \"" + EmitOptions.sha256(NET) + "\""), "provenance: the source's hash");
  }

  @Test
  void compileRefusesABadPackage(@TempDir Path dir) throws IOException {
    Path src = Files.writeString(dir.resolve("tiny.net"), NET);
    String[] run = run("compile", src.toString(), "--java", dir.toString(), "--package", "not a package");
    assertEquals(String.valueOf(Main.USAGE), run[0]);
  }

  @Test
  void benchPrintsJson(@TempDir Path dir) throws IOException {
    Path src = Files.writeString(dir.resolve("tiny.net"), NET);
    String[] run = run("bench", src.toString(), "--threads", "1", "--warmup", "0", "--iterations", "3", "--format", "json");
    assertEquals("0", run[0], run[2]);
    Map<String, Object> m = Json.parseObject(run[1].strip());
    for (String key : new String[] {"median_ms", "p90_ms", "throughput", "gflops"}) {
      assertTrue(m.get(key) instanceof Number n && n.doubleValue() > 0, key + " in " + run[1]);
    }
    assertEquals("tiny_net", m.get("network"));
    assertTrue(!run[2].contains("pass 3 / 3") && !run[2].contains("\r"), "no progress off a terminal: " + run[2]);
  }

  /** Exit code, stdout, stderr. */
  private static String[] run(String... args) {
    StringWriter out = new StringWriter();
    StringWriter err = new StringWriter();
    int code = Main.run(args, new PrintWriter(out), new PrintWriter(err));
    return new String[] {String.valueOf(code), out.toString(), err.toString()};
  }
}

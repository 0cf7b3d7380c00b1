package dev.netc.cli;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.netc.runtime.Tensor;
import dev.netc.runtime.io.Npy;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.function.Function;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * kill -9 of the CLI while it replaces a good file, for every kind of file it writes: the file is afterwards the old
 * content or the new one, never truncated or mixed. Each case runs the CLI in a JVM of its own and kills it (SIGKILL)
 * the moment its temporary file appears (mid-write), and at half and nine tenths of a full run's time; then one full
 * run gives the new content, and removes the temporary files the killed runs left.
 */
class KillTest {
  @TempDir Path dir;

  /** One kind of output: how to make the old file, and the command (given the target) that replaces it. */
  record Case(String name, String target, byte[] old, Function<Path, List<String>> args) {}

  private List<Case> cases() throws IOException {
    List<Case> cases = new ArrayList<>();
    StringBuilder layers = new StringBuilder("network big {\n  input x: [8]\n  body: stage { repeat 400: [linear(8), relu] }\n}\n");
    Path big = Files.writeString(dir.resolve("big.net"), layers);
    StringBuilder ugly = new StringBuilder("network  u{input x:[8]\n");
    for (int i = 0; i < 3000; i++) ugly.append("linear( 8 )  ;relu\n");
    ugly.append("}\n");
    cases.add(new Case("fmt", "u.net", ugly.toString().getBytes(), t -> List.of("fmt", t.toString())));
    cases.add(new Case("compile", "out/netc/generated/Big.java", "class Big { /* the last good build */ }\n".getBytes(),
        t -> List.of("compile", big.toString(), "--java", dir.resolve("out").toString())));
    // 16 MB of output: [16, 512, 512] floats.
    Path up = Files.writeString(dir.resolve("up.net"), "network up { input x: [16, 64, 64]; upsample(8) }\n");
    java.io.ByteArrayOutputStream small = new java.io.ByteArrayOutputStream();
    Npy.write(small, Tensor.of(new float[] {1, 2, 3}, 3));
    cases.add(new Case("run --output", "y.npy", small.toByteArray(), t -> List.of("run", up.toString(), "--interpret",
        "--random-input", "7", "--output", t.toString())));
    cases.add(new Case("graph -o", "big.dot", "digraph old {}\n".getBytes(),
        t -> List.of("graph", big.toString(), "-o", t.toString())));
    cases.add(new Case("ops -o", "ops.md", "# old\n".getBytes(), t -> List.of("ops", "--markdown", "-o", t.toString())));
    return cases;
  }

  @Test
  void aKilledWriterLeavesTheOldFileOrTheNewNeverATruncatedOne() throws Exception {
    List<String> caught = new ArrayList<>();
    for (Case c : cases()) {
      Path target = dir.resolve(c.target());
      Files.createDirectories(target.getParent());
      List<byte[]> after = new ArrayList<>();
      Files.write(target, c.old());
      long start = System.nanoTime();
      Process p = start(c, target);
      boolean midWrite = killWhenTempAppears(p, target.getParent());
      if (midWrite) caught.add(c.name());
      after.add(Files.readAllBytes(target));
      long killedAt = System.nanoTime() - start;
      for (double fraction : new double[] {0.5, 0.9}) {
        Files.write(target, c.old());
        Process q = start(c, target);
        Thread.sleep(Math.max(1, (long) (fraction * killedAt / 1e6)));
        q.destroyForcibly().waitFor();
        after.add(Files.readAllBytes(target));
      }
      Files.write(target, c.old());
      Process full = start(c, target);
      assertEquals(0, full.waitFor(), c.name() + ": a full run");
      byte[] fresh = Files.readAllBytes(target);
      assertFalse(Arrays.equals(fresh, c.old()), c.name() + ": the full run changed the file");
      for (byte[] a : after) {
        assertTrue(Arrays.equals(a, c.old()) || Arrays.equals(a, fresh), c.name() + ": after kill -9 the file has "
            + a.length + " bytes: neither the old " + c.old().length + " nor the new " + fresh.length);
      }
      assertEquals(List.of(), temps(target.getParent()), c.name() + ": the full run removed the killed runs' temps");
    }
    // The mid-write kill needs the temporary file to be seen in time; the large outputs give it milliseconds.
    assertTrue(caught.contains("run --output") || caught.contains("fmt"), "killed mid-write: " + caught);
  }

  private static Process start(Case c, Path target) throws IOException {
    return ChildCli.builder(c.args().apply(target)).redirectOutput(ProcessBuilder.Redirect.DISCARD)
        .redirectError(ProcessBuilder.Redirect.DISCARD).start();
  }

  /** Kills {@code p} the moment a temporary file shows in {@code folder}; false if it ended first. */
  private static boolean killWhenTempAppears(Process p, Path folder) throws Exception {
    while (p.isAlive()) {
      if (!temps(folder).isEmpty()) {
        p.destroyForcibly().waitFor();
        return true;
      }
      Thread.onSpinWait();
    }
    return false;
  }

  private static List<Path> temps(Path folder) throws IOException {
    try (Stream<Path> s = Files.list(folder)) {
      return s.filter(x -> x.getFileName().toString().endsWith(".netc-tmp")).toList();
    }
  }
}

package dev.netc.maven;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class BuildStateTest {
  @Test
  void roundTripsThroughTheFile(@TempDir Path dir) {
    BuildState.Entry a = new BuildState.Entry("models/a net.net", "aa11",
        Map.of(Path.of("/x/lib dir/blocks.net"), "bb22"), List.of(Path.of("/out/p/A.java"), Path.of("/out/p/B c.java")));
    BuildState.Entry lib = new BuildState.Entry("lib.net", "cc33", Map.of(), List.of());
    BuildState s = new BuildState("fp", Map.of(a.input(), a, lib.input(), lib));
    Path file = dir.resolve("sub/generate.state");
    s.save(file);
    BuildState back = BuildState.load(file);
    assertEquals("fp", back.fingerprint());
    assertEquals(s.entries(), back.entries());
  }

  @Test
  void anUnreadableOrForeignFileIsAnEmptyState(@TempDir Path dir) throws Exception {
    assertTrue(BuildState.load(dir.resolve("none")).entries().isEmpty());
    Path other = dir.resolve("other");
    Files.writeString(other, "netc-generate-state 0\nfingerprint x\n");
    assertEquals("", BuildState.load(other).fingerprint());
    Files.writeString(other, "netc-generate-state 1\nfingerprint x\n  import abc\n");
    assertTrue(BuildState.load(other).entries().isEmpty());
  }
}

package dev.netc.suite;

import static org.junit.jupiter.api.Assertions.assertEquals;

import dev.netc.compiler.ops.OpReference;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import org.junit.jupiter.api.Test;

/**
 * spec/ops.md is the op catalogue as {@code netc ops --markdown} prints it, so the reference cannot
 * drift from the ops the compiler accepts. {@code -Dnetc.update=true} rewrites the file.
 */
class OpsDocTest {
  @Test
  void opsReferenceIsCurrent() throws IOException {
    String doc = OpReference.markdown();
    Path file = Repo.root().resolve("spec/ops.md");
    if (Repo.update() || !Files.exists(file)) Files.writeString(file, doc, StandardCharsets.UTF_8);
    assertEquals(doc, Files.readString(file), "spec/ops.md is stale: run the test-suite with -Dnetc.update=true");
  }
}

package dev.netc.compiler.emit.java;

import static org.junit.jupiter.api.Assertions.assertEquals;

import dev.netc.compiler.Compiler;
import dev.netc.compiler.ir.Graph;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import org.junit.jupiter.api.Test;

/**
 * The emitted source of a small network, character for character: {@code src/test/resources/emit/Tiny.java.golden}.
 * After an intended change to the emitter, regenerate with
 * {@code ./mvnw -o -pl compiler -am test -Dtest=JavaEmitterGoldenTest -Dsurefire.failIfNoSpecifiedTests=false -Dnetc.update=true} and review the diff. The
 * golden source must also compile in-process under {@code -Xlint:all -Werror} and run.
 */
class JavaEmitterGoldenTest {
  private static final Path GOLDEN = Path.of("src/test/resources/emit/Tiny.java.golden");
  private static final boolean UPDATE = Boolean.getBoolean("netc.update");

  static final String TINY = """
      # A stem with a folded batchnorm, a residual pair of convs, pooling and a linear head.
      network tiny {
        input image: [3, 8, 8]
        stem: conv(8, 3, pad: 1, bias: false)
        bn: batchnorm
        relu
        block: residual {
          conv1: conv(8, 3, pad: 1)
          relu
          conv2: conv(8, 3, pad: 1)
        }
        relu
        maxpool(2)
        head logits { global_avgpool; flatten; fc: linear(4) }
      }
      """;

  @Test
  void emittedSourceMatchesTheGoldenFile() throws IOException {
    String got = Compiler.compile(Compiler.Options.text(Path.of("tiny.net"), TINY).withPackage("netc.golden")
        .withCompilerVersion("golden")).networks().getFirst().java().toString();
    if (UPDATE) {
      Files.createDirectories(GOLDEN.getParent());
      Files.writeString(GOLDEN, got);
    }
    assertEquals(Files.readString(GOLDEN), got, "emitted source differs from " + GOLDEN + " (see the class comment)");
  }

  @Test
  void goldenSourceCompilesWithoutWarningsAndRuns() {
    Graph g = Generated.graph(TINY);
    Generated.checkAgainstInterpreter("tiny", g, 2, 3);
  }
}

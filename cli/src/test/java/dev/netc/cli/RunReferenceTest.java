package dev.netc.cli;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.netc.runtime.Tensor;
import dev.netc.runtime.io.Npy;
import java.io.IOException;
import java.io.PrintWriter;
import java.io.StringWriter;
import java.nio.file.Files;
import java.nio.file.Path;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * {@code netc run} on its default, compiled path against PyTorch: a stdlib model with its torchvision weights and a
 * reference case with a concat, each through the command line, outputs within {@code 1e-4 + 1e-3·|expected|} of
 * the outputs in {@code test-suite/reference} (under the repository root, found from the working directory or {@code -Dnetc.root}).
 */
class RunReferenceTest {
  private static final double ATOL = 1e-4;
  private static final double RTOL = 1e-3;

  @TempDir Path dir;

  @Test
  void squeezeNetMatchesTorchvision() throws IOException {
    Path models = reference().resolve("models");
    check(root().resolve("stdlib-models/squeezenet1_1.net"), models.resolve("squeezenet1_1.safetensors"),
        models.resolve("input_1x3x224x224.npy"), models.resolve("squeezenet1_1.output.npy"));
  }

  @Test
  void inceptionCaseMatchesPyTorch() throws IOException {
    Path cases = reference().resolve("cases");
    check(root().resolve("test-suite/src/test/resources/reference/inception.net"), cases.resolve("inception.safetensors"),
        cases.resolve("inception.input.npy"), cases.resolve("inception.output0.npy"));
  }

  private void check(Path net, Path weights, Path input, Path expected) throws IOException {
    Path y = dir.resolve("y.npy");
    StringWriter out = new StringWriter(), err = new StringWriter();
    int code = Main.run(new String[] {"run", net.toString(), "--weights", weights.toString(), "--input",
        input.toString(), "--output", y.toString(), "--threads", "2"}, new PrintWriter(out), new PrintWriter(err));
    assertEquals(0, code, err.toString());
    assertEquals("", err.toString());
    Tensor want = Npy.read(expected);
    Tensor got = Npy.read(y);
    assertArrayEquals(want.shape().dims(), got.shape().dims());
    float[] w = want.data();
    float[] g = got.data();
    for (int i = 0; i < w.length; i++) {
      double tol = ATOL + RTOL * Math.abs(w[i]);
      int at = i;
      assertTrue(Math.abs(g[i] - w[i]) <= tol, () -> net.getFileName() + " element " + at + ": " + g[at]
          + " vs expected " + w[at]);
    }
  }

  /** The repository root: {@code -Dnetc.root}, or the nearest folder up from here holding {@code stdlib-models}. */
  static Path root() {
    String prop = System.getProperty("netc.root");
    if (prop != null && !prop.isBlank()) return Path.of(prop);
    Path p = Path.of("").toAbsolutePath();
    while (p != null && !Files.isDirectory(p.resolve("stdlib-models"))) p = p.getParent();
    if (p == null) throw new IllegalStateException("cannot find the repository root from " + Path.of("").toAbsolutePath());
    return p;
  }

  static Path reference() {
    Path r = root().resolve("test-suite/reference");
    if (!Files.isDirectory(r)) throw new IllegalStateException("PyTorch reference data not found at " + r);
    return r;
  }
}

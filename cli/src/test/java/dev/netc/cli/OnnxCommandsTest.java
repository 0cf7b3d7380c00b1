package dev.netc.cli;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.IOException;
import java.io.PrintWriter;
import java.io.StringWriter;
import java.nio.file.Files;
import java.nio.file.Path;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * {@code netc export} and {@code netc import} as a user runs them: a stdlib model with the reference weights to ONNX
 * and back to a .net file that checks and reports the same counts; a PyTorch export imported; bad files one line.
 */
class OnnxCommandsTest {
  @TempDir Path dir;

  record Result(int code, String out, String err) {}

  private static Result netc(String... args) {
    StringWriter out = new StringWriter();
    StringWriter err = new StringWriter();
    int code = Main.run(args, new PrintWriter(out), new PrintWriter(err));
    return new Result(code, out.toString(), err.toString());
  }

  private static Path root() {
    Path p = Path.of("").toAbsolutePath();
    while (p != null && !Files.isDirectory(p.resolve("stdlib-models"))) p = p.getParent();
    return p;
  }

  @Test
  void exportThenImportGivesBackTheSameCounts() throws IOException {
    Path net = root().resolve("stdlib-models/squeezenet1_1.net");
    Path weights = root().resolve("test-suite/reference/models/squeezenet1_1.safetensors");
    Path onnx = dir.resolve("sq.onnx");
    Result export = netc("export", net.toString(), "--weights", weights.toString(), "-o", onnx.toString());
    assertEquals(0, export.code(), export.err());
    assertTrue(Files.size(onnx) > 4_900_000, "the weights are in the file: " + Files.size(onnx));
    Path back = dir.resolve("squeeze_back.net");
    Path backWeights = dir.resolve("back.safetensors");
    Result imp = netc("import", onnx.toString(), "-o", back.toString(), "--weights-out", backWeights.toString());
    assertEquals(0, imp.code(), imp.err());
    // torchvision's squeezenet1_1: 1,235,496 parameters, 349,152,720 MACs
    assertTrue(imp.out().contains("1,235,496 params"), imp.out());
    Result check = netc("check", back.toString());
    assertEquals(0, check.code(), check.err());
    assertTrue(Files.size(backWeights) > 4_900_000);
  }

  @Test
  void aPyTorchExportImports() throws IOException {
    Path onnx = root().resolve("onnx/src/test/resources/pytorch/seg_mini.bn.onnx");
    Path net = dir.resolve("seg.net");
    Result imp = netc("import", onnx.toString(), "-o", net.toString());
    assertEquals(0, imp.code(), imp.err());
    assertTrue(Files.readString(net).contains("network seg"), Files.readString(net));
    assertEquals(0, netc("report", net.toString()).code());
  }

  @Test
  void aDamagedModelIsOneLine() throws IOException {
    Path bad = Files.write(dir.resolve("bad.onnx"), new byte[] {8, 7, 0x12, 0x7f, 1, 2, 3});
    Result r = netc("import", bad.toString(), "-o", dir.resolve("x.net").toString());
    assertEquals(1, r.code(), r.out() + r.err());
    assertEquals(1, r.err().strip().lines().count(), r.err());
    assertTrue(Files.notExists(dir.resolve("x.net")));
    Result missing = netc("export", dir.resolve("none.net").toString(), "-o", dir.resolve("y.onnx").toString());
    assertEquals(1, missing.code(), missing.err());
  }
}

package dev.netc.onnx;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assumptions.assumeTrue;

import dev.netc.compiler.interp.Weights;
import dev.netc.compiler.ir.Graph;
import dev.netc.runtime.io.Json;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * ONNX's own checker ({@code onnx.checker.check_model} with {@code full_check}, which also runs ONNX's shape
 * inference) on every exported reference case and the two stdlib models. Opt-in by availability: it runs where
 * Python 3 has the {@code onnx} package (Debian: {@code apt-get install python3-onnx}) and is skipped elsewhere.
 */
class OnnxCheckerTest {
  private static final String PYTHON = Files.isExecutable(Path.of("/usr/bin/python3")) ? "/usr/bin/python3" : "python3";

  @Test
  void exportedModelsPassOnnxsChecker(@TempDir Path dir) throws Exception {
    assumeTrue(python(dir, "-c", "import onnx").exitCode() == 0, "Python's onnx package is not installed; skipping");
    List<String> files = new ArrayList<>();
    Path ref = Repo.reference();
    for (Object o : (List<?>) Json.parseObject(Files.readString(ref.resolve("MANIFEST.json"))).get("cases")) {
      String name = (String) ((Map<?, ?>) o).get("name");
      Graph g = OrtExportTest.compile(Repo.referenceNets().resolve(name + ".net"), name);
      Weights w = Weights.load(ref.resolve("cases").resolve((String) ((Map<?, ?>) o).get("weights")), g);
      files.add(write(dir, name, g, w));
    }
    for (String model : List.of("squeezenet1_1", "mobilenet_v2")) {
      Graph g = OrtExportTest.compile(Repo.root().resolve("stdlib-models").resolve(model + ".net"), model);
      files.add(write(dir, model, g, Weights.load(ref.resolve("models").resolve(model + ".safetensors"), g)));
      files.add(write(dir, model + ".noweights", g, null));
    }
    String script = "import onnx, sys\n"
        + "for f in sys.argv[1:]:\n"
        + "    onnx.checker.check_model(onnx.load(f), full_check=True)\n"
        + "print('checked', len(sys.argv) - 1)\n";
    List<String> cmd = new ArrayList<>(List.of("-c", script));
    cmd.addAll(files);
    Run r = python(dir, cmd.toArray(String[]::new));
    System.out.println(r.output());
    assertEquals(0, r.exitCode(), "onnx.checker rejected an exported model:\n" + r.output());
    assertEquals("checked " + files.size(), r.output().strip().lines().reduce((a, b) -> b).orElse(""));
  }

  private static String write(Path dir, String name, Graph g, Weights w) {
    Path f = dir.resolve(name + ".onnx");
    OnnxExport.write(OnnxExport.toModel(g, w), f);
    return f.toString();
  }

  record Run(int exitCode, String output) {}

  /** Runs Python in {@code dir} (not the repository, whose {@code onnx/} folder would shadow the package). */
  private static Run python(Path dir, String... args) throws IOException, InterruptedException {
    List<String> cmd = new ArrayList<>(List.of(PYTHON));
    cmd.addAll(List.of(args));
    Process p;
    try {
      p = new ProcessBuilder(cmd).directory(dir.toFile()).redirectErrorStream(true).start();
    } catch (IOException e) {
      return new Run(-1, "cannot run " + PYTHON + ": " + e.getMessage());
    }
    String out = new String(p.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
    if (!p.waitFor(300, TimeUnit.SECONDS)) {
      p.destroyForcibly();
      return new Run(-1, "timed out\n" + out);
    }
    return new Run(p.exitValue(), out);
  }
}

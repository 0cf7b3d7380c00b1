package dev.netc.suite;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;
import static org.junit.jupiter.api.Assertions.fail;

import dev.netc.cli.Main;
import java.io.IOException;
import java.io.PrintWriter;
import java.io.StringWriter;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.stream.Stream;
import org.junit.jupiter.api.DynamicTest;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestFactory;

/**
 * Golden reports: {@code netc report --format markdown} of every {@code stdlib-models/*.net} must equal
 * {@code test-suite/src/test/resources/reports/<name>.md}. Models are discovered when the test runs, so new
 * ones are picked up (and fail until their golden exists). Run with {@code -Dnetc.update=true} to rewrite the
 * goldens (and delete those whose model is gone), then review the diff.
 */
class ReportGoldenTest {
  private static final Path ROOT = Repo.root().toAbsolutePath().normalize();
  private static final Path MODELS = ROOT.resolve("stdlib-models");
  private static final Path GOLDEN = ROOT.resolve("test-suite/src/test/resources/reports");
  private static final boolean UPDATE = Repo.update();

  @TestFactory
  Stream<DynamicTest> everyStdlibModelMatchesItsGoldenReport() throws IOException {
    List<Path> models = models();
    assertTrue(!models.isEmpty() || UPDATE, "no models in " + MODELS);
    return models.stream().map(m -> DynamicTest.dynamicTest(name(m), () -> check(m)));
  }

  @Test
  void everyGoldenReportHasItsModel() throws IOException {
    List<String> names = models().stream().map(ReportGoldenTest::name).toList();
    List<Path> stale = new ArrayList<>();
    if (Files.isDirectory(GOLDEN)) {
      try (Stream<Path> files = Files.list(GOLDEN)) {
        files.filter(f -> f.toString().endsWith(".md"))
            .filter(f -> !names.contains(f.getFileName().toString().replaceFirst("\\.md$", "")))
            .forEach(stale::add);
      }
    }
    if (UPDATE) {
      for (Path f : stale) Files.delete(f);
      return;
    }
    assertEquals(List.of(), stale, "golden reports without a model in stdlib-models/ (run with -Dnetc.update=true)");
  }

  private static void check(Path model) throws IOException {
    String report = render(model);
    assertEquals(report, render(model), "the report of " + model.getFileName() + " is not deterministic");
    Path golden = GOLDEN.resolve(name(model) + ".md");
    if (UPDATE) {
      Files.createDirectories(GOLDEN);
      if (!Files.exists(golden) || !Files.readString(golden, StandardCharsets.UTF_8).equals(report)) {
        Files.writeString(golden, report, StandardCharsets.UTF_8);
      }
      return;
    }
    if (!Files.exists(golden)) {
      fail("no golden report " + ROOT.relativize(golden) + " for " + model.getFileName()
          + "; run the suite with -Dnetc.update=true and review the new file");
    }
    assertEquals(Files.readString(golden, StandardCharsets.UTF_8), report,
        "report of " + model.getFileName() + " differs from " + ROOT.relativize(golden)
            + " (if the change is intended: -Dnetc.update=true, then review the diff)");
  }

  private static String render(Path model) {
    StringWriter out = new StringWriter(), err = new StringWriter();
    int code = Main.run(new String[] {"--color", "never", "report", "--format", "markdown", model.toString()},
        new PrintWriter(out), new PrintWriter(err));
    if (code != 0) fail("netc report " + model.getFileName() + " exited " + code + ":\n" + err);
    return out.toString();
  }

  private static List<Path> models() throws IOException {
    if (!Files.isDirectory(MODELS)) return List.of();
    try (Stream<Path> files = Files.list(MODELS)) {
      return files.filter(f -> f.getFileName().toString().endsWith(".net") && Files.isRegularFile(f)).sorted().toList();
    }
  }

  private static String name(Path model) { return model.getFileName().toString().replaceFirst("\\.net$", ""); }
}

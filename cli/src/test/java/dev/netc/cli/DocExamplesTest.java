package dev.netc.cli;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.netc.compiler.diag.Diagnostic;
import dev.netc.compiler.diag.Source;
import dev.netc.compiler.syntax.Parser;
import dev.netc.runtime.io.Json;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;

/**
 * The documentation's examples are real: every program in a code block of README.md and spec/*.md parses, so do
 * the inline examples of layers with a body ({@code concat { a; b }}) that are not placeholders, and the JSON
 * example of spec/report-json.md has the numbers a real run prints.
 */
class DocExamplesTest {
  /** Inline examples checked: a combinator or block construct with a body, optionally labeled. */
  private static final Pattern LAYER = Pattern.compile(
      "([A-Za-z_][A-Za-z0-9_]*: )?(concat|add|mul|stage|seq|residual|gate|head [A-Za-z_]+|repeat [^{]+) \\{.*");

  /** The repository root: the first folder up from here with the Maven wrapper and spec/. */
  static Path root() {
    for (Path p = Path.of("").toAbsolutePath(); p != null; p = p.getParent()) {
      if (Files.exists(p.resolve("mvnw")) && Files.isDirectory(p.resolve("spec"))) return p;
    }
    throw new IllegalStateException("not inside the repository");
  }

  private static List<Path> docs() throws IOException {
    List<Path> docs = new ArrayList<>(List.of(root().resolve("README.md")));
    try (Stream<Path> s = Files.list(root().resolve("spec"))) {
      s.filter(p -> p.toString().endsWith(".md")).sorted().forEach(docs::add);
    }
    return docs;
  }

  @Test
  void everyProgramAndLayerExampleParses() throws IOException {
    int programs = 0;
    int layers = 0;
    List<String> failures = new ArrayList<>();
    for (Path doc : docs()) {
      String text = Files.readString(doc);
      Matcher fence = Pattern.compile("(?ms)^```(\\w*)\\n(.*?)^```").matcher(text);
      while (fence.find()) {
        String body = fence.group(2);
        boolean program = (fence.group(1).isEmpty() || fence.group(1).equals("net"))
            && Pattern.compile("(?m)^(network|block|import) ").matcher(body).find();
        if (!program) continue;
        programs++;
        check(doc, body, body, failures);
      }
      Matcher span = Pattern.compile("`([^`\\n]+)`").matcher(text);
      while (span.find()) {
        String example = span.group(1);
        if (example.contains("...") || !LAYER.matcher(example).matches()) continue;
        layers++;
        check(doc, example, "network doc { input x: [1]\n" + example + "\n}\n", failures);
      }
    }
    assertEquals(List.of(), failures);
    assertTrue(programs >= 3 && layers >= 12, programs + " programs, " + layers + " layer examples");
  }

  private static void check(Path doc, String example, String program, List<String> failures) {
    List<Diagnostic> errors = Parser.check(new Source(Path.of("doc.net"), program)).stream()
        .filter(Diagnostic::isError).toList();
    if (!errors.isEmpty()) failures.add(doc.getFileName() + ": " + example + ": " + errors.getFirst().message());
  }

  /** The top-level numbers of spec/report-json.md's example are those of a real run. */
  @Test
  @SuppressWarnings("unchecked")
  void theJsonReportExampleIsARealRun() throws IOException {
    String doc = Files.readString(root().resolve("spec/report-json.md"));
    Matcher json = Pattern.compile("(?s)```json\\n(.*?)```").matcher(doc);
    assertTrue(json.find());
    CliTest.Result r = CliTest.run("report", root().resolve("stdlib-models/resnet18.net").toString(), "--format", "json",
        "--optimized");
    assertEquals(0, r.code(), r.err());
    Map<String, Object> real = (Map<String, Object>) Json.parse(r.out());
    int compared = 0;
    Matcher field = Pattern.compile("(?m)^  \"([a-z_]+)\": (\\d+),?$").matcher(json.group(1));
    while (field.find()) {
      assertEquals(Long.parseLong(field.group(2)), ((Number) real.get(field.group(1))).longValue(), field.group(1));
      compared++;
    }
    assertTrue(compared >= 10, compared + " fields compared");
    Matcher optimized = Pattern.compile("\"optimized\": (\\{[^}]*})").matcher(json.group(1));
    assertTrue(optimized.find());
    assertEquals(Json.parse(optimized.group(1)), real.get("optimized"));
  }
}

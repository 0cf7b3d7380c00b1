package dev.netc.suite;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.fail;

import dev.netc.compiler.Compilation;
import dev.netc.compiler.Compiler;
import dev.netc.compiler.analysis.Totals;
import dev.netc.compiler.diag.Diagnostic;
import dev.netc.compiler.diag.UserError;
import dev.netc.compiler.ir.Graph;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import java.util.stream.Stream;
import org.junit.jupiter.api.DynamicTest;
import org.junit.jupiter.api.TestFactory;

/**
 * The conformance corpus: every {@code .net} file directly under {@code diagnostics/} and {@code valid/} states
 * what the compiler must say about it, in comments:
 * <ul>
 *   <li>{@code # expect-error NET011 "has no parameter"} — an error with that code whose message contains the
 *       text, on this comment's line ({@code expect-error@7} for line 7, {@code expect-error@lib/a.net:3} for a
 *       line of another file);
 *   <li>{@code # expect-params NETWORK 11689512} — the network elaborates and has that many learned params
 *       ({@code expect-macs}, {@code expect-buffers} likewise).
 * </ul>
 * Every expected error must be reported and nothing else may be. Files in subfolders are helpers (imports).
 */
class ExpectationTest {
  private static final Pattern ERROR = Pattern.compile("#\\s*expect-error(?:@(?:([\\w./-]+):)?(\\d+))?\\s+(NET\\d{3})\\s+\"([^\"]*)\"");
  private static final Pattern COUNT = Pattern.compile("#\\s*expect-(params|macs|buffers)\\s+(\\w+)\\s+(\\d+)");

  record Expected(Path file, int line, String code, String text) {
    boolean matches(Diagnostic d) {
      return d.span().line() == line && d.code().id().equals(code) && d.message().contains(text)
          && d.span().source() != null && sameFile(d.span().source().path(), file);
    }

    private static boolean sameFile(Path a, Path b) {
      return a.toAbsolutePath().normalize().equals(b.toAbsolutePath().normalize());
    }

    @Override
    public String toString() { return file.getFileName() + ":" + line + ": " + code + " \"" + text + "\""; }
  }

  @TestFactory
  Stream<DynamicTest> corpus() throws IOException {
    List<Path> files = new ArrayList<>();
    for (String dir : List.of("diagnostics", "valid")) {
      try (Stream<Path> s = Files.list(Repo.resources().resolve(dir))) {
        s.filter(p -> p.toString().endsWith(".net")).sorted().forEach(files::add);
      }
    }
    if (files.isEmpty()) fail("no conformance files found");
    return files.stream().map(f -> DynamicTest.dynamicTest(f.getParent().getFileName() + "/" + f.getFileName(), () -> run(f)));
  }

  private static void run(Path file) throws IOException {
    List<String> lines = Files.readAllLines(file);
    List<Expected> errors = new ArrayList<>();
    List<String[]> counts = new ArrayList<>();
    for (int i = 0; i < lines.size(); i++) {
      Matcher m = ERROR.matcher(lines.get(i));
      while (m.find()) {
        Path where = m.group(1) != null ? file.resolveSibling(m.group(1)) : file;
        errors.add(new Expected(where, m.group(2) != null ? Integer.parseInt(m.group(2)) : i + 1, m.group(3), m.group(4)));
      }
      Matcher c = COUNT.matcher(lines.get(i));
      if (c.find()) counts.add(new String[] {c.group(1), c.group(2), c.group(3)});
    }
    if (errors.isEmpty() && counts.isEmpty()) fail(file + " states no expectation");
    List<Diagnostic> got;
    List<Graph> graphs = List.of();
    try {
      Compilation r = Compiler.compile(file);
      got = r.warnings().stream().filter(Diagnostic::isError).toList();
      graphs = r.graphs();
    } catch (UserError e) {
      got = e.diagnostics();
    }
    List<String> problems = new ArrayList<>();
    for (Expected x : errors) {
      if (got.stream().noneMatch(x::matches)) problems.add("missing: " + x);
    }
    for (Diagnostic d : got) {
      if (errors.stream().noneMatch(x -> x.matches(d))) problems.add("unexpected: " + d.headline());
    }
    if (!problems.isEmpty()) fail(file.getFileName() + ":\n  " + String.join("\n  ", problems));
    for (String[] c : counts) {
      Graph g = graphs.stream().filter(x -> x.name().equals(c[1])).findFirst()
          .orElseThrow(() -> new AssertionError("network " + c[1] + " not elaborated in " + file));
      Totals t = Totals.of(g, 1);
      long actual = switch (c[0]) {
        case "params" -> t.params();
        case "macs" -> t.macs();
        default -> t.buffers();
      };
      assertEquals(Long.parseLong(c[2]), actual, c[0] + " of " + c[1] + " in " + file.getFileName());
    }
  }
}

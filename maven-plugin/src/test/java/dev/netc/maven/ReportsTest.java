package dev.netc.maven;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** Budgets judged on real reports: which network a {@code <budget>} names, and what an unknown name says. */
class ReportsTest {
  private static final String NETS = """
      network tiny_det {
        input x: [4]
        head y { fc: linear(3) }
      }

      network Other {
        input x: [4]
        head y { fc: linear(8) }
      }
      """;

  @TempDir Path dir;
  private final List<String> lines = new ArrayList<>();

  private Reports.Summary run(Budget... budgets) throws IOException {
    Files.writeString(dir.resolve("nets.net"), NETS);
    BuildLog log = new BuildLog() {
      @Override public void info(String line) { lines.add("INFO " + line); }

      @Override public void warn(String line) { lines.add("WARN " + line); }

      @Override public void error(String line) { lines.add("ERROR " + line); }
    };
    return new Reports(dir, dir.resolve("reports"), 1, new BudgetRules(null, null, null, List.of(budgets)), log)
        .run(List.of(Path.of("nets.net")));
  }

  @Test
  void aBudgetByClassNameLimitsItsNetwork() throws IOException {
    Reports.Summary s = run(new Budget("TinyDet", "10", null, null));
    assertEquals(new Reports.Summary(2, 0, 1), s);
    assertTrue(lines.contains("ERROR " + dir.resolve("nets.net") + ":1:9: error: network tiny_det has 15 params, over "
        + "the budget of 10"), lines.toString());
  }

  @Test
  void anUnknownNetworkIsAnErrorThatListsBothNames() throws IOException {
    Reports.Summary s = run(new Budget("Detector", null, "1G", null));
    assertEquals(new Reports.Summary(2, 1, 0), s);
    assertTrue(lines.contains("ERROR netc: error: a <budget> names network Detector, which no input declares (by its "
        + "name in the .net file or its class name); networks: Other, tiny_det (class TinyDet)"), lines.toString());
  }

  @Test
  void twoBudgetsForOneNetworkAreAnErrorAtItsDeclaration() throws IOException {
    Reports.Summary s = run(new Budget("TinyDet", "10", null, null), new Budget("tiny_det", "20", null, null));
    assertEquals(1, s.errors());
    assertTrue(lines.stream().anyMatch(l -> l.endsWith(":1:9: error: two <budget> entries for network tiny_det: one "
        + "names it tiny_det (its name in the .net file), one TinyDet (its class)")), lines.toString());
  }
}

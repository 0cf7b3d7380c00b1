package dev.netc.cli;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.netc.runtime.io.Json;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;

/** {@code netc diff}: totals side by side and the layers that differ, aligned by path. */
class DiffCommandTest {
  private static final Path STDLIB = Path.of("..", "stdlib-models");

  /** Two networks of one file: a wider stem, one block more, another head. */
  private static final Path PAIR = ReportCli.write("pair.net", """
      network a {
        input image: [3, 32, 32]
        stem: conv(16, 3, pad: 1); relu
        block1: [conv(16, 3, pad: 1), relu]
        head logits { pool: global_avgpool; flatten; fc: linear(10) }
      }
      network b {
        input image: [3, 32, 32]
        stem: conv(32, 3, pad: 1); relu
        block1: [conv(32, 3, pad: 1), relu]
        block2: [conv(32, 3, pad: 1), relu]
        head logits { pool: global_avgpool; flatten; fc: linear(10) }
      }
      """);

  @Test
  void resnet18AgainstResnet34() {
    ReportCli.Run r = ReportCli.run("diff", STDLIB.resolve("resnet18.net").toString(),
        STDLIB.resolve("resnet34.net").toString(), "--format", "json");
    assertEquals(0, r.code(), r.err());
    Map<?, ?> d = (Map<?, ?>) Json.parse(r.out());
    Map<?, ?> params = (Map<?, ?>) ((Map<?, ?>) d.get("totals")).get("params");
    assertEquals(11_689_512L, ((Number) params.get("before")).longValue());
    assertEquals(21_797_672L, ((Number) params.get("after")).longValue());
    assertEquals(21_797_672L - 11_689_512L, ((Number) params.get("delta")).longValue());
    Map<?, ?> rows = (Map<?, ?>) d.get("rows");
    Map<?, ?> layers = (Map<?, ?>) ((Map<?, ?>) d.get("totals")).get("layers");
    long grew = ((Number) layers.get("delta")).longValue();
    assertEquals(grew, ((Number) rows.get("added")).longValue() - ((Number) rows.get("removed")).longValue());
    long addedParams = 0;
    for (Object o : (List<?>) d.get("changes")) addedParams += ((Number) ((Map<?, ?>) o).get("params_delta")).longValue();
    assertEquals(21_797_672L - 11_689_512L, addedParams, "the changed rows account for the whole difference");
  }

  @Test
  void twoNetworksOfOneFileAsATable() {
    ReportCli.Run r = ReportCli.run("diff", PAIR.toString());
    assertEquals(0, r.code(), r.err());
    String t = r.out();
    assertTrue(t.startsWith("a (pair.net) \u2192 b (pair.net)\n"), t);
    assertTrue(t.contains("layers: 2 added, 0 removed, 7 changed, 1 the same\n"), t);
    assertTrue(t.lines().anyMatch(l -> l.startsWith("~  stem ") && l.contains("conv 16, k=3, p=1 [1, 16, 32, 32]")
        && l.contains("conv 32, k=3, p=1 [1, 32, 32, 32]")), t);
    assertTrue(t.lines().anyMatch(l -> l.startsWith("+  block2.0 ")), t);
    assertTrue(t.lines().anyMatch(l -> l.matches("params\\s+2,938\\s+19,722\\s+\\+16,784 \\(\\+571.3%\\)")), t);
    // The unnamed flatten is layer 4 of a and layer 5 of b: the same layer, moved, its shape changed.
    assertTrue(t.lines().anyMatch(l -> l.startsWith("~  4 \u2192 5 ") && l.contains("flatten [1, 16]")), t);
  }

  @Test
  void depthComparesGroups() {
    ReportCli.Run r = ReportCli.run("diff", PAIR.toString(), "--depth", "1", "--format", "json");
    assertEquals(0, r.code(), r.err());
    Map<?, ?> d = (Map<?, ?>) Json.parse(r.out());
    List<?> changes = (List<?>) d.get("changes");
    assertTrue(changes.stream().anyMatch(c -> ((Map<?, ?>) c).get("path").equals("block2")
        && ((Map<?, ?>) c).get("kind").equals("added")), r.out());
  }

  @Test
  void htmlPage() {
    ReportCli.Run r = ReportCli.run("diff", PAIR.toString(), "--format", "html");
    assertEquals(0, r.code(), r.err());
    assertTrue(r.out().startsWith("<!DOCTYPE html>"));
    assertEquals(2, r.out().split("<tr class=\"added\"", -1).length - 1);
    assertEquals(7, r.out().split("<tr class=\"changed\"", -1).length - 1);
  }

  @Test
  void oneNetworkIsNotEnough() {
    Path one = ReportCli.write("one.net", "network one { input x: [3, 8, 8]; conv(4, 3) }\n");
    ReportCli.Run r = ReportCli.run("diff", one.toString());
    assertEquals(1, r.code());
    assertEquals("netc: " + one + " declares 1 network; diff compares two: give two files, or a file of two networks\n",
        r.err());
    assertEquals(2, ReportCli.run("diff", PAIR.toString(), "--format", "csv").code());
  }
}

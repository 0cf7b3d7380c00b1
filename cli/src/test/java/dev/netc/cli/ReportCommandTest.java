package dev.netc.cli;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertInstanceOf;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.netc.runtime.io.Json;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;

/**
 * {@code netc report} end to end on {@link ReportCli#SMALL}, whose counts are, by hand: stem conv 16·3·9 = 432
 * params and 16·32·32·27 = 442,368 MACs; four 3×3 convs 16→16 of 2,304 params and 2,359,296 MACs each; five
 * batchnorms of 32 params and 32 buffers; fc 16·10+10 = 170 params and 160 MACs. Totals: 9,978 params, 160
 * buffers, 9,879,712 MACs.
 */
class ReportCommandTest {
  private static final Path SMALL = ReportCli.write("small.net", ReportCli.SMALL);
  private static final long PARAMS = 9_978, BUFFERS = 160, MACS = 9_879_712;

  @SuppressWarnings("unchecked")
  private static Map<String, Object> json(String... extra) {
    String[] args = new String[extra.length + 4];
    args[0] = "report";
    args[1] = SMALL.toString();
    args[2] = "--format";
    args[3] = "json";
    System.arraycopy(extra, 0, args, 4, extra.length);
    ReportCli.Run r = ReportCli.run(args);
    assertEquals(0, r.code(), r.err());
    return (Map<String, Object>) Json.parse(r.out());
  }

  @SuppressWarnings("unchecked")
  private static Map<String, Object> layer(Map<String, Object> report, String path) {
    for (Object o : (List<Object>) report.get("layers")) {
      Map<String, Object> l = (Map<String, Object>) o;
      if (l.get("path").equals(path)) return l;
    }
    throw new AssertionError("no layer " + path);
  }

  @Test
  void jsonHasTheDocumentedTopLevelFields() {
    Map<String, Object> j = json();
    assertEquals("small", j.get("network"));
    assertEquals(1L, j.get("batch"));
    assertEquals(PARAMS, j.get("params"));
    assertEquals(BUFFERS, j.get("buffers"));
    assertEquals(MACS, j.get("macs"));
    assertEquals(2 * MACS, j.get("flops"));
    assertEquals((PARAMS + BUFFERS) * 4, j.get("weight_bytes"));
    for (String k : List.of("other_ops", "peak_activation_bytes", "activation_bytes")) {
      assertInstanceOf(Long.class, j.get(k), k);
    }
    assertInstanceOf(String.class, j.get("peak_at"));
    assertTrue(((String) j.get("convention")).contains("FLOPs = 2 x MACs"));
    assertEquals(List.of(Map.of("name", "image", "shape", List.of(1L, 3L, 32L, 32L))), j.get("inputs"));
    assertEquals(List.of(Map.of("name", "logits", "shape", List.of(1L, 10L))), j.get("outputs"));
  }

  @Test
  @SuppressWarnings("unchecked")
  void optimizedShowsTheNetworkAsItWillRunBesideTheNetworkAsWritten() {
    Map<String, Object> plain = json();
    assertTrue(plain.containsKey("planned_arena_bytes"));
    assertNull(plain.get("optimized"));
    Map<String, Object> o = (Map<String, Object>) json("--optimized").get("optimized");
    // 3 stem layers, 7 per block (two convs, two batchnorms, two relus, the add), pool, flatten, fc
    assertEquals(20L, o.get("layers_before"));
    // stem and four convs each absorb their batchnorm and what follows; pool, flatten and fc stay
    assertEquals(8L, o.get("layers_after"));
    assertEquals(5L, o.get("fused_kernels"));
    assertEquals(MACS, o.get("macs"));
    long arena = (Long) o.get("planned_arena_bytes");
    long bound = (Long) o.get("arena_lower_bound_bytes");
    assertTrue(bound > 0 && bound <= arena, bound + " <= " + arena);
    assertEquals((Long) o.get("steps"), (Long) o.get("kernels") + (Long) o.get("layout_conversions")
        + (Long) o.get("output_copies"));
    ReportCli.Run table = ReportCli.run("report", SMALL.toString(), "--optimized");
    assertEquals(0, table.code(), table.err());
    assertTrue(table.out().contains("after optimization and planning:"), table.out());
    assertTrue(table.out().contains("planned arena bytes (compiled plan)"), table.out());
  }

  @Test
  @SuppressWarnings("unchecked")
  void jsonLayersHaveTheDocumentedFields() {
    Map<String, Object> j = json();
    List<Object> layers = (List<Object>) j.get("layers");
    long params = 0, macs = 0;
    for (Object o : layers) {
      Map<String, Object> l = (Map<String, Object>) o;
      for (String k : List.of("path", "op", "detail", "output_shape", "params", "buffers", "macs", "flops",
          "other_ops", "activation_bytes", "receptive_field", "stride")) {
        assertTrue(l.containsKey(k), "layer " + l.get("path") + " lacks " + k);
      }
      assertEquals(2 * (Long) l.get("macs"), l.get("flops"));
      params += (Long) l.get("params");
      macs += (Long) l.get("macs");
    }
    assertEquals(PARAMS, params);
    assertEquals(MACS, macs);
    Map<String, Object> stem = layer(j, "stem");
    assertEquals("conv", stem.get("op"));
    assertEquals("16, k=3, p=1, no bias", stem.get("detail"));
    assertEquals(List.of(1L, 16L, 32L, 32L), stem.get("output_shape"));
    assertEquals(432L, stem.get("params"));
    assertEquals(442_368L, stem.get("macs"));
    assertEquals(16L * 32 * 32 * 4, stem.get("activation_bytes"));
    assertEquals(List.of(3L, 3L), stem.get("receptive_field"));
    assertEquals(List.of(1L, 1L), stem.get("stride"));
    assertNull(layer(j, "fc").get("receptive_field"));
    assertEquals("image", layer(j, "image").get("path"));
  }

  @Test
  void batchMultipliesCountsAndShowsInShapes() {
    Map<String, Object> j = json("--batch", "4");
    assertEquals(4L, j.get("batch"));
    assertEquals(4 * MACS, j.get("macs"));
    assertEquals(PARAMS, j.get("params"));
    assertEquals(List.of(4L, 16L, 32L, 32L), layer(j, "stem").get("output_shape"));
  }

  @Test
  void severalNetworksGiveAnArray() {
    Path two = ReportCli.write("two.net", ReportCli.SMALL + """
        network tiny { input x: [4]; fc: linear(2) }
        """);
    ReportCli.Run r = ReportCli.run("report", two.toString(), "--format", "json");
    assertEquals(0, r.code(), r.err());
    List<?> all = assertInstanceOf(List.class, Json.parse(r.out()));
    assertEquals(2, all.size());
    ReportCli.Run one = ReportCli.run("report", two.toString(), "--format", "json", "--network", "tiny");
    assertEquals(10L, assertInstanceOf(Map.class, Json.parse(one.out())).get("params"));
  }

  @Test
  void budgetsExitOneWithOneLinePerBudget() {
    ReportCli.Run ok = ReportCli.run("report", SMALL.toString(), "--max-params", "10K", "--max-macs", "9.9M");
    assertEquals(0, ok.code(), ok.err());
    ReportCli.Run over = ReportCli.run("report", SMALL.toString(), "--max-params", "9K", "--max-macs", "9.8M",
        "--max-memory", "1KiB");
    assertEquals(1, over.code());
    List<String> lines = over.err().lines().toList();
    assertEquals(3, lines.size(), over.err());
    assertEquals("netc: small has 9,978 params, over the budget of 9,000", lines.get(0));
    assertEquals("netc: small has 9,879,712 MACs, over the budget of 9,800,000", lines.get(1));
    assertTrue(lines.get(2).startsWith("netc: small needs "), lines.get(2));
    assertTrue(lines.get(2).endsWith("over the memory budget of 1,024 (1 KiB)"), lines.get(2));
    assertTrue(over.out().contains("params"), "the report is still printed");
  }

  @Test
  void malformedOptionsAreUsageErrors() {
    assertEquals(2, ReportCli.run("report", SMALL.toString(), "--max-params", "12Q").code());
    assertEquals(2, ReportCli.run("report", SMALL.toString(), "--max-params", "1.5").code());
    assertEquals(2, ReportCli.run("report", SMALL.toString(), "--batch", "0").code());
    assertEquals(2, ReportCli.run("report", SMALL.toString(), "--depth", "-1").code());
    assertEquals(2, ReportCli.run("report", SMALL.toString(), "--format", "xml").code());
    assertEquals(2, ReportCli.run("report", SMALL.toString(), "--sweep", "image").code());
    assertEquals(2, ReportCli.run("report", SMALL.toString(), "--input", "image=3,x,32").code());
  }

  @Test
  @SuppressWarnings("unchecked")
  void sweepReportsTotalsPerSize() {
    Map<String, Object> j = json("--sweep", "image=32,64,64x32");
    Map<String, Object> sweep = (Map<String, Object>) j.get("sweep");
    assertEquals("image", sweep.get("input"));
    List<Object> points = (List<Object>) sweep.get("points");
    assertEquals(3, points.size());
    Map<String, Object> p32 = (Map<String, Object>) points.get(0), p64 = (Map<String, Object>) points.get(1);
    Map<String, Object> wide = (Map<String, Object>) points.get(2);
    assertEquals(List.of(1L, 3L, 32L, 32L), p32.get("shape"));
    assertEquals(List.of(1L, 3L, 64L, 32L), wide.get("shape"));
    assertEquals(MACS, p32.get("macs"));
    // every conv's output grows 4×; the fc after global pooling does not
    assertEquals(4 * (MACS - 160) + 160, p64.get("macs"));
    assertEquals(2 * (MACS - 160) + 160, wide.get("macs"));
    assertEquals(PARAMS, p64.get("params"));
    ReportCli.Run table = ReportCli.run("report", SMALL.toString(), "--sweep", "image=32,64");
    assertTrue(table.out().contains("sweep over image:"), table.out());
    assertTrue(table.out().contains("[1, 3, 64, 64]"), table.out());
  }

  @Test
  void sweepChecksBudgetsAtEverySize() {
    ReportCli.Run r = ReportCli.run("report", SMALL.toString(), "--sweep", "image=32,64", "--max-macs", "20M");
    assertEquals(1, r.code());
    assertEquals("netc: small at image [1, 3, 64, 64] has 39,518,368 MACs, over the budget of 20,000,000\n",
        r.err().replace("\r", ""));
  }

  @Test
  void sweepOverAMissingInputIsAUserError() {
    ReportCli.Run r = ReportCli.run("report", SMALL.toString(), "--sweep", "pixels=64");
    assertEquals(1, r.code());
    assertEquals("netc: network small has no input 'pixels'; its inputs: image", r.err().strip());
  }

  @Test
  void depthGroupsLayersWithSubtotals() {
    ReportCli.Run r = ReportCli.run("report", SMALL.toString(), "--format", "csv", "--depth", "1");
    assertEquals(0, r.code(), r.err());
    List<String> lines = r.out().lines().toList();
    assertEquals("network,path,op,detail,output_shape,params,buffers,macs,flops,other_ops,activation_bytes,"
        + "receptive_field,stride", lines.getFirst());
    List<String> paths = lines.stream().skip(1).map(l -> l.split(",")[1]).toList();
    assertEquals(List.of("image", "stem", "bn", "2", "layer1", "pool", "5", "fc"), paths);
    String layer1 = lines.stream().filter(l -> l.startsWith("small,layer1,")).findFirst().orElseThrow();
    assertTrue(layer1.startsWith("small,layer1,group,14 layers,1x16x32x32,9344,128,9437184,18874368,"), layer1);
    ReportCli.Run two = ReportCli.run("report", SMALL.toString(), "--depth", "2");
    assertTrue(two.out().contains("\n  layer1.0 "), two.out());
    assertTrue(two.out().contains("(7 layers)"), two.out());
  }

  @Test
  void markdownAndTableShowTheConvention() {
    ReportCli.Run md = ReportCli.run("report", SMALL.toString(), "--format", "markdown");
    assertEquals(0, md.code(), md.err());
    assertTrue(md.out().startsWith("# small\n"), md.out());
    assertTrue(md.out().contains("| `stem` | conv 16, k=3, p=1, no bias | [1, 16, 32, 32] | 432 |"), md.out());
    assertTrue(md.out().contains("| params | 9,978 | 9.98K |"), md.out());
    assertTrue(md.out().contains("Convention: MACs are"), md.out());
    ReportCli.Run table = ReportCli.run("report", SMALL.toString());
    assertTrue(table.out().contains("9.98K"), table.out());
    assertTrue(table.out().contains("Convention: MACs are"), table.out());
  }

  @Test
  void inputOverrideChangesShapes() {
    Map<String, Object> j = json("--input", "image=3x16x16");
    assertEquals(List.of(1L, 16L, 16L, 16L), layer(j, "stem").get("output_shape"));
  }

  @Test
  void shapeErrorsAreDiagnostics() {
    Path bad = ReportCli.write("bad.net", "network bad { input x: [3, 8, 8]; c: conv(4, 9) }\n");
    ReportCli.Run r = ReportCli.run("report", bad.toString());
    assertEquals(1, r.code());
    assertTrue(r.err().contains("bad.c: conv"), r.err());
  }
}

package dev.netc.lsp;

import static dev.netc.lsp.LspSession.at;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.google.gson.JsonElement;
import com.google.gson.JsonObject;
import com.google.gson.JsonParser;
import dev.netc.compiler.Compiler;
import dev.netc.compiler.analysis.NetworkReport;
import dev.netc.compiler.analysis.ReportDoc;
import dev.netc.compiler.analysis.render.JsonRenderer;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

/**
 * ResNet-50 from the standard library opened through the server: every count a hover shows equals what
 * {@code netc report --format json} prints for the same layer (with {@code --depth 1} and {@code --depth 2} for
 * stages and blocks), including layers inside blocks of the imported file, which have one row per use.
 */
class StdlibHoverTest {
  static final Path MODEL = Path.of("..", "stdlib-models", "resnet50.net").toAbsolutePath().normalize();
  static final Path BLOCKS = MODEL.resolveSibling("blocks").resolve("resnet.net");

  /** Path to the report's row (layers, and groups at depths 1 and 2): params, MACs, output shape. */
  static final Map<String, JsonObject> ROWS = new HashMap<>();
  static JsonObject report;

  @BeforeAll
  static void report() {
    NetworkReport r = Compiler.compile(MODEL).networks().getFirst().report();
    for (int depth : new int[] {1, 2}) {
      // Exactly what `netc report resnet50.net --format json --depth N` prints.
      report = JsonParser.parseString(JsonRenderer.render(List.of(ReportDoc.of("resnet50.net", r, depth, null))))
          .getAsJsonObject();
      for (JsonElement e : report.getAsJsonArray("layers")) ROWS.put(path(e), e.getAsJsonObject());
      for (JsonElement e : report.getAsJsonArray("groups")) ROWS.putIfAbsent(path(e), e.getAsJsonObject());
    }
  }

  private static String path(JsonElement e) { return e.getAsJsonObject().get("path").getAsString(); }

  @Test
  void hoverCountsEqualTheReport() throws Exception {
    String model = Files.readString(MODEL);
    String blocks = Files.readString(BLOCKS);
    String modelUri = Workspace.uri(MODEL);
    String blocksUri = Workspace.uri(BLOCKS);
    try (LspSession s = new LspSession(new NetcLanguageServer(Analyzer.COMPILER, 0))) {
      s.initialize(null);
      s.openWithoutErrors(modelUri, model);
      s.openWithoutErrors(blocksUri, blocks);

      // Layers of the network itself, and its stages (groups of --depth 1).
      for (String label : List.of("conv1", "bn1", "maxpool", "layer1", "layer2", "layer3", "layer4", "fc")) {
        String h = ProtocolTest.hover(s, modelUri, at(model, " " + label + ":", 0, 1));
        JsonObject row = ROWS.get(label);
        assertEquals(count(row, "params"), number(h, "params: ([0-9,]+)"), label + "\n" + h);
        assertEquals(count(row, "macs"), number(h, "MACs: ([0-9,]+)"), label + "\n" + h);
        assertTrue(h.contains("output: `" + row.get("output_shape").toString().replace(",", ", ") + "`"), h);
      }
      String net = ProtocolTest.hover(s, modelUri, at(model, "resnet50(", 0, 1));
      assertEquals(report.get("params").getAsLong(), number(net, "params: ([0-9,]+)"));
      assertEquals(report.get("macs").getAsLong(), number(net, "MACs: ([0-9,]+)"));

      // In the imported file of blocks, a layer is each of its uses in the open network.
      String conv2 = ProtocolTest.hover(s, blocksUri, at(blocks, "conv2: conv(\n      width", 0, 0));
      List<String[]> rows = table(conv2);
      assertEquals(Hovers.MAX_ROWS, rows.size(), conv2);
      assertTrue(conv2.contains("16 instances") && conv2.contains("… and 4 more"), conv2);
      for (String[] r : rows) assertRow(r);
      long all = ROWS.entrySet().stream().filter(e -> e.getKey().matches("layer\\d\\.\\d+\\.conv2"))
          .mapToLong(e -> count(e.getValue(), "params")).sum();
      assertEquals(all, number(conv2, "in all: params ([0-9,]+)"));

      // A call of a layer parameter: the first unit of each stage, then the repeated ones (groups of --depth 2).
      String first = ProtocolTest.hover(s, blocksUri, at(blocks, "  unit(planes: planes, stride: stride)", 0, 2));
      assertEquals(List.of("layer1.0", "layer2.0", "layer3.0", "layer4.0"), paths(first));
      table(first).forEach(StdlibHoverTest::assertRow);
      String rest = ProtocolTest.hover(s, blocksUri, at(blocks, "repeat blocks - 1: unit", 0, 19));
      assertTrue(rest.contains("12 instances"), rest);
      assertEquals(List.of("layer1.1", "layer1.2", "layer2.1", "layer2.2", "layer2.3", "layer3.1", "layer3.2",
          "layer3.3", "layer3.4", "layer3.5", "layer4.1", "layer4.2"), paths(rest));
      table(rest).forEach(StdlibHoverTest::assertRow);

      // The outline of the blocks: each block, and in Bottleneck its residual with the layers and the shortcut.
      var symbols = s.server.getTextDocumentService().documentSymbol(new org.eclipse.lsp4j.DocumentSymbolParams(
          LspSession.id(blocksUri))).get(30, java.util.concurrent.TimeUnit.SECONDS).stream().map(x -> x.getRight())
          .toList();
      assertEquals(List.of("BasicBlock", "Bottleneck", "ResLayer", "DilatedResLayer"), symbols.stream()
          .map(org.eclipse.lsp4j.DocumentSymbol::getName).toList());
      var residualSymbol = symbols.get(1).getChildren().getFirst();
      assertEquals("residual", residualSymbol.getName());
      assertEquals(List.of("conv1", "bn1", "conv2", "bn2", "conv3", "bn3", "downsample"), residualSymbol.getChildren()
          .stream().map(org.eclipse.lsp4j.DocumentSymbol::getName).toList());

      // An unlabeled residual: its add and everything feeding it, the whole block but the last relu (no params).
      String residual = ProtocolTest.hover(s, blocksUri, at(blocks, "residual {\n    conv1: conv(width", 0, 1));
      for (String[] r : table(residual)) {
        JsonObject block = ROWS.get(LayerIndex.strip(r[0], 1));
        assertEquals(count(block, "params"), Long.parseLong(r[2].replace(",", "")), residual);
        assertEquals(count(block, "macs"), Long.parseLong(r[3].replace(",", "")), residual);
      }
    }
  }

  /** A table row (path, output, params, MACs, RF) against the report's row of that path. */
  private static void assertRow(String[] r) {
    JsonObject row = ROWS.get(r[0]);
    if (row == null) throw new AssertionError("the report has no row " + r[0]);
    assertEquals(count(row, "params"), Long.parseLong(r[2].replace(",", "")), r[0]);
    assertEquals(count(row, "macs"), Long.parseLong(r[3].replace(",", "")), r[0]);
    assertEquals("`" + row.get("output_shape").toString().replace(",", ", ") + "`", r[1], r[0]);
  }

  private static long count(JsonObject row, String key) { return row.get(key).getAsLong(); }

  private static long number(String text, String regex) {
    Matcher m = Pattern.compile(regex).matcher(text);
    if (!m.find()) throw new AssertionError("no " + regex + " in\n" + text);
    return Long.parseLong(m.group(1).replace(",", ""));
  }

  private static List<String[]> table(String hover) {
    List<String[]> out = new ArrayList<>();
    for (String line : hover.split("\n")) {
      if (!line.startsWith("| ") || line.startsWith("| path") || line.startsWith("| ---")) continue;
      String[] cells = line.substring(2, line.length() - 2).split(" \\| ");
      out.add(cells);
    }
    return out;
  }

  private static List<String> paths(String hover) { return table(hover).stream().map(r -> r[0]).toList(); }
}

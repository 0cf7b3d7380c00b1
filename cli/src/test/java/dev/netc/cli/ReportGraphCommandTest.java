package dev.netc.cli;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import org.junit.jupiter.api.Test;

/** {@code netc graph}: DOT and Mermaid with clusters per path prefix and shapes on edges; SVG and PNG in the JVM. */
class ReportGraphCommandTest {
  private static final Path SMALL = ReportCli.write("small.net", ReportCli.SMALL);

  @Test
  void dotHasNestedClustersAndShapesOnEdges() {
    ReportCli.Run r = ReportCli.run("graph", SMALL.toString());
    assertEquals(0, r.code(), r.err());
    String dot = r.out();
    assertTrue(dot.startsWith("digraph \"small\" {"), dot);
    assertTrue(dot.contains("subgraph \"cluster_layer1\" {"), dot);
    assertTrue(dot.contains("subgraph \"cluster_layer1.0\" {"), dot);
    assertTrue(dot.contains("label=\"conv1\\nconv 16, k=3, p=1, no bias\\n16x32x32\\n2.30K params · 2.36M MACs\""),
        dot);
    assertTrue(dot.contains("[label=\"16x32x32\"]"), dot);
    assertTrue(dot.contains("label=\"logits\\n10\", shape=ellipse"), dot);
    // braces balance: every cluster is closed
    assertEquals(dot.chars().filter(c -> c == '{').count(), dot.chars().filter(c -> c == '}').count());
  }

  @Test
  void writesDotFiles() throws IOException {
    Path out = Files.createTempDirectory("netc-graph").resolve("small.dot");
    ReportCli.Run r = ReportCli.run("graph", SMALL.toString(), "-o", out.toString());
    assertEquals(0, r.code(), r.err());
    assertTrue(Files.readString(out).startsWith("digraph"));
  }

  @Test
  void svgAndPngNeedNoGraphviz() throws Exception {
    Path dir = Files.createTempDirectory("netc-graph");
    ReportCli.Run r = ReportCli.run("graph", SMALL.toString(), "-o", dir.resolve("small.svg").toString(),
        "--depth", "2", "--color", "macs");
    assertEquals(0, r.code(), r.err());
    String svg = Files.readString(dir.resolve("small.svg"));
    assertTrue(svg.startsWith("<svg xmlns=\"http://www.w3.org/2000/svg\""), svg);
    assertTrue(svg.contains("<g class=\"box\" data-path=\"layer1.0\""), svg);
    assertTrue(svg.contains("fill: MACs"), svg);
    r = ReportCli.run("graph", SMALL.toString(), "-o", dir.resolve("small.png").toString());
    if (!dev.netc.viz.PngWriter.fontsAvailable()) {
      assertEquals(1, r.code(), "PNG without fonts: " + r.err());
      return;
    }
    assertEquals(0, r.code(), r.err());
    var img = javax.imageio.ImageIO.read(dir.resolve("small.png").toFile());
    assertTrue(img.getWidth() > 100 && img.getHeight() > 500, img.getWidth() + "x" + img.getHeight());
  }

  @Test
  void mermaidHasSubgraphsAndShapes() {
    ReportCli.Run r = ReportCli.run("graph", SMALL.toString(), "--format", "mmd");
    assertEquals(0, r.code(), r.err());
    assertTrue(r.out().startsWith("flowchart TB\n"), r.out());
    assertTrue(r.out().contains("subgraph nc1 [\"layer1\"]"), r.out());
    assertTrue(r.out().contains(" -->|\"16x32x32\"| "), r.out());
  }

  @Test
  void depthCollapsesBlocksIntoBoxes() {
    ReportCli.Run r = ReportCli.run("graph", SMALL.toString(), "--depth", "1");
    assertEquals(0, r.code(), r.err());
    assertTrue(r.out().contains("label=\"layer1\\n14 layers\\n16x32x32\\n9.34K params · 9.44M MACs"), r.out());
    assertTrue(!r.out().contains("cluster_layer1\""), "no frame left around a collapsed stage");
  }

  @Test
  void colorByMeasuredTime() {
    ReportCli.Run r = ReportCli.run("graph", SMALL.toString(), "--color", "time", "--format", "svg");
    assertEquals(0, r.code(), r.err());
    assertTrue(r.out().contains("fill: measured time"), r.out());
    assertTrue(r.out().matches("(?s).*<text[^>]*>2.30K params · 2.36M MACs · \\d+\\.\\d{3} ms</text>.*"),
        "conv boxes show their time");
  }

  @Test
  void badColoringAndFormatAreUsageErrors() {
    ReportCli.Run r = ReportCli.run("graph", SMALL.toString(), "--color", "speed");
    assertEquals(2, r.code());
    assertTrue(r.err().contains("'speed' is not a colouring (kind, macs, params, memory, time)"), r.err());
    assertEquals(2, ReportCli.run("graph", SMALL.toString(), "--format", "png").code());
  }

  @Test
  void otherExtensionsAreUsageErrors() {
    assertEquals(2, ReportCli.run("graph", SMALL.toString(), "-o", "small.jpg").code());
  }
}

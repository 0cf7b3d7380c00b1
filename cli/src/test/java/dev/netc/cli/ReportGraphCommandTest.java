package dev.netc.cli;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;
import static org.junit.jupiter.api.Assumptions.assumeTrue;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import org.junit.jupiter.api.Test;

/** {@code netc graph}: DOT with clusters per path prefix and shapes on edges; SVG only through Graphviz. */
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
    assertTrue(dot.contains("label=\"conv1\\nconv 16, k=3, p=1, no bias\""), dot);
    assertTrue(dot.contains("[label=\"16x32x32\"]"), dot);
    assertTrue(dot.contains("label=\"logits\", shape=ellipse"), dot);
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
  void svgWithoutGraphvizSaysHowToGetIt() throws IOException {
    Path out = Files.createTempDirectory("netc-graph").resolve("small.svg");
    String before = System.getProperty("netc.dot");
    System.setProperty("netc.dot", "netc-test-no-such-dot-program");
    try {
      ReportCli.Run r = ReportCli.run("graph", SMALL.toString(), "-o", out.toString());
      assertEquals(1, r.code());
      assertEquals(1, r.err().strip().lines().count(), r.err());
      assertTrue(r.err().contains("apt-get install graphviz"), r.err());
      assertTrue(r.err().contains("-o small.dot"), r.err());
    } finally {
      if (before == null) System.clearProperty("netc.dot");
      else System.setProperty("netc.dot", before);
    }
  }

  @Test
  void svgThroughGraphvizWhenInstalled() throws Exception {
    assumeTrue(graphvizInstalled(), "Graphviz is not installed");
    Path out = Files.createTempDirectory("netc-graph").resolve("small.svg");
    ReportCli.Run r = ReportCli.run("graph", SMALL.toString(), "-o", out.toString());
    assertEquals(0, r.code(), r.err());
    assertTrue(Files.readString(out).contains("<svg"));
  }

  @Test
  void otherExtensionsAreUsageErrors() {
    assertEquals(2, ReportCli.run("graph", SMALL.toString(), "-o", "small.png").code());
  }

  private static boolean graphvizInstalled() {
    try {
      Process p = new ProcessBuilder("dot", "-V").redirectErrorStream(true).start();
      p.getInputStream().readAllBytes();
      return p.waitFor() == 0;
    } catch (IOException e) {
      return false;
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      return false;
    }
  }
}

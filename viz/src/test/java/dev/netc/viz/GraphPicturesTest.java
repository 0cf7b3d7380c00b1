package dev.netc.viz;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.netc.compiler.Compilation;
import dev.netc.compiler.Compiler;
import dev.netc.compiler.analysis.Grouping;
import dev.netc.compiler.analysis.NetworkReport;
import dev.netc.compiler.analysis.Row;
import java.io.ByteArrayInputStream;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.stream.Stream;
import javax.imageio.ImageIO;
import javax.xml.parsers.DocumentBuilderFactory;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.MethodSource;
import org.w3c.dom.Document;

/**
 * Every network of the standard library drawn at depth 0 (every layer) and depth 2 (stages and blocks): as many
 * boxes as the report has layers (or rows without children at that depth); SVG that parses as XML with one box
 * group per box; boxes inside the picture and not overlapping; wires that start and end on their boxes; Mermaid and
 * DOT with every box; a PNG that decodes.
 */
class GraphPicturesTest {
  static final Path STDLIB = Path.of("..", "stdlib-models");

  static Stream<Path> models() throws IOException {
    try (Stream<Path> files = Files.list(STDLIB)) {
      return files.filter(p -> p.toString().endsWith(".net")).sorted().toList().stream();
    }
  }

  static NetworkReport report(Path file) {
    Compilation c = Compiler.compile(file);
    assertFalse(c.networks().isEmpty(), file.toString());
    return c.networks().getFirst().report();
  }

  @ParameterizedTest(name = "{0}")
  @MethodSource("models")
  void everyModelDraws(Path file) throws Exception {
    NetworkReport r = report(file);
    for (int depth : new int[] {0, 2}) {
      GraphView v = GraphView.of(List.of(r), depth);
      assertEquals(expectedBoxes(r, depth), v.layerBoxes(), file + " at depth " + depth);
      assertEquals(r.graph().outputs().size(), v.boxes().size() - v.layerBoxes());
      Scene s = Layout.of(v, depth == 0 ? Coloring.KIND : Coloring.MACS, r.name());
      checkScene(s, v, file + " at depth " + depth);
      String svg = SvgWriter.write(s);
      Document doc = DocumentBuilderFactory.newInstance().newDocumentBuilder()
          .parse(new ByteArrayInputStream(svg.getBytes(StandardCharsets.UTF_8)));
      assertEquals("svg", doc.getDocumentElement().getTagName());
      assertEquals(v.boxes().size(), count(svg, "<g class=\"box\""));
      assertEquals(v.links().size(), count(svg, "<polyline class=\"wire\""));
      String mmd = MermaidWriter.write(v, Coloring.KIND);
      assertTrue(mmd.startsWith("flowchart TB\n"));
      for (GraphView.Box b : v.boxes()) assertTrue(mmd.contains("\n  style " + b.id() + " fill:"), b.id());
      assertEquals(v.links().size(), count(mmd, " -->|"));
      String dot = DotWriter.write(v, Coloring.KIND, r.name());
      assertEquals(dot.chars().filter(c -> c == '{').count(), dot.chars().filter(c -> c == '}').count());
    }
  }

  @ParameterizedTest(name = "{0}")
  @MethodSource("models")
  void pngDecodes(Path file) throws Exception {
    org.junit.jupiter.api.Assumptions.assumeTrue(PngWriter.fontsAvailable(), "no font installed: PNG not drawn");
    NetworkReport r = report(file);
    Scene s = Layout.of(GraphView.of(List.of(r), 1), Coloring.PARAMS, r.name());
    byte[] png = PngWriter.write(s, 1);
    var img = ImageIO.read(new ByteArrayInputStream(png));
    assertEquals((int) Math.ceil(s.width()), img.getWidth());
    assertEquals((int) Math.ceil(s.height()), img.getHeight());
  }

  /** At depth 0 every layer; else the report's grouped rows that have no rows below them. */
  static long expectedBoxes(NetworkReport r, int depth) {
    // At depth 0 a box per path: the rows one layer makes at its path (a max pooling and its indices) share it.
    if (depth == 0) return r.layers().stream().map(l -> l.path()).distinct().count();
    List<Row> rows = Grouping.rows(r, depth);
    long leaves = 0;
    for (int i = 0; i < rows.size(); i++) {
      boolean parent = i + 1 < rows.size() && rows.get(i + 1).level() > rows.get(i).level();
      if (!parent) leaves++;
    }
    return leaves;
  }

  static void checkScene(Scene s, GraphView v, String what) {
    List<Scene.Placed> boxes = new ArrayList<>(s.boxes());
    assertEquals(v.boxes().size(), boxes.size(), what);
    for (Scene.Placed p : boxes) {
      assertTrue(p.x() >= 0 && p.y() >= 0 && p.x() + p.w() <= s.width() + 0.5 && p.y() + p.h() <= s.height() + 0.5,
          what + ": " + p.box().path() + " outside the picture");
    }
    boxes.sort(java.util.Comparator.comparingDouble(Scene.Placed::x));
    for (int i = 0; i < boxes.size(); i++) {
      Scene.Placed a = boxes.get(i);
      for (int j = i + 1; j < boxes.size() && boxes.get(j).x() < a.x() + a.w(); j++) {
        Scene.Placed b = boxes.get(j);
        boolean overlap = b.y() < a.y() + a.h() && a.y() < b.y() + b.h();
        assertFalse(overlap, what + ": " + a.box().path() + " overlaps " + b.box().path());
      }
    }
    for (Scene.Wire w : s.wires()) {
      assertTrue(w.points().size() >= 2, what + ": a wire without a route");
      Scene.Placed from = placed(s, w.link().from()), to = placed(s, w.link().to());
      assertTrue(on(from, w.points().getFirst()), what + ": wire " + w.link() + " does not start on its box");
      assertTrue(on(to, w.points().getLast()), what + ": wire " + w.link() + " does not end on its box");
    }
  }

  static Scene.Placed placed(Scene s, String id) {
    return s.boxes().stream().filter(p -> p.box().id().equals(id)).findFirst().orElseThrow();
  }

  /** The point is on the box's border (within a pixel). */
  static boolean on(Scene.Placed p, Scene.Point q) {
    return q.x() >= p.x() - 1 && q.x() <= p.x() + p.w() + 1 && q.y() >= p.y() - 1 && q.y() <= p.y() + p.h() + 1;
  }

  static int count(String s, String part) {
    int n = 0;
    for (int i = s.indexOf(part); i >= 0; i = s.indexOf(part, i + 1)) n++;
    return n;
  }
}

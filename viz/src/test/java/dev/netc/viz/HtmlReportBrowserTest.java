package dev.netc.viz;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;
import static org.junit.jupiter.api.Assumptions.assumeTrue;

import dev.netc.compiler.Compilation;
import dev.netc.compiler.Compiler;
import dev.netc.compiler.analysis.Grouping;
import dev.netc.compiler.analysis.NetworkReport;
import dev.netc.compiler.analysis.ReportDoc;
import dev.netc.compiler.analysis.Sweep;
import java.awt.image.BufferedImage;
import java.io.File;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.TimeUnit;
import java.util.regex.Pattern;
import javax.imageio.ImageIO;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * The HTML report in a real browser: headless Chromium loads the page of resnet18 (with a sweep), the script runs
 * without a single console message (an uncaught error is one), and the rendered DOM holds the charts (a bar per
 * layer, lines for the memory timeline, receptive field and sweep), the table and the hoverable graph. A
 * screenshot is compared loosely: the size asked for, many colours, the chart orange present. Skipped, with a
 * message, where no Chromium is installed (CI installs it: .ci/run).
 */
class HtmlReportBrowserTest {
  @TempDir static Path dir;
  static String chromium;
  static Path page;
  static NetworkReport report;
  static String html;

  @BeforeAll
  static void writePage() throws Exception {
    chromium = findChromium();
    Compilation c = Compiler.compile(GraphPicturesTest.STDLIB.resolve("resnet18.net"));
    Compilation.Network n = c.networks().getFirst();
    report = n.report();
    List<NetworkReport> points = new ArrayList<>();
    for (int size : new int[] {160, 224, 320}) points.add(n.resized(Map.of("image", List.of(3, size, size))).report());
    ReportDoc doc = ReportDoc.of("resnet18.net", report, 2, new Sweep("image", points))
        .withCompiled(n.compiledStats(), false);
    html = HtmlReport.write("resnet18", List.of(HtmlReport.section(doc, MemoryTimeline.of(n), null)));
    page = dir.resolve("resnet18.html");
    Files.writeString(page, html);
  }

  @Test
  void pageIsSelfContained() {
    assertTrue(html.startsWith("<!DOCTYPE html>"));
    // No request can leave the page: nothing is loaded by URL (the SVG namespace is a name, not a request).
    Pattern external = Pattern.compile("(?i)(src|href)\\s*=|url\\((?!#)|@import|<link|<iframe|fetch\\(|XMLHttpRequest");
    assertFalse(external.matcher(html).find(), () -> "external reference: " + firstMatch(external, html));
    assertEquals(2, count(html, "<script"), "the data and the script, both inline");
  }

  @Test
  void rendersInChromiumWithoutErrors() throws Exception {
    assumeTrue(chromium != null, "Chromium is not installed (apt-get install chromium): browser test skipped");
    Run r = chromium("--dump-dom", page.toUri().toString());
    assertEquals(List.of(), consoleLines(r.err()), "JavaScript errors or console output");
    String dom = r.out();
    assertTrue(dom.contains("data-rendered=\"1\""), "the script ran to its end");
    int layers = report.layers().size();
    assertTrue(count(dom, "class=\"bar\"") >= layers, "a bar per layer and per stage");
    assertEquals(5, count(dom, "class=\"line\""), "timeline (naive, plan), receptive field, sweep (MACs, memory)");
    assertEquals(Grouping.rows(report, 2).size(), count(dom, "<tr class=\"layer\"") + count(dom, "<tr class=\"group\""),
        "the table at --depth 2: a row per row of the text report");
    assertTrue(dom.contains("<th class=\"num\" data-key=\"macs\">MACs</th>"), "table header");
    assertTrue(count(dom, "<g class=\"box\"") > 10, "graph picture");
    assertEquals(1, count(dom, "<title>"), "the page's title only: the graph's became the page's tooltips");
  }

  @Test
  void screenshotShowsChartsAndTable() throws Exception {
    assumeTrue(chromium != null, "Chromium is not installed (apt-get install chromium): browser test skipped");
    Path shot = dir.resolve("shot.png");
    Run r = chromium("--window-size=1200,1600", "--screenshot=" + shot, page.toUri().toString());
    assertEquals(List.of(), consoleLines(r.err()));
    BufferedImage img = ImageIO.read(shot.toFile());
    assertEquals(1200, img.getWidth());
    assertEquals(1600, img.getHeight());
    Set<Integer> colours = new HashSet<>();
    int orange = 0;
    for (int y = 0; y < img.getHeight(); y += 2) {
      for (int x = 0; x < img.getWidth(); x += 2) {
        int rgb = img.getRGB(x, y) & 0xffffff;
        colours.add(rgb);
        if (rgb == 0xfd8d3c) orange++;
      }
    }
    assertTrue(colours.size() > 50, "a rendered page, not a blank one: " + colours.size() + " colours");
    assertTrue(orange > 500, "bars of the charts visible: " + orange + " orange pixels");
  }

  @Test
  void everyStdlibNetworkRendersInOnePage() throws Exception {
    assumeTrue(chromium != null, "Chromium is not installed (apt-get install chromium): browser test skipped");
    List<HtmlReport.Section> sections = new ArrayList<>();
    for (Path f : GraphPicturesTest.models().toList()) {
      Compilation.Network n = Compiler.compile(f).networks().getFirst();
      ReportDoc doc = ReportDoc.of(f.getFileName().toString(), n.report(), 1, null).withCompiled(n.compiledStats(), false);
      sections.add(HtmlReport.section(doc, MemoryTimeline.of(n), null));
    }
    Path all = dir.resolve("stdlib.html");
    Files.writeString(all, HtmlReport.write("stdlib", sections));
    Run r = chromium("--dump-dom", all.toUri().toString());
    assertEquals(List.of(), consoleLines(r.err()), "JavaScript errors or console output");
    assertTrue(r.out().contains("data-rendered=\"" + sections.size() + "\""), "every section drawn");
    int layers = sections.stream().mapToInt(s -> s.doc().report().layers().size()).sum();
    assertTrue(count(r.out(), "class=\"bar\"") >= layers, "a bar per layer of every network");
  }

  /** A page with a profile (synthetic times: this tests the drawing, netc profile's tests the measuring). */
  @Test
  void profileColumnsAndChart() throws Exception {
    assumeTrue(chromium != null, "Chromium is not installed (apt-get install chromium): browser test skipped");
    Compilation.Network n = Compiler.compile(GraphPicturesTest.STDLIB.resolve("resnet18.net")).networks().getFirst();
    long[] nanos = new long[n.plan().steps().size()];
    for (int s = 0; s < nanos.length; s++) nanos[s] = 10_000L * (s + 1);
    Profile p = new Profile(n.plan(), 1, 1, 1, nanos, java.util.Arrays.stream(nanos).sum(), 100);
    ReportDoc doc = ReportDoc.of("resnet18.net", n.report(), 1, null).withCompiled(n.compiledStats(), false);
    Path withProfile = dir.resolve("profiled.html");
    Files.writeString(withProfile, HtmlReport.write("resnet18",
        List.of(HtmlReport.section(doc, MemoryTimeline.of(n), p.json()))));
    Run r = chromium("--dump-dom", withProfile.toUri().toString());
    assertEquals(List.of(), consoleLines(r.err()), "JavaScript errors or console output");
    assertTrue(r.out().contains("data-key=\"time_ns\">time</th>"), "time column");
    assertTrue(r.out().contains("data-key=\"peak_fraction\">% of peak</th>"), "peak column");
    assertTrue(r.out().contains("data-chart=\"profile\"><svg"), "time per stage chart");
  }

  record Run(String out, String err) {}

  private static Run chromium(String... args) throws Exception {
    List<String> cmd = new ArrayList<>(List.of(chromium, "--headless", "--no-sandbox", "--disable-gpu",
        "--enable-logging=stderr", "--v=0", "--hide-scrollbars", "--host-resolver-rules=MAP * ~NOTFOUND",
        "--user-data-dir=" + Files.createTempDirectory(dir, "profile")));
    cmd.addAll(List.of(args));
    Path out = Files.createTempFile(dir, "out", ".txt"), err = Files.createTempFile(dir, "err", ".txt");
    Process p = new ProcessBuilder(cmd).redirectOutput(out.toFile()).redirectError(err.toFile()).start();
    assertTrue(p.waitFor(120, TimeUnit.SECONDS), "chromium did not finish in 2 minutes");
    String e = Files.readString(err, StandardCharsets.UTF_8);
    assertEquals(0, p.exitValue(), e);
    return new Run(Files.readString(out, StandardCharsets.UTF_8), e);
  }

  /** Lines Chromium logs for the page's console: uncaught errors and console calls. */
  private static List<String> consoleLines(String stderr) {
    return stderr.lines().filter(l -> l.contains(":CONSOLE")).toList();
  }

  private static String findChromium() {
    for (String name : new String[] {"chromium", "chromium-browser", "google-chrome"}) {
      for (String d : System.getenv().getOrDefault("PATH", "").split(File.pathSeparator)) {
        Path p = Path.of(d, name);
        if (Files.isExecutable(p)) return p.toString();
      }
    }
    return null;
  }

  private static String firstMatch(Pattern p, String s) {
    var m = p.matcher(s);
    if (!m.find()) return "";
    return s.substring(Math.max(0, m.start() - 40), Math.min(s.length(), m.end() + 40));
  }

  static int count(String s, String part) { return GraphPicturesTest.count(s, part); }
}

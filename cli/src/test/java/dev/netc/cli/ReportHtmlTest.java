package dev.netc.cli;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.netc.runtime.io.Json;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;

/**
 * {@code netc report --format html}: one page per file, its data the JSON report plus the memory timeline; written
 * with {@code -o} like every other file. (The page in a browser: viz's HtmlReportBrowserTest.)
 */
class ReportHtmlTest {
  private static final Path SMALL = ReportCli.write("small.net", ReportCli.SMALL);

  @Test
  void pageCarriesTheReportAndTheTimeline() throws Exception {
    Path out = Files.createTempDirectory("netc-html").resolve("small.html");
    ReportCli.Run r = ReportCli.run("report", SMALL.toString(), "--format", "HTML", "--sweep", "image=32,64", "-o",
        out.toString());
    assertEquals(0, r.code(), r.err());
    assertEquals("", r.out());
    String html = Files.readString(out);
    assertTrue(html.startsWith("<!DOCTYPE html>"));
    String json = html.substring(html.indexOf("id=\"netc-data\">") + 15, html.indexOf("</script>"));
    @SuppressWarnings("unchecked")
    Map<String, Object> net = (Map<String, Object>) ((List<Object>) Json.parse(json)).getFirst();
    assertEquals("small", net.get("network"));
    assertEquals(21, ((List<?>) net.get("layers")).size());
    @SuppressWarnings("unchecked")
    Map<String, Object> timeline = (Map<String, Object>) net.get("timeline");
    assertEquals(21, ((List<?>) timeline.get("naive")).size());
    assertEquals(net.get("peak_activation_bytes"), timeline.get("naive_peak_bytes"));
    assertEquals(net.get("planned_arena_bytes"), timeline.get("planned_arena_bytes"));
    long maxPlanned = ((List<?>) timeline.get("planned")).stream().mapToLong(x -> ((Number) x).longValue()).max()
        .orElseThrow();
    assertTrue(maxPlanned <= ((Number) timeline.get("planned_arena_bytes")).longValue(),
        "live buffers fit in the arena: " + maxPlanned);
    assertEquals(2, ((List<?>) ((Map<?, ?>) net.get("sweep")).get("points")).size());
    assertTrue(html.contains("<g class=\"box\" data-path=\"layer1.0.conv1\""), "the graph picture");
  }

  @Test
  void htmlToStandardOutput() {
    ReportCli.Run r = ReportCli.run("report", SMALL.toString(), "--format", "html");
    assertEquals(0, r.code(), r.err());
    assertTrue(r.out().startsWith("<!DOCTYPE html>") && r.out().endsWith("</html>\n"));
  }

  @Test
  void unknownFormatNamesHtml() {
    ReportCli.Run r = ReportCli.run("report", SMALL.toString(), "--format", "pdf");
    assertEquals(2, r.code());
    assertTrue(r.err().contains("'pdf' is not a format (table, markdown, json, csv, html)"), r.err());
  }
}

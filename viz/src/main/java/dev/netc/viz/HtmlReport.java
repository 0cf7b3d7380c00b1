package dev.netc.viz;

import dev.netc.compiler.analysis.ReportDoc;
import dev.netc.compiler.analysis.render.JsonRenderer;
import dev.netc.runtime.io.Json;
import java.io.IOException;
import java.io.InputStream;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * {@code netc report --format html}: one self-contained page (styles, script and data inline; no request leaves
 * the page) with, per network, the summary, the per-layer table (sortable, filterable, collapsible by path), bar
 * charts of MACs, parameters and activation bytes per layer and per stage, the memory timeline (naive against the
 * plan's arena), the receptive-field curve, the graph picture with hover data, and the sweep and the measured
 * profile when there are.
 *
 * <p>The data of every network is the JSON report (spec/report-json.md) with {@code timeline} and, when measured,
 * {@code profile} added, in a {@code <script type="application/json">}; the page's script draws from it.
 */
public final class HtmlReport {
  private HtmlReport() {}

  /**
   * One network's part of the page.
   *
   * @param picture the graph as SVG (null: none)
   * @param profile measured times per layer as a JSON-ready map (null: not measured)
   */
  public record Section(ReportDoc doc, MemoryTimeline timeline, String picture, Map<String, Object> profile) {}

  /** The section of a report, with the graph drawn at the report's depth. */
  public static Section section(ReportDoc doc, MemoryTimeline timeline, Map<String, Object> profile) {
    GraphView view = GraphView.of(List.of(doc.report()), doc.depth());
    String svg = SvgWriter.write(Layout.of(view, Coloring.MACS, ""));
    return new Section(doc, timeline, svg, profile);
  }

  public static String write(String title, List<Section> sections) {
    List<Object> data = new ArrayList<>();
    for (Section s : sections) data.add(data(s));
    StringBuilder b = new StringBuilder();
    b.append("<!DOCTYPE html>\n<html lang=\"en\">\n<head>\n<meta charset=\"utf-8\">\n")
        .append("<meta name=\"viewport\" content=\"width=device-width, initial-scale=1\">\n")
        .append("<title>").append(SvgWriter.esc(title)).append(" \u2014 netc report</title>\n")
        .append("<style>\n").append(resource("report.css")).append("</style>\n</head>\n<body>\n")
        .append("<header><h1>").append(SvgWriter.esc(title)).append("</h1><span class=\"by\">netc report</span>")
        .append("</header>\n<main>\n");
    for (int i = 0; i < sections.size(); i++) section(b, i, sections.get(i));
    b.append("</main>\n<div id=\"tip\" role=\"tooltip\"></div>\n");
    b.append("<script type=\"application/json\" id=\"netc-data\">")
        .append(Json.write(data).replace("</", "<\\/")).append("</script>\n");
    b.append("<script>\n").append(resource("report.js")).append("</script>\n</body>\n</html>\n");
    return b.toString();
  }

  private static Map<String, Object> data(Section s) {
    Map<String, Object> m = new LinkedHashMap<>(JsonRenderer.map(s.doc()));
    MemoryTimeline t = s.timeline();
    if (t != null) {
      Map<String, Object> tl = new LinkedHashMap<>();
      tl.put("naive", longs(t.naive()));
      tl.put("planned", longs(t.planned()));
      tl.put("naive_peak_bytes", t.naivePeak());
      tl.put("planned_arena_bytes", t.arenaBytes());
      tl.put("arena_lower_bound_bytes", t.lowerBoundBytes());
      m.put("timeline", tl);
    }
    if (s.profile() != null) m.put("profile", s.profile());
    return m;
  }

  private static List<Long> longs(long[] xs) {
    List<Long> out = new ArrayList<>(xs.length);
    for (long x : xs) out.add(x);
    return out;
  }

  private static void section(StringBuilder b, int i, Section s) {
    String name = SvgWriter.esc(s.doc().report().name());
    b.append("<section class=\"network\" id=\"net-").append(i).append("\" data-index=\"").append(i).append("\">\n")
        .append("<h2>").append(name).append(" <small>").append(SvgWriter.esc(s.doc().source())).append("</small></h2>\n")
        .append("<div class=\"summary\"></div>\n")
        .append("<h3>Cost per layer</h3>\n<div class=\"controls\"><label>show <select class=\"metric\">")
        .append("<option value=\"macs\">MACs</option><option value=\"params\">parameters</option>")
        .append("<option value=\"activation_bytes\">activation bytes</option>")
        .append(s.profile() != null ? "<option value=\"time_ns\">measured time</option>" : "")
        .append("</select></label></div>\n")
        .append("<div class=\"chart\" data-chart=\"layers\"></div>\n")
        .append("<h3>Cost per stage</h3>\n<div class=\"chart\" data-chart=\"stages\"></div>\n")
        .append("<div class=\"row\"><div class=\"col\"><h3>Memory timeline</h3>")
        .append("<div class=\"chart\" data-chart=\"timeline\"></div></div>\n")
        .append("<div class=\"col\"><h3>Receptive field</h3><div class=\"chart\" data-chart=\"rf\"></div></div></div>\n");
    if (s.doc().sweep() != null) {
      b.append("<h3>Sweep of ").append(SvgWriter.esc(s.doc().sweep().input()))
          .append("</h3>\n<div class=\"chart\" data-chart=\"sweep\"></div>\n");
    }
    if (s.profile() != null) b.append("<h3>Measured time per stage</h3>\n<div class=\"chart\" data-chart=\"profile\"></div>\n");
    b.append("<h3>Layers</h3>\n<div class=\"controls\"><input type=\"search\" class=\"filter\" placeholder=\"filter by")
        .append(" path or op\"> <label>expand to depth <select class=\"depth\"></select></label>")
        .append(" <span class=\"count\"></span></div>\n")
        .append("<div class=\"tablewrap\"><table class=\"layers\"><thead></thead><tbody></tbody></table></div>\n");
    if (s.picture() != null) {
      b.append("<h3>Graph</h3>\n<div class=\"graph\">").append(s.picture()).append("</div>\n");
    }
    b.append("</section>\n");
  }

  private static String resource(String name) {
    try (InputStream in = HtmlReport.class.getResourceAsStream(name)) {
      if (in == null) throw new IllegalStateException("missing resource " + name);
      return new String(in.readAllBytes(), StandardCharsets.UTF_8);
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
  }
}

package dev.netc.viz;

import dev.netc.compiler.analysis.Numbers;
import dev.netc.compiler.analysis.ReportDoc;
import dev.netc.compiler.analysis.Row;
import dev.netc.runtime.io.Json;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;

/** {@code netc diff} as text (the default), JSON or a self-contained HTML page. */
public final class DiffWriter {
  private DiffWriter() {}

  public static String json(NetworkDiff d) { return Json.write(d.json()) + "\n"; }

  public static String text(NetworkDiff d) {
    StringBuilder b = new StringBuilder();
    b.append(title(d)).append("\n\n");
    List<String[]> rows = new ArrayList<>();
    rows.add(new String[] {"", "before", "after", "change"});
    for (NetworkDiff.Total t : d.totals()) {
      rows.add(new String[] {t.name(), exact(t.before(), t.bytes()), exact(t.after(), t.bytes()), change(t)});
    }
    table(b, rows, new boolean[] {false, true, true, true});
    b.append('\n').append(counts(d)).append('\n');
    if (d.changes().isEmpty()) return b.toString();
    b.append('\n');
    List<String[]> lines = new ArrayList<>();
    lines.add(new String[] {"", d.depth() > 0 ? "path" : "layer", "before", "after", "params", "MACs"});
    for (NetworkDiff.Change c : d.changes()) {
      lines.add(new String[] {mark(c.kind()), c.path(), describe(c.before(), d.before().report().batch()),
          describe(c.after(), d.after().report().batch()), signed(c.paramsDelta()), signed(c.macsDelta())});
    }
    table(b, lines, new boolean[] {false, false, false, false, true, true});
    return b.toString();
  }

  static String title(NetworkDiff d) {
    return d.before().name() + " (" + d.before().source() + ") \u2192 " + d.after().name() + " ("
        + d.after().source() + ")" + (d.depth() > 0 ? ", rows at depth " + d.depth() : "");
  }

  static String counts(NetworkDiff d) {
    return (d.depth() > 0 ? "rows" : "layers") + ": " + d.count(NetworkDiff.Kind.ADDED) + " added, "
        + d.count(NetworkDiff.Kind.REMOVED) + " removed, " + d.count(NetworkDiff.Kind.CHANGED) + " changed, "
        + d.same() + " the same";
  }

  static String mark(NetworkDiff.Kind k) {
    return switch (k) {
      case ADDED -> "+";
      case REMOVED -> "-";
      case CHANGED -> "~";
    };
  }

  /** {@code conv 64, k=3 [1, 64, 56, 56]}, or {@code (7 layers) [..]} for a group; empty for none. */
  static String describe(Row r, int batch) {
    if (r == null) return "";
    return Text.cut(r.opText()) + " " + ReportDoc.shape(r.type(), batch);
  }

  static String exact(long v, boolean bytes) { return bytes ? Numbers.bytes(v) : Numbers.grouped(v); }

  static String change(NetworkDiff.Total t) {
    if (t.delta() == 0) return "0";
    String d = t.bytes() ? (t.delta() > 0 ? "+" : "-") + Numbers.bytes(Math.abs(t.delta())) : signed(t.delta());
    return t.before() == 0 ? d : d + " (" + percent(t) + ")";
  }

  static String percent(NetworkDiff.Total t) {
    double p = 100.0 * t.delta() / t.before();
    return (p > 0 ? "+" : "") + String.format(Locale.ROOT, "%.1f%%", p);
  }

  static String signed(long v) { return v == 0 ? "0" : (v > 0 ? "+" : "-") + Numbers.grouped(Math.abs(v)); }

  private static void table(StringBuilder b, List<String[]> rows, boolean[] right) {
    int[] w = new int[right.length];
    for (String[] r : rows) for (int c = 0; c < w.length; c++) w[c] = Math.max(w[c], r[c].length());
    for (int i = 0; i < rows.size(); i++) {
      StringBuilder l = new StringBuilder();
      for (int c = 0; c < w.length; c++) {
        if (c > 0) l.append("  ");
        String s = rows.get(i)[c], pad = " ".repeat(w[c] - s.length());
        l.append(right[c] ? pad + s : s + pad);
      }
      b.append(l.toString().stripTrailing()).append('\n');
    }
  }

  /** A page with the totals and the changed rows, coloured: green added, red removed, amber changed. */
  public static String html(NetworkDiff d) {
    StringBuilder b = new StringBuilder("<!DOCTYPE html>\n<html lang=\"en\">\n<head>\n<meta charset=\"utf-8\">\n");
    b.append("<title>").append(SvgWriter.esc(title(d))).append("</title>\n<style>\n")
        .append("body{font:14px/1.4 -apple-system,'Segoe UI',Helvetica,Arial,sans-serif;color:#1f2430;margin:24px}")
        .append("table{border-collapse:collapse;margin:8px 0 16px}td,th{padding:3px 10px;border-bottom:1px solid #e5e8ee;")
        .append("white-space:nowrap;text-align:left}th{background:#f5f7fa}td.n,th.n{text-align:right}")
        .append("tr.added td{background:#e8f5e9}tr.removed td{background:#ffebee}tr.changed td{background:#fff8e1}")
        .append(".up{color:#b71c1c}.down{color:#1b5e20}\n</style>\n</head>\n<body>\n");
    b.append("<h1>").append(SvgWriter.esc(title(d))).append("</h1>\n<table class=\"totals\"><tr><th></th>")
        .append("<th class=\"n\">before</th><th class=\"n\">after</th><th class=\"n\">change</th></tr>\n");
    for (NetworkDiff.Total t : d.totals()) {
      b.append("<tr><td>").append(t.name()).append("</td><td class=\"n\">").append(exact(t.before(), t.bytes()))
          .append("</td><td class=\"n\">").append(exact(t.after(), t.bytes())).append("</td><td class=\"n ")
          .append(t.delta() > 0 ? "up" : t.delta() < 0 ? "down" : "").append("\">")
          .append(SvgWriter.esc(change(t))).append("</td></tr>\n");
    }
    b.append("</table>\n<p>").append(SvgWriter.esc(counts(d))).append("</p>\n");
    b.append("<table class=\"changes\"><tr><th></th><th>").append(d.depth() > 0 ? "path" : "layer")
        .append("</th><th>changed</th><th>before</th><th>after</th><th class=\"n\">params</th><th class=\"n\">MACs</th></tr>\n");
    for (NetworkDiff.Change c : d.changes()) {
      b.append("<tr class=\"").append(c.kind().name().toLowerCase(Locale.ROOT)).append("\"><td>").append(mark(c.kind()))
          .append("</td><td>").append(SvgWriter.esc(c.path())).append("</td><td>")
          .append(SvgWriter.esc(String.join(", ", c.what()))).append("</td><td>")
          .append(SvgWriter.esc(describe(c.before(), d.before().report().batch()))).append("</td><td>")
          .append(SvgWriter.esc(describe(c.after(), d.after().report().batch()))).append("</td><td class=\"n\">")
          .append(signed(c.paramsDelta())).append("</td><td class=\"n\">").append(signed(c.macsDelta()))
          .append("</td></tr>\n");
    }
    return b.append("</table>\n</body>\n</html>\n").toString();
  }
}

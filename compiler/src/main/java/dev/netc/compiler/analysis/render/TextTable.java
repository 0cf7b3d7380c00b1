package dev.netc.compiler.analysis.render;

import java.util.ArrayList;
import java.util.List;

/** A plain-text table: columns padded to their widest cell, two spaces apart, a dashed rule under the header. */
final class TextTable {
  enum Align { LEFT, RIGHT }

  private final List<String> headers;
  private final List<Align> aligns;
  private final List<List<String>> rows = new ArrayList<>();

  TextTable(List<String> headers, List<Align> aligns) {
    if (headers.size() != aligns.size()) throw new IllegalArgumentException("headers and alignments differ");
    this.headers = List.copyOf(headers);
    this.aligns = List.copyOf(aligns);
  }

  void add(List<String> cells) {
    if (cells.size() != headers.size()) throw new IllegalArgumentException("row has " + cells.size() + " cells");
    rows.add(List.copyOf(cells));
  }

  String render() {
    int[] width = new int[headers.size()];
    for (int c = 0; c < width.length; c++) width[c] = headers.get(c).length();
    for (List<String> r : rows) for (int c = 0; c < width.length; c++) width[c] = Math.max(width[c], r.get(c).length());
    StringBuilder b = new StringBuilder();
    line(b, headers, width);
    List<String> rule = new ArrayList<>();
    for (int w : width) rule.add("-".repeat(w));
    line(b, rule, width);
    for (List<String> r : rows) line(b, r, width);
    return b.toString();
  }

  private void line(StringBuilder b, List<String> cells, int[] width) {
    StringBuilder l = new StringBuilder();
    for (int c = 0; c < cells.size(); c++) {
      if (c > 0) l.append("  ");
      String s = cells.get(c);
      String pad = " ".repeat(width[c] - s.length());
      l.append(aligns.get(c) == Align.LEFT ? s + pad : pad + s);
    }
    b.append(l.toString().stripTrailing()).append('\n');
  }
}

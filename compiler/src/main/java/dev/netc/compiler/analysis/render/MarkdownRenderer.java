package dev.netc.compiler.analysis.render;

import dev.netc.compiler.analysis.Convention;
import dev.netc.compiler.analysis.NetworkReport;
import dev.netc.compiler.analysis.ReportDoc;
import dev.netc.compiler.analysis.Row;
import java.util.ArrayList;
import java.util.List;

/**
 * {@code --format markdown}: a document per network with exact integers (so that golden reports show every
 * change as a diff), human figures beside the totals, and the convention.
 */
public final class MarkdownRenderer {
  private MarkdownRenderer() {}

  public static String render(List<ReportDoc> docs) {
    StringBuilder b = new StringBuilder();
    for (int i = 0; i < docs.size(); i++) {
      if (i > 0) b.append('\n');
      network(b, docs.get(i));
    }
    return b.toString();
  }

  private static void network(StringBuilder b, ReportDoc d) {
    NetworkReport r = d.report();
    b.append("# ").append(r.name()).append("\n\n");
    b.append("Source `").append(d.source()).append("`, batch ").append(r.batch()).append(". Inputs: ")
        .append(code(d.inputs())).append(". Outputs: ").append(code(d.outputs())).append(".\n\n");
    b.append("## Layers").append(d.depth() > 0 ? " (depth " + d.depth() + ")" : "").append("\n\n");
    header(b, Cells.HEADERS, Cells.TEXT_COLUMNS);
    for (Row row : d.rows()) {
      List<String> cells = new ArrayList<>(Cells.of(row, r, false));
      cells.set(0, "&nbsp;&nbsp;".repeat(row.level()) + "`" + cells.getFirst() + "`");
      line(b, cells);
    }
    b.append("\n## Totals\n\n");
    header(b, List.of("total", "exact", "approx."), 1);
    for (List<String> t : Cells.totals(d)) line(b, t);
    if (d.optimized() && d.compiled() != null) {
      b.append("\n## Optimized\n\n");
      header(b, Cells.OPTIMIZED_HEADERS, 1);
      for (List<String> t : Cells.optimized(d, false)) line(b, t);
    }
    if (d.sweep() != null) sweep(b, d);
    b.append("\nConvention: ").append(Convention.TEXT).append('\n');
  }

  private static void sweep(StringBuilder b, ReportDoc d) {
    b.append("\n## Sweep over `").append(d.sweep().input()).append("`\n\n");
    header(b, Cells.SWEEP_HEADERS, 1);
    for (NetworkReport p : d.sweep().points()) {
      line(b, Cells.sweep(ReportDoc.shapeText(d.sweep().inputType(p), p.batch()), p, false));
    }
  }

  /** {@code `image` [1, 3, 224, 224]} for each, comma-separated. */
  private static String code(List<String> named) {
    return String.join(", ", named.stream().map(s -> {
      int sp = s.indexOf(' ');
      return "`" + s.substring(0, sp) + "`" + s.substring(sp);
    }).toList());
  }

  /** The header row and the alignment row: the first {@code left} columns left-aligned, the rest right. */
  private static void header(StringBuilder b, List<String> headers, int left) {
    line(b, headers);
    b.append('|');
    for (int c = 0; c < headers.size(); c++) b.append(c < left ? " --- |" : " ---: |");
    b.append('\n');
  }

  private static void line(StringBuilder b, List<String> cells) {
    b.append('|');
    for (String c : cells) b.append(' ').append(c.replace("|", "\\|")).append(" |");
    b.append('\n');
  }
}

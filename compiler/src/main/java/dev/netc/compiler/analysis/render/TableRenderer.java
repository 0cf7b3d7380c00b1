package dev.netc.compiler.analysis.render;

import dev.netc.compiler.analysis.Convention;
import dev.netc.compiler.analysis.NetworkReport;
import dev.netc.compiler.analysis.ReportDoc;
import dev.netc.compiler.analysis.Row;
import java.util.ArrayList;
import java.util.List;

/** {@code --format table}: aligned text for a terminal, with short human numbers in the layer table. */
public final class TableRenderer {
  private TableRenderer() {}

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
    b.append("network ").append(r.name()).append(" (").append(d.source()).append("), batch ").append(r.batch())
        .append('\n');
    b.append("inputs: ").append(String.join(", ", d.inputs())).append("; outputs: ")
        .append(String.join(", ", d.outputs())).append("\n\n");
    b.append(layers(d)).append('\n');
    b.append(totals(d));
    if (d.optimized() && d.compiled() != null) b.append('\n').append(optimized(d));
    if (d.sweep() != null) b.append('\n').append(sweep(d));
    b.append('\n').append(Wrap.wrap("Convention: " + Convention.TEXT, 100));
  }

  private static String layers(ReportDoc d) {
    TextTable t = new TextTable(Cells.HEADERS, aligns(Cells.HEADERS.size(), Cells.TEXT_COLUMNS));
    for (Row row : d.rows()) {
      List<String> cells = new ArrayList<>(Cells.of(row, d.report(), true));
      cells.set(0, "  ".repeat(row.level()) + cells.getFirst());
      t.add(cells);
    }
    return t.render();
  }

  /** The first {@code left} columns left-aligned, the others right-aligned. */
  static List<TextTable.Align> aligns(int n, int left) {
    List<TextTable.Align> a = new ArrayList<>();
    for (int c = 0; c < n; c++) a.add(c < left ? TextTable.Align.LEFT : TextTable.Align.RIGHT);
    return a;
  }

  private static String totals(ReportDoc d) {
    TextTable t = new TextTable(List.of("total", "exact", ""), aligns(3, 1));
    for (List<String> row : Cells.totals(d)) t.add(row);
    return t.render();
  }

  private static String optimized(ReportDoc d) {
    TextTable t = new TextTable(Cells.OPTIMIZED_HEADERS, aligns(3, 1));
    for (List<String> row : Cells.optimized(d, true)) t.add(row);
    return "after optimization and planning:\n" + t.render();
  }

  private static String sweep(ReportDoc d) {
    TextTable t = new TextTable(Cells.SWEEP_HEADERS, aligns(Cells.SWEEP_HEADERS.size(), 1));
    for (NetworkReport p : d.sweep().points()) {
      t.add(Cells.sweep(ReportDoc.shapeText(d.sweep().inputType(p), p.batch()), p, true));
    }
    return "sweep over " + d.sweep().input() + ":\n" + t.render();
  }
}

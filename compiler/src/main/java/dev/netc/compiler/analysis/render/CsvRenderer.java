package dev.netc.compiler.analysis.render;

import dev.netc.compiler.analysis.NetworkReport;
import dev.netc.compiler.analysis.ReportDoc;
import dev.netc.compiler.analysis.Row;
import dev.netc.compiler.analysis.Totals;
import java.util.ArrayList;
import java.util.List;

/**
 * {@code --format csv} (RFC 4180 quoting, LF line ends): one line per layer (or per group at {@code --depth N},
 * with op {@code group}), every network of the report in one table with a {@code network} column; exact
 * integers. With a sweep, one line per network and size with the totals instead. CSV has no place for prose,
 * so the convention is not repeated here (spec/counting.md).
 */
public final class CsvRenderer {
  private CsvRenderer() {}

  static final List<String> LAYER_COLUMNS = List.of("network", "path", "op", "detail", "output_shape", "params",
      "buffers", "macs", "flops", "other_ops", "activation_bytes", "receptive_field", "stride");

  static final List<String> SWEEP_COLUMNS = List.of("network", "input", "shape", "params", "buffers", "macs",
      "flops", "other_ops", "weight_bytes", "peak_activation_bytes", "peak_at");

  public static String render(List<ReportDoc> docs) {
    boolean sweep = docs.stream().anyMatch(d -> d.sweep() != null);
    StringBuilder b = new StringBuilder();
    line(b, sweep ? SWEEP_COLUMNS : LAYER_COLUMNS);
    for (ReportDoc d : docs) {
      if (sweep) sweepLines(b, d);
      else for (Row r : d.rows()) line(b, layer(d.report(), r));
    }
    return b.toString();
  }

  private static List<String> layer(NetworkReport rep, Row r) {
    String shape = String.join("x", ReportDoc.shape(r.type(), rep.batch()).stream().map(String::valueOf).toList());
    return List.of(rep.name(), r.path(), r.group() ? "group" : r.op(),
        r.group() ? r.layers() + " layers" : r.detail(), shape, str(r.params()), str(r.buffers()), str(r.macs()),
        str(r.flops()), str(r.otherOps()), str(r.activationBytes()), r.rf() == null ? "" : r.rf().sizeText(),
        r.rf() == null ? "" : r.rf().strideText());
  }

  private static void sweepLines(StringBuilder b, ReportDoc d) {
    if (d.sweep() == null) return;
    for (NetworkReport p : d.sweep().points()) {
      Totals t = p.totals();
      String shape = String.join("x", ReportDoc.shape(d.sweep().inputType(p), p.batch()).stream()
          .map(String::valueOf).toList());
      line(b, List.of(p.name(), d.sweep().input(), shape, str(t.params()), str(t.buffers()), str(t.macs()),
          str(t.flops()), str(t.otherOps()), str(t.weightBytes()), str(p.peak().bytes()), p.peakAt()));
    }
  }

  private static String str(long v) { return Long.toString(v); }

  private static void line(StringBuilder b, List<String> cells) {
    List<String> quoted = new ArrayList<>(cells.size());
    for (String c : cells) quoted.add(quote(c));
    b.append(String.join(",", quoted)).append('\n');
  }

  /** Quotes a cell holding a comma, a quote or a line break, doubling its quotes. */
  static String quote(String c) {
    if (c.indexOf(',') < 0 && c.indexOf('"') < 0 && c.indexOf('\n') < 0 && c.indexOf('\r') < 0) return c;
    return '"' + c.replace("\"", "\"\"") + '"';
  }
}

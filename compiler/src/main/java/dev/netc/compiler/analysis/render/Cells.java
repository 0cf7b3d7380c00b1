package dev.netc.compiler.analysis.render;

import dev.netc.compiler.analysis.CompiledStats;
import dev.netc.compiler.analysis.NetworkReport;
import dev.netc.compiler.analysis.Numbers;
import dev.netc.compiler.analysis.ReportDoc;
import dev.netc.compiler.analysis.Row;
import dev.netc.compiler.analysis.Totals;
import java.util.ArrayList;
import java.util.List;

/**
 * The columns of a layer table, shared by the text and Markdown renderers: exact integers with separators
 * ({@code 9,408}) or short human numbers ({@code 9.41K}).
 */
final class Cells {
  private Cells() {}

  static final List<String> HEADERS = List.of("path", "op", "output", "params", "% params", "MACs", "% MACs",
      "FLOPs", "other ops", "activation bytes", "RF", "stride");

  /** Columns 0-2 are text (left-aligned), the rest numbers or short values (right-aligned). */
  static final int TEXT_COLUMNS = 3;

  static List<String> of(Row r, NetworkReport report, boolean human) {
    Totals t = report.totals();
    return List.of(r.path(), r.opText(), ReportDoc.shapeText(r.type(), report.batch()),
        count(r.params(), human), Numbers.percent(r.params(), t.params()), count(r.macs(), human),
        Numbers.percent(r.macs(), t.macs()), count(r.flops(), human), count(r.otherOps(), human),
        human ? Numbers.bytes(r.activationBytes()) : Numbers.grouped(r.activationBytes()),
        r.rf() == null ? "-" : r.rf().sizeText(), r.rf() == null ? "-" : r.rf().strideText());
  }

  static String count(long v, boolean human) { return human ? Numbers.human(v) : Numbers.grouped(v); }

  /**
   * The totals as (label, exact, human) triples, in the order reports list them; the planned arena and its lower
   * bound follow the naive peak when the document has the compiled figures.
   */
  static List<List<String>> totals(ReportDoc d) {
    List<List<String>> rows = new ArrayList<>(totals(d.report()));
    CompiledStats c = d.compiled();
    if (c != null) {
      rows.add(List.of("planned arena bytes (compiled plan)", Numbers.grouped(c.arenaBytes()),
          Numbers.bytes(c.arenaBytes())));
      rows.add(List.of("liveness lower bound bytes (compiled plan)", Numbers.grouped(c.lowerBoundBytes()),
          Numbers.bytes(c.lowerBoundBytes())));
    }
    return rows;
  }

  private static List<List<String>> totals(NetworkReport r) {
    Totals t = r.totals();
    return List.of(
        List.of("params", Numbers.grouped(t.params()), Numbers.human(t.params())),
        List.of("buffers", Numbers.grouped(t.buffers()), Numbers.human(t.buffers())),
        List.of("MACs", Numbers.grouped(t.macs()), Numbers.human(t.macs())),
        List.of("FLOPs", Numbers.grouped(t.flops()), Numbers.human(t.flops())),
        List.of("other ops", Numbers.grouped(t.otherOps()), Numbers.human(t.otherOps())),
        List.of("weight bytes", Numbers.grouped(t.weightBytes()), Numbers.bytes(t.weightBytes())),
        List.of("activation bytes, all layers", Numbers.grouped(r.activationBytes()),
            Numbers.bytes(r.activationBytes())),
        List.of("peak activation bytes (at " + r.peakAt() + ")", Numbers.grouped(r.peak().bytes()),
            Numbers.bytes(r.peak().bytes())));
  }

  static final List<String> OPTIMIZED_HEADERS = List.of("", "as written", "optimized");

  /** The before/after rows of {@code --optimized}: layers, kernels, counts and memory. */
  static List<List<String>> optimized(ReportDoc d, boolean human) {
    CompiledStats c = d.compiled();
    NetworkReport r = d.report();
    String none = "-";
    return List.of(
        List.of("layers", count(c.layersBefore(), human), count(c.layersAfter(), human)),
        List.of("fused kernels (with a folded batchnorm, residual add or activation)", none,
            count(c.fusedKernels(), human)),
        List.of("plan steps", none, count(c.steps(), human)),
        List.of("  kernels", none, count(c.kernels(), human)),
        List.of("  layout conversions", none, count(c.relayouts(), human)),
        List.of("  output copies", none, count(c.outputCopies(), human)),
        List.of("MACs", count(r.totals().macs(), human), count(c.macs(), human)),
        List.of("other ops", count(r.totals().otherOps(), human), count(c.otherOps(), human)),
        List.of("activation memory bytes (naive peak / planned arena)", bytes(r.peak().bytes(), human),
            bytes(c.arenaBytes(), human)),
        List.of("liveness lower bound bytes", none, bytes(c.lowerBoundBytes(), human)));
  }

  private static String bytes(long v, boolean human) { return human ? Numbers.bytes(v) : Numbers.grouped(v); }

  static final List<String> SWEEP_HEADERS = List.of("input", "params", "MACs", "FLOPs", "other ops",
      "weight bytes", "peak activation bytes");

  static List<String> sweep(String shape, NetworkReport p, boolean human) {
    Totals t = p.totals();
    return List.of(shape, count(t.params(), human), count(t.macs(), human), count(t.flops(), human),
        count(t.otherOps(), human), human ? Numbers.bytes(t.weightBytes()) : Numbers.grouped(t.weightBytes()),
        human ? Numbers.bytes(p.peak().bytes()) : Numbers.grouped(p.peak().bytes()));
  }
}

package dev.netc.compiler.analysis.render;

import dev.netc.compiler.analysis.CompiledStats;
import dev.netc.compiler.analysis.Convention;
import dev.netc.compiler.analysis.LayerStats;
import dev.netc.compiler.analysis.NetworkReport;
import dev.netc.compiler.analysis.ReceptiveField;
import dev.netc.compiler.analysis.ReportDoc;
import dev.netc.compiler.analysis.Row;
import dev.netc.compiler.analysis.Sweep;
import dev.netc.compiler.analysis.Totals;
import dev.netc.compiler.ir.Graph;
import dev.netc.compiler.ir.TensorType;
import dev.netc.runtime.io.Json;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * {@code --format json}: the schema of spec/report-json.md. One object per network (an array of them when a file
 * reports several); all counts are exact integers. Written one layer per line, so it reads and diffs well.
 */
public final class JsonRenderer {
  private JsonRenderer() {}

  public static String render(List<ReportDoc> docs) {
    if (docs.size() == 1) return object(docs.getFirst(), "") + "\n";
    StringBuilder b = new StringBuilder("[\n");
    for (int i = 0; i < docs.size(); i++) {
      b.append("  ").append(object(docs.get(i), "  ")).append(i + 1 < docs.size() ? ",\n" : "\n");
    }
    return b.append("]\n").toString();
  }

  /** The report of one network as a map, in schema order (what {@link #render} writes). */
  public static Map<String, Object> map(ReportDoc d) {
    NetworkReport r = d.report();
    Graph g = r.graph();
    Map<String, Object> ordered = new LinkedHashMap<>();
    ordered.put("network", r.name());
    ordered.put("source", d.source());
    ordered.put("batch", r.batch());
    ordered.put("inputs", tensors(g, g.inputs(), g.inputs().stream().map(i -> g.node(i).path()).toList(), r.batch()));
    ordered.put("outputs", tensors(g, g.outputs().stream().map(Graph.Output::node).toList(),
        g.outputs().stream().map(Graph.Output::name).toList(), r.batch()));
    ordered.putAll(totals(r));
    CompiledStats c = d.compiled();
    if (c != null) {
      ordered.put("planned_arena_bytes", c.arenaBytes());
      ordered.put("arena_lower_bound_bytes", c.lowerBoundBytes());
    }
    ordered.put("activation_bytes", r.activationBytes());
    ordered.put("convention", Convention.TEXT);
    List<Object> layers = new ArrayList<>();
    for (LayerStats l : r.layers()) layers.add(layer(l, r.batch()));
    ordered.put("layers", layers);
    if (d.depth() > 0) {
      ordered.put("depth", d.depth());
      List<Object> groups = new ArrayList<>();
      for (Row row : d.rows()) groups.add(group(row, r.batch()));
      ordered.put("groups", groups);
    }
    if (d.sweep() != null) ordered.put("sweep", sweep(d.sweep()));
    if (d.optimized() && c != null) ordered.put("optimized", optimized(c));
    return ordered;
  }

  /** The {@code --optimized} object: the optimized network's layers, kernels and counts. */
  private static Map<String, Object> optimized(CompiledStats c) {
    Map<String, Object> m = new LinkedHashMap<>();
    m.put("layers_before", c.layersBefore());
    m.put("layers_after", c.layersAfter());
    m.put("fused_kernels", c.fusedKernels());
    m.put("steps", c.steps());
    m.put("kernels", c.kernels());
    m.put("layout_conversions", c.relayouts());
    m.put("output_copies", c.outputCopies());
    m.put("macs", c.macs());
    m.put("other_ops", c.otherOps());
    m.put("planned_arena_bytes", c.arenaBytes());
    m.put("arena_lower_bound_bytes", c.lowerBoundBytes());
    return m;
  }

  /** The whole-network counts shared by a report and a sweep point. */
  private static Map<String, Object> totals(NetworkReport r) {
    Totals t = r.totals();
    Map<String, Object> m = new LinkedHashMap<>();
    m.put("params", t.params());
    m.put("buffers", t.buffers());
    m.put("macs", t.macs());
    m.put("flops", t.flops());
    m.put("other_ops", t.otherOps());
    m.put("weight_bytes", t.weightBytes());
    m.put("peak_activation_bytes", r.peak().bytes());
    m.put("peak_at", r.peakAt());
    return m;
  }

  private static List<Object> tensors(Graph g, List<Integer> nodes, List<String> names, int batch) {
    List<Object> out = new ArrayList<>();
    for (int i = 0; i < nodes.size(); i++) {
      Map<String, Object> m = new LinkedHashMap<>();
      m.put("name", names.get(i));
      m.put("shape", ReportDoc.shape(g.node(nodes.get(i)).type(), batch));
      out.add(m);
    }
    return out;
  }

  private static Map<String, Object> layer(LayerStats l, int batch) {
    Map<String, Object> m = new LinkedHashMap<>();
    m.put("path", l.path());
    m.put("op", l.op());
    m.put("detail", l.detail());
    counts(m, l.type(), batch, l.params(), l.buffers(), l.macs(), l.otherOps(), l.activationBytes(), l.rf());
    return m;
  }

  private static Map<String, Object> group(Row row, int batch) {
    Map<String, Object> m = new LinkedHashMap<>();
    m.put("path", row.path());
    m.put("level", row.level());
    m.put("layers", row.layers());
    m.put("op", row.group() ? null : row.op());
    counts(m, row.type(), batch, row.params(), row.buffers(), row.macs(), row.otherOps(), row.activationBytes(),
        row.rf());
    return m;
  }

  private static void counts(Map<String, Object> m, TensorType type, int batch, long params, long buffers, long macs,
      long other, long bytes, ReceptiveField rf) {
    m.put("output_shape", ReportDoc.shape(type, batch));
    m.put("params", params);
    m.put("buffers", buffers);
    m.put("macs", macs);
    m.put("flops", 2 * macs);
    m.put("other_ops", other);
    m.put("activation_bytes", bytes);
    m.put("receptive_field", rf == null ? null : rf.size().stream().map(ReceptiveField::jsonNumber).toList());
    m.put("stride", rf == null ? null : rf.stride().stream().map(ReceptiveField::jsonNumber).toList());
  }

  private static Map<String, Object> sweep(Sweep s) {
    List<Object> points = new ArrayList<>();
    for (NetworkReport p : s.points()) {
      Map<String, Object> m = new LinkedHashMap<>();
      m.put("shape", ReportDoc.shape(s.inputType(p), p.batch()));
      m.putAll(totals(p));
      points.add(m);
    }
    Map<String, Object> m = new LinkedHashMap<>();
    m.put("input", s.input());
    m.put("points", points);
    return m;
  }

  /** Pretty enough: one key per line at the top, one item per line in arrays of objects. */
  private static String object(ReportDoc d, String indent) {
    Map<String, Object> m = map(d);
    StringBuilder b = new StringBuilder("{\n");
    int i = 0;
    for (Map.Entry<String, Object> e : m.entrySet()) {
      b.append(indent).append("  ").append(Json.write(e.getKey())).append(": ");
      value(b, e.getValue(), indent + "  ");
      b.append(++i < m.size() ? ",\n" : "\n");
    }
    return b.append(indent).append('}').toString();
  }

  private static void value(StringBuilder b, Object v, String indent) {
    if (v instanceof List<?> list && !list.isEmpty() && list.getFirst() instanceof Map) {
      b.append("[\n");
      for (int i = 0; i < list.size(); i++) {
        b.append(indent).append("  ").append(Json.write(list.get(i))).append(i + 1 < list.size() ? ",\n" : "\n");
      }
      b.append(indent).append(']');
    } else if (v instanceof Map<?, ?> map && map.values().stream().anyMatch(x -> x instanceof List<?>)) {
      b.append("{\n");
      int i = 0;
      for (Map.Entry<?, ?> e : map.entrySet()) {
        b.append(indent).append("  ").append(Json.write(String.valueOf(e.getKey()))).append(": ");
        value(b, e.getValue(), indent + "  ");
        b.append(++i < map.size() ? ",\n" : "\n");
      }
      b.append(indent).append('}');
    } else {
      b.append(Json.write(v));
    }
  }
}

package dev.netc.compiler.analysis;

import dev.netc.compiler.ir.Graph;
import dev.netc.compiler.ir.Node;
import dev.netc.compiler.ir.TensorType;
import java.util.ArrayList;
import java.util.List;

/**
 * What a renderer prints for one network: the report, the rows at the chosen depth (every layer at depth 0),
 * the sweep when one was asked for (else null), and what optimization and planning make of the network (null
 * when not computed).
 *
 * @param source the file name shown in the report (no directories, so reports do not depend on where they ran)
 * @param optimized whether to show the whole before/after comparison ({@code --optimized}); without it a report
 *     shows only the planned arena beside the naive peak
 */
public record ReportDoc(String source, NetworkReport report, int depth, List<Row> rows, Sweep sweep,
    CompiledStats compiled, boolean optimized) {
  public ReportDoc {
    rows = List.copyOf(rows);
  }

  public static ReportDoc of(String source, NetworkReport report, int depth, Sweep sweep) {
    return new ReportDoc(source, report, depth, Grouping.rows(report, depth), sweep, null, false);
  }

  /** This document with the optimized network's figures, in full ({@code optimized}) or the arena only. */
  public ReportDoc withCompiled(CompiledStats stats, boolean optimized) {
    return new ReportDoc(source, report, depth, rows, sweep, stats, optimized);
  }

  /** The shape as reports show it: the batch size first for batched tensors ({@code [1, 64, 56, 56]}). */
  public static List<Integer> shape(TensorType t, int batch) {
    List<Integer> dims = new ArrayList<>(t.rank() + 1);
    if (t.batched()) dims.add(batch);
    for (int d = 0; d < t.rank(); d++) dims.add(t.dim(d));
    return dims;
  }

  /** {@code [1, 64, 56, 56]}. */
  public static String shapeText(TensorType t, int batch) { return shape(t, batch).toString(); }

  /** Named tensors of the graph, e.g. the inputs: {@code image [1, 3, 224, 224]}. */
  public static List<String> named(Graph g, List<Integer> nodes, List<String> names, int batch) {
    List<String> out = new ArrayList<>();
    for (int i = 0; i < nodes.size(); i++) {
      Node n = g.node(nodes.get(i));
      out.add(names.get(i) + " " + shapeText(n.type(), batch));
    }
    return out;
  }

  public List<String> inputs() {
    Graph g = report.graph();
    return named(g, g.inputs(), g.inputs().stream().map(i -> g.node(i).path()).toList(), report.batch());
  }

  public List<String> outputs() {
    Graph g = report.graph();
    return named(g, g.outputs().stream().map(Graph.Output::node).toList(),
        g.outputs().stream().map(Graph.Output::name).toList(), report.batch());
  }
}

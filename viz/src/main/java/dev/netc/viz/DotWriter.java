package dev.netc.viz;

import java.util.ArrayList;
import java.util.List;

/**
 * A {@link GraphView} as a Graphviz DOT digraph, for people who lay out with Graphviz themselves: boxes labelled
 * with their lines (title, op, shape, costs), clusters as nested {@code subgraph cluster_…} named by path, shapes on
 * edges, inputs and outputs as ellipses.
 */
public final class DotWriter {
  private DotWriter() {}

  public static String write(GraphView view, Coloring coloring, String title) {
    Coloring.Palette palette = coloring.palette(view.boxes());
    StringBuilder b = new StringBuilder();
    b.append("digraph ").append(quote(title)).append(" {\n");
    b.append("  graph [rankdir=TB, fontname=\"Helvetica\", fontsize=11, labeljust=l];\n");
    b.append("  node [shape=box, style=\"rounded,filled\", fillcolor=\"#eeeeee\", fontname=\"Helvetica\","
        + " fontsize=10];\n");
    b.append("  edge [fontname=\"Helvetica\", fontsize=9, color=\"#555555\"];\n");
    cluster(b, view, view.root(), palette, "  ", true, view.root().id().equals("root"));
    for (GraphView.Link l : view.links()) {
      b.append("  ").append(l.from()).append(" -> ").append(l.to()).append(" [label=").append(quote(l.label()))
          .append("];\n");
    }
    return b.append("}\n").toString();
  }

  /** A cluster is named by its path; in a picture of several networks, by its id too (paths repeat). */
  private static void cluster(StringBuilder b, GraphView view, GraphView.Cluster c, Coloring.Palette palette,
      String indent, boolean top, boolean several) {
    String inner = indent;
    boolean framed = !top || !c.label().isEmpty();
    if (framed) {
      String name = several ? c.id() + (c.path().isEmpty() ? "" : "_" + c.path()) : c.path();
      b.append(indent).append("subgraph ").append(quote("cluster_" + name)).append(" {\n");
      inner = indent + "  ";
      b.append(inner).append("label=").append(quote(c.label())).append(";\n");
    }
    for (String id : c.boxes()) box(b, view.box(id), palette, inner);
    for (GraphView.Cluster child : c.children()) cluster(b, view, child, palette, inner, false, several);
    if (framed) b.append(indent).append("}\n");
  }

  private static void box(StringBuilder b, GraphView.Box box, Coloring.Palette palette, String indent) {
    List<String> lines = new ArrayList<>();
    if (!box.title().isEmpty()) lines.add(box.title());
    if (box.kind() == GraphView.Kind.LAYER || box.kind() == GraphView.Kind.GROUP) lines.add(box.op());
    lines.add(box.shape());
    String costs = Text.costs(box);
    if (!costs.isEmpty()) lines.add(costs);
    boolean round = box.kind() == GraphView.Kind.INPUT || box.kind() == GraphView.Kind.OUTPUT;
    b.append(indent).append(box.id()).append(" [label=").append(quoteLines(lines))
        .append(round ? ", shape=ellipse" : "").append(", fillcolor=").append(quote(palette.fill(box)))
        .append(palette.dark(box) ? ", fontcolor=\"#ffffff\"" : "").append("];\n");
  }

  static String quote(String s) { return '"' + s.replace("\\", "\\\\").replace("\"", "\\\"") + '"'; }

  /** Lines joined by DOT's {@code \n} line breaks, each escaped. */
  private static String quoteLines(List<String> lines) {
    List<String> esc = new ArrayList<>();
    for (String l : lines) esc.add(l.replace("\\", "\\\\").replace("\"", "\\\""));
    return '"' + String.join("\\n", esc) + '"';
  }
}

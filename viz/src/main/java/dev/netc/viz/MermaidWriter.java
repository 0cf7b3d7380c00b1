package dev.netc.viz;

import java.util.ArrayList;
import java.util.List;

/**
 * A {@link GraphView} as a Mermaid flowchart (for READMEs and wikis that render Mermaid): boxes with their lines,
 * clusters as nested subgraphs, shapes on the links, fills as {@code style} lines. Mermaid lays it out itself.
 */
public final class MermaidWriter {
  private MermaidWriter() {}

  public static String write(GraphView view, Coloring coloring) {
    Coloring.Palette palette = coloring.palette(view.boxes());
    StringBuilder b = new StringBuilder("flowchart TB\n");
    cluster(b, view, view.root(), "  ", true);
    for (GraphView.Link l : view.links()) {
      b.append("  ").append(l.from()).append(" -->|\"").append(esc(l.label())).append("\"| ").append(l.to())
          .append('\n');
    }
    for (GraphView.Box box : view.boxes()) {
      b.append("  style ").append(box.id()).append(" fill:").append(palette.fill(box))
          .append(palette.dark(box) ? ",color:#fff" : ",color:#222").append(",stroke:#7a8594\n");
    }
    return b.toString();
  }

  private static void cluster(StringBuilder b, GraphView view, GraphView.Cluster c, String indent, boolean top) {
    String inner = indent;
    boolean framed = !top || !c.label().isEmpty();
    if (framed) {
      b.append(indent).append("subgraph ").append(c.id()).append(" [\"").append(esc(c.label())).append("\"]\n");
      inner = indent + "  ";
    }
    for (String id : c.boxes()) box(b, view.box(id), inner);
    for (GraphView.Cluster child : c.children()) cluster(b, view, child, inner, false);
    if (framed) b.append(indent).append("end\n");
  }

  private static void box(StringBuilder b, GraphView.Box box, String indent) {
    List<String> lines = new ArrayList<>();
    if (!box.title().isEmpty()) lines.add("<b>" + esc(box.title()) + "</b>");
    if (box.kind() == GraphView.Kind.LAYER || box.kind() == GraphView.Kind.GROUP) lines.add(esc(Text.cut(box.op())));
    lines.add(esc(box.shape()));
    String costs = Text.costs(box);
    if (!costs.isEmpty()) lines.add(esc(costs));
    boolean round = box.kind() == GraphView.Kind.INPUT || box.kind() == GraphView.Kind.OUTPUT;
    b.append(indent).append(box.id()).append(round ? "([\"" : "[\"").append(String.join("<br/>", lines))
        .append(round ? "\"])" : "\"]").append('\n');
  }

  /** Mermaid's entity escapes for what would end a label or start markup. */
  static String esc(String s) {
    return s.replace("&", "#amp;").replace("\"", "#quot;").replace("<", "#lt;").replace(">", "#gt;")
        .replace("|", "#124;");
  }
}

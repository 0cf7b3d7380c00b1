package dev.netc.compiler.analysis.render;

import dev.netc.compiler.analysis.Totals;
import dev.netc.compiler.ir.Cost;
import dev.netc.compiler.ir.Graph;
import dev.netc.compiler.ir.Input;
import dev.netc.compiler.ir.Node;
import dev.netc.compiler.ir.TensorType;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * {@code netc graph}: a network as a Graphviz DOT digraph. Layers are boxes labeled with their name and op,
 * colored by kind; blocks and stages are nested clusters, one per path prefix ({@code layer1}, {@code layer1.0});
 * edges carry the shape of the tensor they move (without the batch); outputs are ellipses of their own. Several
 * networks become one cluster each.
 */
public final class DotRenderer {
  private DotRenderer() {}

  public static String render(List<Graph> graphs) {
    StringBuilder b = new StringBuilder();
    String title = graphs.size() == 1 ? graphs.getFirst().name() : "networks";
    b.append("digraph ").append(quote(title)).append(" {\n");
    b.append("  graph [rankdir=TB, fontname=\"Helvetica\", fontsize=11, labeljust=l];\n");
    b.append("  node [shape=box, style=\"rounded,filled\", fillcolor=\"#eeeeee\", fontname=\"Helvetica\","
        + " fontsize=10];\n");
    b.append("  edge [fontname=\"Helvetica\", fontsize=9, color=\"#555555\"];\n");
    for (int i = 0; i < graphs.size(); i++) {
      Graph g = graphs.get(i);
      String prefix = graphs.size() == 1 ? "n" : "g" + i + "_n";
      if (graphs.size() > 1) {
        b.append("  subgraph ").append(quote("cluster_" + g.name())).append(" {\n    label=")
            .append(quote(g.name())).append(";\n");
      }
      network(b, g, prefix, graphs.size() == 1 ? "" : "g" + i + "_", graphs.size() > 1 ? "    " : "  ");
      if (graphs.size() > 1) b.append("  }\n");
    }
    return b.append("}\n").toString();
  }

  private static void network(StringBuilder b, Graph g, String prefix, String clusterPrefix, String indent) {
    Cluster root = new Cluster("");
    for (Node n : g.nodes()) {
      String[] segs = n.path().split("\\.");
      Cluster c = root;
      for (int k = 1; k < segs.length; k++) {
        String key = String.join(".", java.util.Arrays.copyOf(segs, k));
        c = c.children.computeIfAbsent(key, Cluster::new);
      }
      c.nodes.add(n);
    }
    root.write(b, g, prefix, clusterPrefix, indent);
    for (Node n : g.nodes()) {
      for (int i : n.inputs()) {
        b.append(indent).append(prefix).append(i).append(" -> ").append(prefix).append(n.id())
            .append(" [label=").append(quote(dims(g.node(i).type()))).append("];\n");
      }
    }
    for (Graph.Output o : g.outputs()) {
      String id = prefix + "out_" + o.name().replaceAll("[^A-Za-z0-9_]", "_");
      b.append(indent).append(id).append(" [label=").append(quote(o.name())).append(", shape=ellipse,"
          + " fillcolor=\"#ffe0b2\"];\n");
      b.append(indent).append(prefix).append(o.node()).append(" -> ").append(id).append(" [label=")
          .append(quote(dims(g.node(o.node()).type()))).append("];\n");
    }
  }

  /** A path prefix: the nodes directly in it and its sub-prefixes, in order of first appearance. */
  private static final class Cluster {
    final String path;
    final List<Node> nodes = new ArrayList<>();
    final Map<String, Cluster> children = new LinkedHashMap<>();

    Cluster(String path) { this.path = path; }

    void write(StringBuilder b, Graph g, String prefix, String clusterPrefix, String indent) {
      String inner = indent;
      if (!path.isEmpty()) {
        b.append(indent).append("subgraph ").append(quote("cluster_" + clusterPrefix + path)).append(" {\n");
        inner = indent + "  ";
        b.append(inner).append("label=").append(quote(path)).append(";\n");
      }
      for (Node n : nodes) {
        b.append(inner).append(prefix).append(n.id()).append(" [").append(attrs(g, n)).append("];\n");
      }
      for (Cluster c : children.values()) c.write(b, g, prefix, clusterPrefix, inner);
      if (!path.isEmpty()) b.append(indent).append("}\n");
    }
  }

  private static String attrs(Graph g, Node n) {
    String name = n.path().substring(n.path().lastIndexOf('.') + 1);
    String desc = n.op().describe();
    String op = n.op().name() + (desc.isEmpty() ? "" : " " + desc);
    // A positional name (layer1.0.2) or one that repeats the op (add) says nothing the op line does not.
    boolean plain = name.equals(n.op().name()) || name.chars().allMatch(Character::isDigit);
    String label = n.op() instanceof Input ? name + "\\n" + dims(n.type()) : plain ? op : name + "\\n" + op;
    String shape = n.op() instanceof Input ? ", shape=ellipse" : "";
    return "label=" + quoteLabel(label) + shape + ", fillcolor=" + quote(color(Totals.cost(g, n, 1).category()));
  }

  private static String color(Cost.Category c) {
    return switch (c) {
      case INPUT -> "#ffe0b2";
      case CONV -> "#bbdefb";
      case LINEAR, MATMUL, ATTENTION, RECURRENT -> "#d1c4e9";
      case NORM -> "#c8e6c9";
      case ACTIVATION -> "#fff9c4";
      case POOL -> "#ffcdd2";
      case ADD, MUL, CONCAT -> "#e0e0e0";
      case DATA, OTHER -> "#f5f5f5";
    };
  }

  /** {@code 64x56x56}, or {@code 5} for a vector; unbatched tensors the same way. */
  static String dims(TensorType t) {
    List<String> d = new ArrayList<>();
    for (int i = 0; i < t.rank(); i++) d.add(String.valueOf(t.dim(i)));
    return d.isEmpty() ? "scalar" : String.join("x", d);
  }

  static String quote(String s) { return '"' + s.replace("\\", "\\\\").replace("\"", "\\\"") + '"'; }

  /** Quotes a label whose {@code \n} escapes are DOT line breaks (other backslashes are escaped). */
  private static String quoteLabel(String s) {
    return '"' + s.replace("\\n", "\u0000").replace("\\", "\\\\").replace("\"", "\\\"").replace("\u0000", "\\n") + '"';
  }
}

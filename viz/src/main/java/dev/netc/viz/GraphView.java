package dev.netc.viz;

import dev.netc.compiler.analysis.LayerStats;
import dev.netc.compiler.analysis.NetworkReport;
import dev.netc.compiler.analysis.Totals;
import dev.netc.compiler.ir.Cost;
import dev.netc.compiler.ir.Graph;
import dev.netc.compiler.ir.Input;
import dev.netc.compiler.ir.Node;
import dev.netc.compiler.ir.TensorType;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;

/**
 * What a picture of networks shows, before layout: boxes (a layer, or at {@code depth} N the layers sharing a path
 * prefix of N segments, with their summed counts), the tensors between them (labelled with their shape, without the
 * batch), and the blocks and stages around them as nested clusters, one per shorter path prefix. Inputs and outputs
 * are boxes of their own kinds. Several networks become one top-level cluster each.
 *
 * @param root the outermost cluster (no path, no label): every box is in it or in a cluster below it
 */
public record GraphView(List<Box> boxes, List<Link> links, Cluster root) {
  public GraphView {
    boxes = List.copyOf(boxes);
    links = List.copyOf(links);
  }

  /** What a box stands for. */
  public enum Kind { INPUT, LAYER, GROUP, OUTPUT }

  /**
   * One box: its id (unique in the view, safe in every output format), the path it stands for, a title (empty
   * where the name says nothing the op does not: {@code relu}, {@code layer1.0.2}), the op with its attributes
   * (or the number of layers), the output shape, and summed counts.
   */
  public record Box(String id, String path, Kind kind, String title, String op, String shape, long params,
      long macs, long activationBytes, Cost.Category category, int layers, long timeNs) {}

  /** A tensor from one box into another, labelled with its shape. */
  public record Link(String from, String to, String label) {}

  /** A path prefix drawn as a frame: the boxes directly in it and the clusters below it, in order. */
  public record Cluster(String id, String path, String label, List<String> boxes, List<Cluster> children) {
    /** Every box id in this cluster and below. */
    public List<String> allBoxes() {
      List<String> out = new ArrayList<>(boxes);
      for (Cluster c : children) out.addAll(c.allBoxes());
      return out;
    }
  }

  /** The box of an id. */
  public Box box(String id) {
    for (Box b : boxes) if (b.id().equals(id)) return b;
    throw new IllegalArgumentException("no box " + id);
  }

  /** Boxes that stand for layers of the networks (everything but the output markers). */
  public long layerBoxes() { return boxes.stream().filter(b -> b.kind() != Kind.OUTPUT).count(); }

  /** The view of reports' networks at a depth (0: every layer its own box). */
  public static GraphView of(List<NetworkReport> reports, int depth) {
    return of(reports, depth, List.of());
  }

  /**
   * As {@link #of(List, int)}, with measured nanoseconds per layer path for each network ({@link Profile#layers()};
   * empty: none measured), summed into the boxes.
   */
  public static GraphView of(List<NetworkReport> reports, int depth, List<Map<String, Long>> times) {
    if (depth < 0) throw new IllegalArgumentException("depth must not be negative, got " + depth);
    List<Box> boxes = new ArrayList<>();
    List<Link> links = new ArrayList<>();
    List<Cluster> tops = new ArrayList<>();
    for (int i = 0; i < reports.size(); i++) {
      String prefix = reports.size() == 1 ? "n" : "g" + i + "n";
      Builder b = new Builder(reports.get(i), depth, prefix, times.isEmpty() ? Map.of() : times.get(i));
      b.build(boxes, links);
      Cluster c = b.clusters();
      if (reports.size() == 1) tops.addAll(c.children().isEmpty() && c.boxes().isEmpty() ? List.of() : List.of(c));
      else tops.add(new Cluster("g" + i, "", reports.get(i).name(), c.boxes(), c.children()));
    }
    Cluster root = reports.size() == 1 && tops.size() == 1 ? tops.getFirst()
        : new Cluster("root", "", "", List.of(), tops);
    return new GraphView(boxes, links, root);
  }

  /** {@code 64x56x56}, or {@code 5} for a vector (the batch left out). */
  public static String dims(TensorType t) {
    List<String> d = new ArrayList<>();
    for (int i = 0; i < t.rank(); i++) d.add(String.valueOf(t.dim(i)));
    return d.isEmpty() ? "scalar" : String.join("x", d);
  }

  /** The box key of a path at a depth: its first {@code depth} segments (all of them at depth 0). */
  static String key(String path, int depth) {
    if (depth == 0) return path;
    String[] segs = path.split("\\.");
    if (segs.length <= depth) return path;
    return String.join(".", java.util.Arrays.copyOf(segs, depth));
  }

  /** Collects one network's boxes, links and clusters. */
  private static final class Builder {
    final NetworkReport report;
    final int depth;
    final String prefix;
    final Map<String, List<Node>> members = new LinkedHashMap<>();
    final Map<Integer, String> boxOf = new LinkedHashMap<>();
    final Map<String, String> idOf = new LinkedHashMap<>();
    final List<String> outputs = new ArrayList<>();
    final Map<String, Long> times;

    Builder(NetworkReport report, int depth, String prefix, Map<String, Long> times) {
      this.report = report;
      this.times = times;
      this.depth = depth;
      this.prefix = prefix;
      for (Node n : report.graph().nodes()) {
        String key = n.op() instanceof Input ? n.path() : key(n.path(), depth);
        members.computeIfAbsent(key, k -> new ArrayList<>()).add(n);
        boxOf.put(n.id(), key);
      }
      int k = 0;
      for (String key : members.keySet()) idOf.put(key, prefix + k++);
    }

    void build(List<Box> boxes, List<Link> links) {
      Graph g = report.graph();
      for (Map.Entry<String, List<Node>> e : members.entrySet()) boxes.add(box(e.getKey(), e.getValue()));
      Set<String> seen = new LinkedHashSet<>();
      for (Node n : g.nodes()) {
        for (int in : n.inputs()) {
          String from = idOf.get(boxOf.get(in)), to = idOf.get(boxOf.get(n.id()));
          if (from.equals(to) || !seen.add(from + ">" + to + ">" + in)) continue;
          links.add(new Link(from, to, dims(g.node(in).type())));
        }
      }
      int k = 0;
      for (Graph.Output o : g.outputs()) {
        String id = prefix + "o" + k++;
        outputs.add(id);
        boxes.add(new Box(id, o.name(), Kind.OUTPUT, o.name(), "output", dims(g.node(o.node()).type()), 0, 0, 0,
            Cost.Category.INPUT, 0, 0));
        links.add(new Link(idOf.get(boxOf.get(o.node())), id, dims(g.node(o.node()).type())));
      }
    }

    private Box box(String key, List<Node> nodes) {
      Graph g = report.graph();
      long params = 0, macs = 0, bytes = 0, time = 0;
      for (Node n : nodes) {
        LayerStats l = report.layers().get(n.id());
        time += times.getOrDefault(n.path(), 0L);
        params += l.params();
        macs += l.macs();
        bytes += l.activationBytes();
      }
      Node last = nodes.getLast();
      Cost.Category cat = Totals.cost(g, last, report.batch()).category();
      String id = idOf.get(key);
      String name = key.substring(key.lastIndexOf('.') + 1);
      if (last.op() instanceof Input) {
        return new Box(id, key, Kind.INPUT, name, "input", dims(last.type()), 0, 0, bytes, cat, 1, 0);
      }
      if (nodes.size() == 1 && last.path().equals(key)) {
        String desc = last.op().describe();
        String op = last.op().name() + (desc.isEmpty() ? "" : " " + desc);
        boolean plain = name.equals(last.op().name()) || name.chars().allMatch(Character::isDigit);
        return new Box(id, key, Kind.LAYER, plain ? "" : name, op,
            dims(last.type()), params, macs, bytes, cat, 1, time);
      }
      String op = nodes.size() + (nodes.size() == 1 ? " layer" : " layers");
      return new Box(id, key, Kind.GROUP, key, op, dims(last.type()), params, macs, bytes, dominant(nodes), nodes.size(),
          time);
    }

    /** A group's category: that of its layers with the most MACs (conv for a block of convs and norms). */
    private Cost.Category dominant(List<Node> nodes) {
      Map<Cost.Category, Long> by = new LinkedHashMap<>();
      for (Node n : nodes) {
        Cost c = Totals.cost(report.graph(), n, report.batch());
        by.merge(c.category(), c.macs() + 1, Long::sum);
      }
      return by.entrySet().stream().max(Map.Entry.comparingByValue()).orElseThrow().getKey();
    }

    /** Clusters: one per path prefix shorter than a box's key, nested, in order of first appearance. */
    Cluster clusters() {
      Tree root = new Tree("");
      for (String key : members.keySet()) {
        String[] segs = key.split("\\.");
        Tree t = root;
        for (int k = 1; k < segs.length; k++) {
          String p = String.join(".", java.util.Arrays.copyOf(segs, k));
          t = t.children.computeIfAbsent(p, Tree::new);
        }
        t.boxes.add(idOf.get(key));
      }
      root.boxes.addAll(outputs);
      return root.cluster(prefix + "c", new int[] {0});
    }
  }

  /** A mutable prefix tree, turned into clusters once complete. */
  private static final class Tree {
    final String path;
    final List<String> boxes = new ArrayList<>();
    final Map<String, Tree> children = new LinkedHashMap<>();

    Tree(String path) { this.path = path; }

    Cluster cluster(String prefix, int[] counter) {
      String id = prefix + counter[0]++;
      List<Cluster> cs = new ArrayList<>();
      for (Tree t : children.values()) cs.add(t.cluster(prefix, counter));
      return new Cluster(id, path, path, boxes, cs);
    }
  }
}

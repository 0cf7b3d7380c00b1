package dev.netc.compiler.analysis;

import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * Groups a report's layers by path prefix for {@code --depth N}: a tree of the prefixes of at most N segments
 * ({@code layer1}, {@code layer1.0}), each with the subtotals of the layers under it, listed parent first, children
 * in order of their first layer. A prefix that stands for exactly one layer with that same path is shown as the
 * layer itself. Depth 0 lists every layer, flat.
 */
public final class Grouping {
  private Grouping() {}

  public static List<Row> rows(NetworkReport report, int depth) {
    if (depth < 0) throw new IllegalArgumentException("depth must not be negative, got " + depth);
    if (depth == 0) return report.layers().stream().map(l -> Row.of(l, 0)).toList();
    Group root = new Group("");
    for (LayerStats l : report.layers()) {
      String[] segs = l.path().split("\\.");
      Group g = root;
      for (int k = 1; k <= Math.min(depth, segs.length); k++) {
        String key = String.join(".", java.util.Arrays.copyOf(segs, k));
        g = g.children.computeIfAbsent(key, p -> new Group(p));
        g.add(l);
      }
    }
    List<Row> out = new ArrayList<>();
    for (Group g : root.children.values()) emit(g, 0, out);
    return out;
  }

  private static void emit(Group g, int level, List<Row> out) {
    out.add(g.row(level));
    for (Group c : g.children.values()) emit(c, level + 1, out);
  }

  /** A prefix and the layers under it, accumulated in graph order. */
  private static final class Group {
    final String path;
    final Map<String, Group> children = new LinkedHashMap<>();
    final List<LayerStats> layers = new ArrayList<>();

    Group(String path) { this.path = path; }

    void add(LayerStats l) { layers.add(l); }

    Row row(int level) {
      if (layers.size() == 1 && layers.getFirst().path().equals(path)) return Row.of(layers.getFirst(), level);
      long params = 0, buffers = 0, macs = 0, other = 0, bytes = 0;
      for (LayerStats l : layers) {
        params += l.params();
        buffers += l.buffers();
        macs += l.macs();
        other += l.otherOps();
        bytes += l.activationBytes();
      }
      LayerStats last = layers.getLast();
      return new Row(path, level, true, "", "", last.type(), params, buffers, macs, other, bytes, last.rf(),
          layers.size());
    }
  }
}

package dev.netc.viz;

import dev.netc.compiler.analysis.Grouping;
import dev.netc.compiler.analysis.NetworkReport;
import dev.netc.compiler.analysis.ReportDoc;
import dev.netc.compiler.analysis.Row;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.HashSet;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;

/**
 * Two networks compared ({@code netc diff}): their totals side by side, and their rows (layers, or at {@code depth}
 * N the report's groups) aligned by path: a path in one only is added or removed; a path in both is changed when
 * its op, its arguments, its output shape or its counts differ. Rows keep the order of the second network, removed
 * ones where they stood in the first.
 *
 * @param before the first network ("A"); {@code after} the second ("B")
 * @param same rows present in both and equal
 */
public record NetworkDiff(Side before, Side after, int depth, List<Change> changes, int same) {
  public NetworkDiff {
    changes = List.copyOf(changes);
  }

  /** One side: the report, where it came from, its planned arena (-1: unknown). */
  public record Side(NetworkReport report, String source, long arenaBytes) {
    public String name() { return report.name(); }
  }

  public enum Kind { ADDED, REMOVED, CHANGED }

  /**
   * A row that differs: {@code before} is null for an added row, {@code after} for a removed one; {@code what}
   * names what changed ({@code op}, {@code arguments}, {@code shape}, {@code params}, {@code macs}).
   */
  public record Change(Kind kind, String path, Row before, Row after, List<String> what) {
    public long paramsDelta() { return (after == null ? 0 : after.params()) - (before == null ? 0 : before.params()); }

    public long macsDelta() { return (after == null ? 0 : after.macs()) - (before == null ? 0 : before.macs()); }
  }

  /** A whole-network figure of both sides. */
  public record Total(String name, long before, long after, boolean bytes) {
    public long delta() { return after - before; }
  }

  public static NetworkDiff of(Side a, Side b, int depth) {
    List<Row> ra = Grouping.rows(a.report(), depth), rb = Grouping.rows(b.report(), depth);
    // A layer may have several rows at one path (a max pooling and its indices): the k-th row of a path is matched
    // with the k-th row of that path on the other side.
    List<String> ka = keys(ra), kb = keys(rb);
    Map<String, Row> inA = byKey(ra, ka), inB = byKey(rb, kb);
    List<Change> changes = new ArrayList<>();
    int same = 0;
    Set<String> done = new HashSet<>();
    int i = 0;
    for (int j = 0; j < rb.size(); j++) {
      Row r = rb.get(j);
      String key = kb.get(j);
      // Rows of A that B lacks, up to the next row of A that B has, are removed here.
      while (i < ra.size() && (!inB.containsKey(ka.get(i)) || done.contains(ka.get(i)))) {
        if (!inB.containsKey(ka.get(i))) changes.add(new Change(Kind.REMOVED, ra.get(i).path(), ra.get(i), null, List.of()));
        i++;
      }
      Row old = inA.get(key);
      if (old == null) {
        changes.add(new Change(Kind.ADDED, r.path(), null, r, List.of()));
        continue;
      }
      done.add(key);
      if (i < ra.size() && ka.get(i).equals(key)) i++;
      List<String> what = what(old, r, a.report().batch(), b.report().batch());
      if (what.isEmpty()) same++;
      else changes.add(new Change(Kind.CHANGED, r.path(), old, r, what));
    }
    for (; i < ra.size(); i++) {
      if (!inB.containsKey(ka.get(i))) changes.add(new Change(Kind.REMOVED, ra.get(i).path(), ra.get(i), null, List.of()));
    }
    changes = positional(changes, a.report().batch(), b.report().batch());
    int moved = (int) changes.stream().filter(c -> c.what().equals(List.of("position"))).count();
    changes.removeIf(c -> c.what().equals(List.of("position")));
    same += moved;
    return new NetworkDiff(a, b, depth, changes, same);
  }

  /** Each row's key: its path, with {@code #k} after it for the k-th row (k >= 2) of a path seen before. */
  private static List<String> keys(List<Row> rows) {
    Map<String, Integer> seen = new HashMap<>();
    List<String> out = new ArrayList<>();
    for (Row r : rows) {
      int k = seen.merge(r.path(), 1, Integer::sum);
      out.add(k == 1 ? r.path() : r.path() + "#" + k);
    }
    return out;
  }

  private static Map<String, Row> byKey(List<Row> rows, List<String> keys) {
    Map<String, Row> m = new LinkedHashMap<>();
    for (int i = 0; i < rows.size(); i++) m.put(keys.get(i), rows.get(i));
    return m;
  }

  /**
   * Unnamed layers are named by position ({@code 4}, {@code layer1.0.2}): a layer inserted before one shifts its
   * name. A removed and an added unnamed layer with the same parent and op are the same layer moved: they pair
   * up, in order, as one row ({@code position} among what changed; a row that changed nothing else is the same).
   */
  private static List<Change> positional(List<Change> changes, int batchA, int batchB) {
    List<Change> out = new ArrayList<>(changes);
    for (int x = 0; x < out.size(); x++) {
      Change gone = out.get(x);
      if (gone.kind() != Kind.REMOVED || !unnamed(gone.path())) continue;
      for (int y = 0; y < out.size(); y++) {
        Change come = out.get(y);
        if (come.kind() != Kind.ADDED || !unnamed(come.path()) || !parent(come.path()).equals(parent(gone.path()))
            || come.after().group() != gone.before().group() || !come.after().op().equals(gone.before().op())) {
          continue;
        }
        List<String> what = new ArrayList<>(List.of("position"));
        what.addAll(what(gone.before(), come.after(), batchA, batchB));
        out.set(Math.max(x, y), new Change(Kind.CHANGED, gone.path() + " \u2192 " + come.path(), gone.before(),
            come.after(), what));
        out.remove(Math.min(x, y));
        x = -1;
        break;
      }
    }
    return out;
  }

  private static boolean unnamed(String path) {
    String last = path.substring(path.lastIndexOf('.') + 1);
    return !last.isEmpty() && last.chars().allMatch(Character::isDigit);
  }

  private static String parent(String path) {
    int dot = path.lastIndexOf('.');
    return dot < 0 ? "" : path.substring(0, dot);
  }

  private static List<String> what(Row a, Row b, int batchA, int batchB) {
    List<String> out = new ArrayList<>();
    if (!a.op().equals(b.op())) out.add("op");
    else if (!a.detail().equals(b.detail())) out.add("arguments");
    if (a.group() && a.layers() != b.layers()) out.add("layers");
    if (!ReportDoc.shape(a.type(), batchA).equals(ReportDoc.shape(b.type(), batchB))) out.add("shape");
    if (a.params() != b.params()) out.add("params");
    if (a.macs() != b.macs()) out.add("macs");
    return out;
  }

  public long count(Kind k) { return changes.stream().filter(c -> c.kind() == k).count(); }

  /** Parameters, buffers, MACs, FLOPs, other ops, weight bytes, the naive peak and the planned arena. */
  public List<Total> totals() {
    NetworkReport a = before.report(), b = after.report();
    List<Total> t = new ArrayList<>(List.of(
        new Total("params", a.totals().params(), b.totals().params(), false),
        new Total("buffers", a.totals().buffers(), b.totals().buffers(), false),
        new Total("MACs", a.totals().macs(), b.totals().macs(), false),
        new Total("FLOPs", a.totals().flops(), b.totals().flops(), false),
        new Total("other ops", a.totals().otherOps(), b.totals().otherOps(), false),
        new Total("weights", a.totals().weightBytes(), b.totals().weightBytes(), true),
        new Total("peak activations", a.peak().bytes(), b.peak().bytes(), true)));
    if (before.arenaBytes() >= 0 && after.arenaBytes() >= 0) {
      t.add(new Total("planned arena", before.arenaBytes(), after.arenaBytes(), true));
    }
    t.add(new Total("layers", a.layers().size(), b.layers().size(), false));
    return t;
  }

  /** The JSON of {@code netc diff --format json} (spec/diff.md). */
  public Map<String, Object> json() {
    Map<String, Object> m = new LinkedHashMap<>();
    m.put("before", side(before));
    m.put("after", side(after));
    m.put("depth", depth);
    Map<String, Object> totals = new LinkedHashMap<>();
    for (Total t : totals()) {
      Map<String, Object> x = new LinkedHashMap<>();
      x.put("before", t.before());
      x.put("after", t.after());
      x.put("delta", t.delta());
      totals.put(key(t.name()), x);
    }
    m.put("totals", totals);
    Map<String, Object> counts = new LinkedHashMap<>();
    counts.put("added", count(Kind.ADDED));
    counts.put("removed", count(Kind.REMOVED));
    counts.put("changed", count(Kind.CHANGED));
    counts.put("same", same);
    m.put("rows", counts);
    List<Object> cs = new ArrayList<>();
    for (Change c : changes) {
      Map<String, Object> x = new LinkedHashMap<>();
      x.put("kind", c.kind().name().toLowerCase(java.util.Locale.ROOT));
      x.put("path", c.path());
      x.put("what", c.what());
      x.put("before", row(c.before(), before.report().batch()));
      x.put("after", row(c.after(), after.report().batch()));
      x.put("params_delta", c.paramsDelta());
      x.put("macs_delta", c.macsDelta());
      cs.add(x);
    }
    m.put("changes", cs);
    return m;
  }

  private static String key(String name) { return name.replace(' ', '_').toLowerCase(java.util.Locale.ROOT); }

  private static Map<String, Object> side(Side s) {
    Map<String, Object> m = new LinkedHashMap<>();
    m.put("network", s.name());
    m.put("source", s.source());
    m.put("batch", s.report().batch());
    return m;
  }

  private static Map<String, Object> row(Row r, int batch) {
    if (r == null) return null;
    Map<String, Object> o = new LinkedHashMap<>();
    o.put("op", r.group() ? null : r.op());
    o.put("detail", r.group() ? null : r.detail());
    o.put("layers", r.layers());
    o.put("output_shape", ReportDoc.shape(r.type(), batch));
    o.put("params", r.params());
    o.put("macs", r.macs());
    return o;
  }
}

package dev.netc.lsp;

import dev.netc.compiler.analysis.LayerStats;
import dev.netc.compiler.analysis.NetworkReport;
import dev.netc.compiler.diag.Span;
import dev.netc.compiler.ir.Node;
import dev.netc.compiler.ops.OpCatalogue;
import dev.netc.compiler.sema.Program;
import dev.netc.compiler.syntax.Ast;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.HashSet;
import java.util.IdentityHashMap;
import java.util.LinkedHashMap;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;

/**
 * Which layers of one elaborated network a piece of source text stands for. A layer that is one graph node (an op
 * call, a residual's add, a gate's mul, an input) is matched by span: every node carries the span of the text that
 * made it, so a layer inside a block has one node per place the block is used. A layer that makes many nodes (a
 * block call, a stage, a labeled residual) is matched by path: it claims a path ({@code layer1}, {@code layer1.0})
 * and every node under that path is its own; which paths those are follows from the paths of the scope around it
 * and its label, or its position in that scope (the compiler's naming: unlabeled layers are numbered, labeled ones
 * take a position too; an unlabeled residual, gate or head is no scope of its own).
 */
final class LayerIndex {
  private static final int UNBOUNDED = Integer.MAX_VALUE;

  /** One instance of a layer: the path it has in the network and the report rows of its nodes, in graph order. */
  record Instance(String network, int batch, String path, List<LayerStats> rows) {
    LayerStats last() { return rows.getLast(); }

    long params() { return rows.stream().mapToLong(LayerStats::params).sum(); }

    long buffers() { return rows.stream().mapToLong(LayerStats::buffers).sum(); }

    long macs() { return rows.stream().mapToLong(LayerStats::macs).sum(); }

    long otherOps() { return rows.stream().mapToLong(LayerStats::otherOps).sum(); }
  }

  /** A layer that claims a path: the scope it is named in, its label, and the positions it can take there. */
  private record Claim(Object scope, String label, boolean indexed, int lo, int hi) {}

  /** A node made directly in a scope: its span, and how many trailing path segments are its own name. */
  private record Anchor(Span span, int own) {}

  /** Positions taken in a scope so far: at least {@code lo}, at most {@code hi}. */
  private static final class Pos {
    int lo, hi;
    boolean any;

    Pos(int lo, int hi) {
      this.lo = lo;
      this.hi = hi;
    }

    Pos copy() { return new Pos(lo, hi); }

    void take() {
      lo++;
      if (hi != UNBOUNDED) hi++;
      any = true;
    }
  }

  private final Program program;
  private final NetworkReport report;
  private final Map<Span, List<Integer>> bySpan = new HashMap<>();
  private final Map<String, List<Integer>> byPrefix = new HashMap<>();
  private final Map<String, Set<String>> children = new HashMap<>();
  private final Map<Ast.Element, Claim> claims = new IdentityHashMap<>();
  private final Map<Object, List<Anchor>> anchors = new IdentityHashMap<>();
  private final Map<String, List<Ast.Element>> callSites = new HashMap<>();
  private final Map<Object, Set<String>> scopeMemo = new IdentityHashMap<>();
  private final Map<Ast.Element, Set<String>> claimMemo = new IdentityHashMap<>();

  LayerIndex(Program program, NetworkReport report) {
    this.program = program;
    this.report = report;
    for (Node n : report.graph().nodes()) {
      if (!n.span().isNone()) bySpan.computeIfAbsent(n.span(), k -> new ArrayList<>()).add(n.id());
      String[] segs = n.path().split("\\.");
      String prefix = "";
      for (String seg : segs) {
        children.computeIfAbsent(prefix, k -> new LinkedHashSet<>()).add(seg);
        prefix = prefix.isEmpty() ? seg : prefix + "." + seg;
        byPrefix.computeIfAbsent(prefix, k -> new ArrayList<>()).add(n.id());
      }
    }
    for (Ast.File f : program.files()) {
      for (Ast.Decl d : f.decls()) walk(d.body(), d, new Pos(0, 0));
    }
  }

  String network() { return report.name(); }

  NetworkReport report() { return report; }

  // ---- the scopes of the source ----

  private void walk(List<Ast.Stmt> stmts, Object scope, Pos pos) {
    for (Ast.Stmt s : stmts) {
      switch (s) {
        case Ast.Head h -> walk(h.body(), scope, pos);
        case Ast.If i -> {
          Pos a = pos.copy(), b = pos.copy();
          walk(i.then(), scope, a);
          walk(i.otherwise(), scope, b);
          pos.any |= a.any || b.any;
          pos.lo = Math.min(a.lo, b.lo);
          pos.hi = Math.max(a.hi, b.hi);
        }
        case Ast.Repeat r -> {
          Pos inner = new Pos(pos.lo, UNBOUNDED);
          walk(r.body(), scope, inner);
          if (inner.any) {
            pos.hi = UNBOUNDED;
            pos.any = true;
          }
        }
        case Ast.Element e -> element(e, scope, pos);
        case Ast.Let l -> { }
        case Ast.Input in -> { }
      }
    }
  }

  private void element(Ast.Element e, Object scope, Pos pos) {
    String label = e.label() == null ? null : e.label().name();
    boolean indexed = e.label() != null && e.label().index() != null;
    int own = indexed ? 2 : 1;
    switch (e.layer()) {
      case Ast.TensorLayer t -> { }
      case Ast.Sequence q -> {
        claim(e, scope, label, indexed, pos);
        walk(q.body(), e, new Pos(0, 0));
      }
      case Ast.Residual r -> {
        Object inner = structural(e, scope, label, indexed, pos);
        Pos p = inner == scope ? pos : new Pos(0, 0);
        anchor(inner, r.span(), 1);
        walk(r.body(), inner, p);
        if (r.shortcut() != null) {
          if (r.shortcutWhen() == null) {
            walk(r.shortcut(), inner, p);
          } else {
            Pos c = p.copy();
            walk(r.shortcut(), inner, c);
            p.hi = Math.max(p.hi, c.hi);
            p.any |= c.any;
          }
        }
      }
      case Ast.Gate g -> {
        Object inner = structural(e, scope, label, indexed, pos);
        anchor(inner, g.span(), 1);
        walk(g.body(), inner, inner == scope ? pos : new Pos(0, 0));
      }
      case Ast.Call c -> {
        if (program.block(c.name()) != null) callSites.computeIfAbsent(c.name(), k -> new ArrayList<>()).add(e);
        if (c.branches() == null) {
          claim(e, scope, label, indexed, pos);
          anchor(scope, c.span(), own);
        } else if (label != null) {
          claim(e, scope, label, indexed, pos);
          anchor(scope, c.span(), own);
          walk(c.branches(), e, new Pos(0, 0));
        } else {
          walk(c.branches(), scope, pos);
          anchor(scope, c.span(), 1);
        }
      }
    }
  }

  /** A labeled residual or gate is a scope of its own; an unlabeled one is not. */
  private Object structural(Ast.Element e, Object scope, String label, boolean indexed, Pos pos) {
    if (label == null) return scope;
    claim(e, scope, label, indexed, pos);
    return e;
  }

  private void claim(Ast.Element e, Object scope, String label, boolean indexed, Pos pos) {
    claims.put(e, new Claim(scope, label, indexed, pos.lo, pos.hi));
    pos.take();
  }

  private void anchor(Object scope, Span span, int own) {
    anchors.computeIfAbsent(scope, k -> new ArrayList<>()).add(new Anchor(span, own));
  }

  // ---- paths ----

  /** The paths a scope has in this network: "" for the network itself, one per use for a block. */
  private Set<String> scopePaths(Object scope) {
    Set<String> memo = scopeMemo.get(scope);
    if (memo != null) return memo;
    scopeMemo.put(scope, Set.of()); // a cycle (a recursive block, already an error) finds nothing
    Set<String> out = new LinkedHashSet<>();
    if (scope instanceof Ast.NetworkDecl n) {
      if (n.name().equals(report.name())) out.add("");
    } else {
      for (Anchor a : anchors.getOrDefault(scope, List.of())) {
        for (int id : bySpan.getOrDefault(a.span(), List.of())) {
          String parent = strip(node(id).path(), a.own());
          if (parent != null) out.add(parent);
        }
      }
      if (out.isEmpty() && scope instanceof Ast.BlockDecl b) {
        for (Ast.Element site : callSites.getOrDefault(b.name(), List.of())) out.addAll(claimPaths(site));
      } else if (out.isEmpty() && scope instanceof Ast.Element e) {
        out.addAll(claimPaths(e));
      }
    }
    scopeMemo.put(scope, out);
    return out;
  }

  /** The paths a layer that claims one has: its label, or one of the positions it can take, under its scope's. */
  private Set<String> claimPaths(Ast.Element e) {
    Set<String> memo = claimMemo.get(e);
    if (memo != null) return memo;
    claimMemo.put(e, Set.of());
    Claim c = claims.get(e);
    Set<String> out = new LinkedHashSet<>();
    if (c != null) {
      for (String parent : scopePaths(c.scope())) {
        if (c.label() != null) {
          String base = child(parent, c.label());
          if (!c.indexed()) {
            if (byPrefix.containsKey(base)) out.add(base);
          } else {
            for (String k : children.getOrDefault(base, Set.of())) out.add(child(base, k));
          }
        } else {
          for (String k : children.getOrDefault(parent, Set.of())) {
            int position = position(k);
            if (position >= c.lo() && position <= c.hi()) out.add(child(parent, k));
          }
        }
      }
      if (c.label() == null && c.hi() > c.lo() && out.size() > 1) out = withinReach(e, out);
    }
    claimMemo.put(e, out);
    return out;
  }

  /** Of several candidate paths, those whose every node comes from text the layer can reach (when that is known). */
  private Set<String> withinReach(Ast.Element e, Set<String> paths) {
    Reach reach = reach(e);
    if (reach == null) return paths;
    Set<String> out = new LinkedHashSet<>();
    for (String p : paths) {
      if (byPrefix.get(p).stream().allMatch(id -> reach.contains(node(id).span()))) out.add(p);
    }
    return out;
  }

  /** The text a layer's nodes can come from: its own, and the blocks it uses, transitively. */
  private record Reach(List<Span> spans) {
    boolean contains(Span s) {
      for (Span r : spans) {
        if (r.source() == s.source() && r.start() <= s.start() && s.end() <= r.end()) return true;
      }
      return false;
    }
  }

  /** The reach of an element; null when it calls a layer it gets as a parameter (its reach is not known here). */
  private Reach reach(Ast.Element e) {
    List<Span> spans = new ArrayList<>(List.of(e.span()));
    Set<String> blocks = new HashSet<>();
    Set<String> params = new HashSet<>();
    Ast.Decl owner = owner(e);
    if (owner != null) owner.params().forEach(p -> params.add(p.name()));
    boolean[] open = {false};
    List<Ast.Stmt> todo = new ArrayList<>(List.of(e));
    boolean first = true;
    while (!todo.isEmpty()) {
      List<Ast.Stmt> next = new ArrayList<>();
      boolean own = first;
      for (Ast.Stmt s : todo) {
        AstWalk.names(s, name -> {
          Ast.BlockDecl b = program.block(name);
          if (b != null) {
            if (blocks.add(name)) {
              spans.add(b.span());
              next.addAll(b.body());
            }
          } else if (own && params.contains(name) && OpCatalogue.lookup(name) == null) {
            open[0] = true;
          }
        });
      }
      todo = next;
      first = false;
    }
    return open[0] ? null : new Reach(spans);
  }

  private Ast.Decl owner(Ast.Element e) {
    for (Ast.File f : program.files()) {
      for (Ast.Decl d : f.decls()) {
        if (d.span().source() == e.span().source() && d.span().start() <= e.span().start()
            && e.span().end() <= d.span().end()) {
          return d;
        }
      }
    }
    return null;
  }

  // ---- instances ----

  /** The instances of a layer in this network (none when it is not used by it). */
  List<Instance> instances(Ast.Element e) {
    List<Instance> out = new ArrayList<>();
    switch (e.layer()) {
      case Ast.TensorLayer t -> { }
      case Ast.Sequence q -> claimPaths(e).forEach(p -> out.add(group(p)));
      case Ast.Call c when c.branches() == null -> {
        List<Integer> direct = bySpan.getOrDefault(c.span(), List.of());
        if (direct.isEmpty()) claimPaths(e).forEach(p -> out.add(group(p)));
        else direct.forEach(id -> out.add(group(node(id).path())));
      }
      default -> {
        // A residual, a gate or a combiner with branches: the node that joins them, and what feeds it.
        if (claims.containsKey(e) && e.label() != null) {
          claimPaths(e).forEach(p -> out.add(group(p)));
        } else {
          for (int id : bySpan.getOrDefault(e.layer().span(), List.of())) out.add(joined(e, id));
        }
      }
    }
    return out;
  }

  /** The instance of an input declaration. */
  List<Instance> instances(Ast.Input in) {
    List<Instance> out = new ArrayList<>();
    for (int id : bySpan.getOrDefault(in.span(), List.of())) out.add(group(node(id).path()));
    return out;
  }

  /** The node at {@code id} with the nodes before it that come from the same text (an unlabeled residual). */
  private Instance joined(Ast.Element e, int id) {
    Reach reach = reach(e);
    if (reach == null) reach = new Reach(List.of(e.span()));
    int first = id;
    String scope = strip(node(id).path(), 1);
    while (first > 0) {
      Node prev = node(first - 1);
      if (!reach.contains(prev.span()) || scope != null && !scope.isEmpty() && !prev.path().startsWith(scope + ".")) break;
      first--;
    }
    List<LayerStats> rows = new ArrayList<>(report.layers().subList(first, id + 1));
    return new Instance(report.name(), report.batch(), node(id).path(), rows);
  }

  /** Every layer at or under a path, in graph order. */
  private Instance group(String path) {
    List<LayerStats> rows = new ArrayList<>();
    for (int id : byPrefix.getOrDefault(path, List.of())) rows.add(report.layers().get(id));
    return new Instance(report.name(), report.batch(), path, rows);
  }

  private Node node(int id) { return report.graph().node(id); }

  private static String child(String parent, String name) { return parent.isEmpty() ? name : parent + "." + name; }

  /** A path without its last {@code n} segments ("" at the top); null if it has fewer than {@code n}. */
  static String strip(String path, int n) {
    String p = path;
    for (int i = 0; i < n; i++) {
      if (p.isEmpty()) return null;
      int dot = p.lastIndexOf('.');
      p = dot < 0 ? "" : p.substring(0, dot);
    }
    return p;
  }

  private static int position(String segment) {
    if (segment.isEmpty() || segment.length() > 9) return -1;
    for (int i = 0; i < segment.length(); i++) if (!Character.isDigit(segment.charAt(i))) return -1;
    return Integer.parseInt(segment);
  }

  static Map<String, List<Instance>> byNetwork(List<Instance> all) {
    Map<String, List<Instance>> m = new LinkedHashMap<>();
    for (Instance i : all) m.computeIfAbsent(i.network(), k -> new ArrayList<>()).add(i);
    return m;
  }
}

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
import java.util.Optional;
import java.util.Set;

/**
 * Which layers of one elaborated network a piece of source text stands for. A layer that is one graph node (an op
 * call, a residual's add, a gate's mul, an input) is matched by span: every node carries the span of the text that
 * made it, so a layer inside a block has one node per place the block is used. A layer that makes many nodes (a
 * block call, a stage, a labeled residual) is matched by path: it claims a path ({@code layer1}, {@code layer1.0})
 * and every node under that path is its own. Which paths those are follows from the paths of the scope around it
 * and its label, or its position in that scope (the compiler's naming: unlabeled layers are numbered, labeled ones
 * take a position too; an unlabeled residual, gate or head is no scope of its own). Positions depend on which side
 * of an {@code if} ran and how often a {@code repeat} did, so they are found by matching the scope's statements
 * against the numbered paths each use of the scope has ({@link #align}).
 */
final class LayerIndex {
  /** One instance of a layer: the path it has in the network and the report rows of its nodes, in graph order. */
  record Instance(String network, int batch, String path, List<LayerStats> rows) {
    LayerStats last() { return rows.getLast(); }

    long params() { return rows.stream().mapToLong(LayerStats::params).sum(); }

    long macs() { return rows.stream().mapToLong(LayerStats::macs).sum(); }
  }

  /** A layer that claims a path: the scope it is named in and its label (null: it is numbered). */
  private record Claim(Object scope, String label, boolean indexed) {}

  /** A node made directly in a scope: its span, and how many trailing path segments are its own name. */
  private record Anchor(Span span, int own) {}

  /**
   * The layers of a scope that take a position, as a pattern over the positions: one layer, several in order, an
   * {@code if}'s two sides, or a {@code repeat}'s body any number of times.
   */
  private sealed interface Pat {}

  private record One(Ast.Element e) implements Pat {}

  private record Seq(List<Pat> items) implements Pat {}

  private record Alt(Pat a, Pat b) implements Pat {}

  private record Star(Pat body) implements Pat {}

  /** Backtracking steps allowed per scope and path before alignment gives up (and positions are guessed). */
  private static final int ALIGN_STEPS = 200_000;

  private final Program program;
  private final NetworkReport report;
  private final Map<Span, List<Integer>> bySpan = new HashMap<>();
  private final Map<String, List<Integer>> byPrefix = new HashMap<>();
  private final Map<String, Set<String>> children = new HashMap<>();
  private final Map<Ast.Element, Claim> claims = new IdentityHashMap<>();
  private final Map<Object, List<Anchor>> anchors = new IdentityHashMap<>();
  private final Map<Span, Object> anchorScope = new HashMap<>();
  private final Map<Object, Pat> patterns = new IdentityHashMap<>();
  private final Map<String, List<Ast.Element>> callSites = new HashMap<>();
  private final Map<Object, Set<String>> scopeMemo = new IdentityHashMap<>();
  private final Map<Ast.Element, Set<String>> claimMemo = new IdentityHashMap<>();
  private final Map<Object, Map<String, Map<Ast.Element, List<String>>>> alignMemo = new IdentityHashMap<>();
  private final Map<Ast.Element, Optional<Reach>> reachMemo = new IdentityHashMap<>();

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
      for (Ast.Decl d : f.decls()) patterns.put(d, walk(d.body(), d));
    }
  }

  String network() { return report.name(); }

  NetworkReport report() { return report; }

  // ---- the scopes of the source ----

  /** The pattern of positions {@code stmts} take in {@code scope}; inner scopes get their own. */
  private Pat walk(List<Ast.Stmt> stmts, Object scope) {
    List<Pat> items = new ArrayList<>();
    for (Ast.Stmt s : stmts) {
      switch (s) {
        case Ast.Head h -> items.add(walk(h.body(), scope));
        case Ast.If i -> items.add(new Alt(walk(i.then(), scope), walk(i.otherwise(), scope)));
        case Ast.Repeat r -> items.add(new Star(walk(r.body(), scope)));
        case Ast.Element e -> items.add(element(e, scope));
        case Ast.Let l -> { }
        case Ast.Input in -> { }
      }
    }
    return new Seq(items);
  }

  private Pat element(Ast.Element e, Object scope) {
    String label = e.label() == null ? null : e.label().name();
    boolean indexed = e.label() != null && e.label().index() != null;
    int own = indexed ? 2 : isSelf(e) ? 0 : 1;
    switch (e.layer()) {
      case Ast.TensorLayer t -> {
        return new Seq(List.of());
      }
      case Ast.Reuse r -> {
        return new Seq(List.of());
      }
      case Ast.Sequence q -> {
        claims.put(e, new Claim(scope, label, indexed));
        patterns.put(e, walk(q.body(), e));
        return new One(e);
      }
      case Ast.Residual r -> {
        // Labeled, a scope of its own; unlabeled, its layers are numbered in the scope around it.
        Object inner = label == null ? scope : e;
        anchor(inner, r.span(), 1);
        Pat body = walk(r.body(), inner);
        Pat shortcut = r.shortcut() == null ? new Seq(List.of()) : walk(r.shortcut(), inner);
        if (r.shortcutWhen() != null) shortcut = new Alt(shortcut, new Seq(List.of()));
        Pat all = new Seq(List.of(body, shortcut));
        if (label == null) return all;
        claims.put(e, new Claim(scope, label, indexed));
        patterns.put(e, all);
        return new One(e);
      }
      case Ast.Gate g -> {
        Object inner = label == null ? scope : e;
        anchor(inner, g.span(), 1);
        Pat body = walk(g.body(), inner);
        if (label == null) return body;
        claims.put(e, new Claim(scope, label, indexed));
        patterns.put(e, body);
        return new One(e);
      }
      case Ast.Call c -> {
        if (program.block(c.name()) != null) callSites.computeIfAbsent(c.name(), k -> new ArrayList<>()).add(e);
        if (c.branches() != null && label == null) {
          // An unlabeled combiner: its node has a name of its own, its branches are numbered around it.
          anchor(scope, c.span(), 1);
          return walk(c.branches(), scope);
        }
        claims.put(e, new Claim(scope, label, indexed));
        anchor(scope, c.span(), own);
        if (c.branches() != null) patterns.put(e, walk(c.branches(), e));
        return new One(e);
      }
    }
  }

  private void anchor(Object scope, Span span, int own) {
    anchors.computeIfAbsent(scope, k -> new ArrayList<>()).add(new Anchor(span, own));
    anchorScope.put(span, scope);
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
      // Nodes made directly in the scope give its paths, but not every use makes them (an `if` inside, a residual
      // whose `when` is false): its uses add theirs.
      if (scope instanceof Ast.BlockDecl b) {
        for (Ast.Element site : callSites.getOrDefault(b.name(), List.of())) out.addAll(claimPaths(site));
      } else if (scope instanceof Ast.Element e) {
        out.addAll(claimPaths(e));
      }
    }
    scopeMemo.put(scope, out);
    return out;
  }

  /** The paths a layer that claims one has: its label, or the positions it takes, under its scope's paths. */
  private Set<String> claimPaths(Ast.Element e) {
    Set<String> memo = claimMemo.get(e);
    if (memo != null) return memo;
    claimMemo.put(e, Set.of());
    Claim c = claims.get(e);
    Set<String> out = new LinkedHashSet<>();
    if (c != null) {
      for (String parent : scopePaths(c.scope())) {
        Map<Ast.Element, List<String>> aligned = align(c.scope(), parent);
        if (aligned != null) {
          // Of two layers with one label (in the two sides of an `if`), the one that ran.
          out.addAll(aligned.getOrDefault(e, List.of()));
          continue;
        }
        if (c.label() != null) {
          String base = labeled(parent, c);
          if (!c.indexed()) {
            if (byPrefix.containsKey(base)) out.add(base);
          } else {
            for (String k : children.getOrDefault(base, Set.of())) out.add(child(base, k));
          }
          continue;
        }
        for (String k : children.getOrDefault(parent, Set.of())) {
          if (position(k) >= 0 && fits(e, child(parent, k))) out.add(child(parent, k));
        }
      }
    }
    claimMemo.put(e, out);
    return out;
  }

  /**
   * Which numbered paths under {@code path} each unlabeled layer of {@code scope} has: the scope's pattern of
   * positions matched against the positions that exist there, a numbered one by an unlabeled layer whose text can
   * have made its nodes, one without a number by a labeled layer. Layers in an {@code if} or a {@code repeat} may
   * take no position, the others must take theirs: that settles which of two calls of the same block is which.
   * Null when nothing matches (or the search is too long).
   */
  private Map<Ast.Element, List<String>> align(Object scope, String path) {
    Map<String, Map<Ast.Element, List<String>>> byPath = alignMemo.computeIfAbsent(scope, k -> new HashMap<>());
    if (byPath.containsKey(path)) return byPath.get(path);
    byPath.put(path, null);
    Pat pat = patterns.get(scope);
    int last = -1;
    for (String k : children.getOrDefault(path, Set.of())) last = Math.max(last, position(k));
    Aligner a = new Aligner(path, last);
    Map<Ast.Element, List<String>> out = null;
    try {
      if (pat != null && a.match(pat, 0, end -> end > a.last)) {
        out = new IdentityHashMap<>();
        for (Object[] t : a.trail) {
          Ast.Element e = (Ast.Element) t[0];
          Claim c = claims.get(e);
          List<String> paths = out.computeIfAbsent(e, k -> new ArrayList<>());
          if (c.label() == null) {
            paths.add(child(path, Integer.toString((int) t[1])));
          } else if (paths.isEmpty()) {
            String base = labeled(path, c);
            if (!c.indexed()) paths.add(base);
            else for (String k : children.getOrDefault(base, Set.of())) paths.add(child(base, k));
          }
        }
      }
    } catch (IllegalStateException | StackOverflowError tooLong) {
      out = null;
    }
    byPath.put(path, out);
    return out;
  }

  /** One search for an alignment of a scope's pattern with the positions under one path. */
  private final class Aligner {
    final String path;
    final int last;
    final List<Object[]> trail = new ArrayList<>();
    int steps;

    Aligner(String path, int last) {
      this.path = path;
      this.last = last;
    }

    boolean numbered(int position) { return byPrefix.containsKey(child(path, Integer.toString(position))); }

    boolean match(Pat pat, int pos, java.util.function.IntPredicate then) {
      if (++steps > ALIGN_STEPS) throw new IllegalStateException("alignment search too long");
      return switch (pat) {
        case One(Ast.Element e) -> {
          Claim c = claims.get(e);
          if (c.label() != null ? numbered(pos) || !byPrefix.containsKey(labeled(path, c))
              : !numbered(pos) || !fits(e, child(path, Integer.toString(pos)))) {
            yield false;
          }
          trail.add(new Object[] {e, pos});
          if (then.test(pos + 1)) yield true;
          trail.removeLast();
          yield false;
        }
        case Seq(List<Pat> items) -> sequence(items, 0, pos, then);
        case Alt(Pat a, Pat b) -> match(a, pos, then) || match(b, pos, then);
        // Another round only if it moves on, and none that starts past the numbered positions but one (labeled
        // layers fit in any other position: without the bound a repeat of them would never end).
        case Star(Pat body) -> pos <= last + 1 && match(body, pos, q -> q > pos && match(pat, q, then))
            || then.test(pos);
      };
    }

    private boolean sequence(List<Pat> items, int i, int pos, java.util.function.IntPredicate then) {
      if (i == items.size()) return then.test(pos);
      return match(items.get(i), pos, q -> sequence(items, i + 1, q, then));
    }
  }

  /** Whether the layers under {@code path} can be what unlabeled layer {@code e} made. */
  private boolean fits(Ast.Element e, String path) {
    List<Integer> under = byPrefix.getOrDefault(path, List.of());
    if (under.isEmpty()) return false;
    if (e.layer() instanceof Ast.Call c && c.branches() == null && bySpan.containsKey(c.span())) {
      return under.size() == 1 && node(under.getFirst()).span().equals(c.span());
    }
    Reach reach = reach(e);
    if (reach == null) return true;
    for (int id : under) if (!reach.contains(node(id).span())) return false;
    return true;
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

  /**
   * The reach of an element; null when it calls a layer that is neither an op nor a block (a layer parameter or a
   * {@code let}: what it stands for is only known where the block is used).
   */
  private Reach reach(Ast.Element e) {
    return reachMemo.computeIfAbsent(e, k -> Optional.ofNullable(computeReach(k))).orElse(null);
  }

  private Reach computeReach(Ast.Element e) {
    boolean[] open = {false};
    AstWalk.stmts(List.of(e), s -> {
      if (s instanceof Ast.Element x && x.layer() instanceof Ast.Call c && OpCatalogue.lookup(c.name()) == null
          && program.block(c.name()) == null) {
        open[0] = true;
      }
    });
    if (open[0]) return null;
    List<Span> spans = new ArrayList<>(List.of(e.span()));
    Set<String> blocks = new HashSet<>();
    List<Ast.Stmt> todo = new ArrayList<>(List.of(e));
    while (!todo.isEmpty()) {
      List<Ast.Stmt> next = new ArrayList<>();
      for (Ast.Stmt s : todo) {
        AstWalk.names(s, name -> {
          Ast.BlockDecl b = program.block(name);
          if (b != null && blocks.add(name)) {
            spans.add(b.span());
            next.addAll(b.body());
          }
        });
      }
      todo = next;
    }
    return new Reach(spans);
  }

  // ---- instances ----

  /** The instances of a layer in this network (none when it is not used by it). */
  synchronized List<Instance> instances(Ast.Element e) {
    List<Instance> out = new ArrayList<>();
    switch (e.layer()) {
      case Ast.TensorLayer t -> { }
      case Ast.Reuse r -> { }
      case Ast.Sequence q -> claimPaths(e).forEach(p -> out.add(group(p)));
      case Ast.Call c when c.branches() == null -> {
        List<Integer> direct = bySpan.getOrDefault(c.span(), List.of());
        if (isSelf(e)) {
          // Its path is its scope's: the layer is its own nodes, not everything under the path.
          for (int id : direct) {
            out.add(new Instance(report.name(), report.batch(), node(id).path(), List.of(report.layers().get(id))));
          }
        } else if (direct.isEmpty()) {
          claimPaths(e).forEach(p -> out.add(group(p)));
        } else {
          direct.forEach(id -> out.add(group(node(id).path())));
        }
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
  synchronized List<Instance> instances(Ast.Input in) {
    List<Instance> out = new ArrayList<>();
    for (int id : bySpan.getOrDefault(in.span(), List.of())) out.add(group(node(id).path()));
    return out;
  }

  /**
   * The node at {@code id} (an unlabeled residual's add, gate's mul or combiner's node) with the nodes before it
   * that its body made: made by its own text, or under the paths of the layers inside it.
   */
  private Instance joined(Ast.Element e, int id) {
    Object scope = anchorScope.get(e.layer().span());
    Set<String> owned = new HashSet<>();
    for (List<Ast.Stmt> body : AstWalk.children(e)) {
      AstWalk.stmts(body, x -> {
        if (x instanceof Ast.Element inner && claims.containsKey(inner) && claims.get(inner).scope() == scope) {
          owned.addAll(claimPaths(inner));
        }
      });
    }
    Span own = e.layer().span();
    String prefix = strip(node(id).path(), 1);
    int first = id;
    while (first > 0) {
      Node prev = node(first - 1);
      boolean inScope = prefix == null || prefix.isEmpty() || prev.path().startsWith(prefix + ".");
      boolean made = prev.span().source() == own.source() && own.start() <= prev.span().start()
          && prev.span().end() <= own.end() && !prev.span().equals(own);
      if (!inScope || !(made || under(prev.path(), owned))) break;
      first--;
    }
    List<LayerStats> rows = new ArrayList<>(report.layers().subList(first, id + 1));
    return new Instance(report.name(), report.batch(), node(id).path(), rows);
  }

  /** Whether {@code path} is one of {@code paths} or under one. */
  private static boolean under(String path, Set<String> paths) {
    for (int dot = path.indexOf('.'); dot >= 0; dot = path.indexOf('.', dot + 1)) {
      if (paths.contains(path.substring(0, dot))) return true;
    }
    return paths.contains(path);
  }

  /** Every layer at or under a path, in graph order. */
  private Instance group(String path) {
    List<LayerStats> rows = new ArrayList<>();
    for (int id : byPrefix.getOrDefault(path, List.of())) rows.add(report.layers().get(id));
    return new Instance(report.name(), report.batch(), path, rows);
  }

  private Node node(int id) { return report.graph().node(id); }

  private static String child(String parent, String name) { return parent.isEmpty() ? name : parent + "." + name; }

  /** A layer labeled {@code self} takes the path of its scope itself (spec/language.md, names). */
  private static boolean isSelf(Ast.Element e) {
    return e.label() != null && e.label().index() == null && e.label().name().equals("self");
  }

  /** The path a labeled layer claims under its scope's path: the label's, or the scope's own for {@code self}. */
  private static String labeled(String parent, Claim c) {
    return !c.indexed() && c.label().equals("self") ? parent : child(parent, c.label());
  }

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

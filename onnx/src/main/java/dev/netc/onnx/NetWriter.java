package dev.netc.onnx;

import dev.netc.compiler.ir.Add;
import dev.netc.compiler.ir.Concat;
import dev.netc.compiler.ir.Mul;
import dev.netc.compiler.ir.TensorType;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.HashSet;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.TreeSet;

/**
 * Imported layers as {@code .net} source. A chain is a flat sequence; where the flow forks and joins again in a
 * plain way (every layer in between reads only the fork's tensor or each other, and nothing outside reads them)
 * the join is written as the construct it is: {@code residual { ... }} (with {@code shortcut { ... }} when both
 * sides have layers), {@code gate { ... }} for {@code x * f(x)}, and {@code concat { ... }}, {@code add { ... }} or
 * {@code mul { ... }} with one branch per input. Everything else uses named tensors: {@code -> name} where a
 * tensor is made, {@code @name} where the flow continues from it. Layers with parameters are labeled from their
 * PyTorch module path ({@code features.3.expand1x1} → {@code features_3_expand1x1}).
 */
final class NetWriter {
  /** The source, and for each layer the offset where its call (or construct) begins in it. */
  record Written(String text, Map<Integer, String> layerAt) {}

  private sealed interface Stmt {}

  private record Jump(String id) implements Stmt {}

  private record LayerStmt(Layer layer) implements Stmt {}

  /** {@code kind} is residual, gate, concat, add or mul; a null branch is the identity (the fork's own tensor). */
  private record Construct(String kind, Layer join, List<List<Stmt>> branches) implements Stmt {}

  private record Head(String name) implements Stmt {}

  private record Region(int end, Construct construct) {}

  /** A region's branches may nest; this bounds the search on pathological graphs. */
  private static final int MAX_REGION = 4000;

  private final Importer.Result r;
  private final List<Layer> layers;
  private final Map<String, Integer> index = new HashMap<>();
  private final Map<String, List<Integer>> users = new HashMap<>();
  private final Set<String> outputIds = new HashSet<>();
  private final Map<String, String> labels = new HashMap<>();
  private final Map<String, String> names = new LinkedHashMap<>();
  private final Set<String> usedNames = new HashSet<>();
  private final Set<String> referenced = new HashSet<>();
  private final StringBuilder out = new StringBuilder();
  private final Map<Integer, String> layerAt = new LinkedHashMap<>();

  private NetWriter(Importer.Result r) {
    this.r = r;
    this.layers = r.layers();
    for (int i = 0; i < layers.size(); i++) {
      Layer l = layers.get(i);
      index.put(l.id(), i);
      for (String in : l.inputs()) users.computeIfAbsent(in, k -> new ArrayList<>()).add(i);
    }
    for (Importer.NetOutput o : r.outputs()) outputIds.add(o.id());
    label();
  }

  static Written write(Importer.Result r, String network, List<String> comments) {
    NetWriter w = new NetWriter(r);
    for (String c : comments) w.out.append("# ").append(c).append('\n');
    w.out.append("network ").append(network).append(" {\n");
    for (Importer.NetInput in : r.inputs()) {
      w.out.append("  input ").append(w.name(in.id())).append(": ").append(shape(in.type())).append('\n');
    }
    List<Stmt> body = w.plan();
    w.render(body, "  ");
    w.out.append("}\n");
    return new Written(w.out.toString(), w.layerAt);
  }

  private static String shape(TensorType t) { return t.shape().toString(); }

  // ---- names ----

  /** Labels for layers with parameters, unique in the whole network (so no scope can see two alike). */
  private void label() {
    Set<String> taken = new HashSet<>();
    for (Layer l : layers) {
      if (l.tensors().isEmpty()) continue;
      String base = l.hint() != null ? Hints.identifier(l.hint()) : l.op().name();
      String label = base;
      for (int k = 2; !taken.add(label); k++) label = base + "_" + k;
      labels.put(l.id(), label);
    }
  }

  /** The {@code .net} name of a tensor: inputs keep theirs, bound layer outputs are named from their module. */
  private String name(String id) {
    String n = names.get(id);
    if (n != null) return n;
    Integer i = index.get(id);
    String base = i == null ? Hints.identifier(id) : layers.get(i).hint() != null ? Hints.identifier(layers.get(i).hint())
        : layers.get(i).op().name();
    String name = base;
    for (int k = 2; !usedNames.add(name); k++) name = base + "_" + k;
    names.put(id, name);
    return name;
  }

  // ---- planning ----

  private List<Stmt> plan() {
    for (Importer.NetInput in : r.inputs()) name(in.id());
    List<Integer> all = new ArrayList<>();
    for (int i = 0; i < layers.size(); i++) all.add(i);
    List<Stmt> stmts = new ArrayList<>();
    String flow = r.inputs().getFirst().id();
    int pos = 0;
    while (pos < all.size()) {
      Layer l = layers.get(pos);
      Region region = consumersFrom(flow, all, pos) >= 2 ? region(flow, all, pos) : null;
      if (region == null && !l.inputs().getFirst().equals(flow)) {
        flow = l.inputs().getFirst();
        stmts.add(new Jump(flow));
        referenced.add(flow);
        region = consumersFrom(flow, all, pos) >= 2 ? region(flow, all, pos) : null;
      }
      if (region != null) {
        stmts.add(region.construct());
        flow = region.construct().join().id();
        pos = region.end() + 1;
        continue;
      }
      referenced.addAll(l.inputs().subList(1, l.inputs().size()));
      stmts.add(new LayerStmt(l));
      flow = l.id();
      pos++;
    }
    List<Importer.NetOutput> outs = r.outputs();
    if (outs.size() == 1 && outs.getFirst().id().equals(flow) && outs.getFirst().name().equals("output")) return stmts;
    Set<String> heads = new HashSet<>();
    for (Importer.NetOutput o : outs) {
      if (!o.id().equals(flow)) {
        flow = o.id();
        stmts.add(new Jump(flow));
        referenced.add(flow);
      }
      String head = Hints.identifier(o.name());
      for (int k = 2; !heads.add(head); k++) head = Hints.identifier(o.name()) + "_" + k;
      stmts.add(new Head(head));
    }
    return stmts;
  }

  private int consumersFrom(String v, List<Integer> seq, int pos) {
    Set<Integer> rest = new HashSet<>(seq.subList(pos, seq.size()));
    int n = 0;
    for (int u : users.getOrDefault(v, List.of())) if (rest.contains(u)) n++;
    return n;
  }

  /** The first join after {@code seq[pos]} that closes a plain region forking at {@code v}, or null. */
  private Region region(String v, List<Integer> seq, int pos) {
    List<Integer> block = new ArrayList<>();
    for (int q = pos; q < seq.size() && block.size() < MAX_REGION; q++) {
      int j = seq.get(q);
      if (!block.isEmpty()) {
        Construct c = construct(v, block, layers.get(j));
        if (c != null) return new Region(q, c);
      }
      block.add(j);
    }
    return null;
  }

  private Construct construct(String v, List<Integer> block, Layer join) {
    boolean combiner = join.op() instanceof Add || join.op() instanceof Mul || join.op() instanceof Concat;
    if (!combiner || join.inputs().size() < 2) return null;
    Set<String> produced = new HashSet<>();
    for (int b : block) produced.add(layers.get(b).id());
    int identities = 0;
    for (String u : join.inputs()) {
      if (u.equals(v)) identities++;
      else if (!produced.contains(u)) return null;
    }
    if (identities > 1) return null;
    Set<Integer> inside = new HashSet<>(block);
    inside.add(index.get(join.id()));
    for (int b : block) {
      Layer l = layers.get(b);
      for (String in : l.inputs()) if (!in.equals(v) && !produced.contains(in)) return null;
      if (outputIds.contains(l.id())) return null;
      for (int u : users.getOrDefault(l.id(), List.of())) if (!inside.contains(u)) return null;
    }
    List<List<Stmt>> branches = new ArrayList<>();
    Set<Integer> covered = new HashSet<>();
    for (String u : join.inputs()) {
      if (u.equals(v)) {
        branches.add(null);
        continue;
      }
      TreeSet<Integer> members = ancestors(u, inside, v);
      for (int m : members) if (!covered.add(m)) return null;
      List<Stmt> stmts = structured(new ArrayList<>(members), v, u);
      if (stmts == null) return null;
      branches.add(stmts);
    }
    if (covered.size() != block.size()) return null;
    return new Construct(kind(join, branches), join, branches);
  }

  private static String kind(Layer join, List<List<Stmt>> branches) {
    boolean identity = branches.contains(null);
    if (join.op() instanceof Add && branches.size() == 2) return "residual";
    if (join.op() instanceof Mul && branches.size() == 2 && identity) return "gate";
    return join.op() instanceof Add ? "add" : join.op() instanceof Mul ? "mul" : "concat";
  }

  /** The layers of the region that {@code u} depends on, back to the fork {@code v}. */
  private TreeSet<Integer> ancestors(String u, Set<Integer> inside, String v) {
    TreeSet<Integer> found = new TreeSet<>();
    List<String> todo = new ArrayList<>(List.of(u));
    while (!todo.isEmpty()) {
      String x = todo.removeLast();
      if (x.equals(v)) continue;
      Integer p = index.get(x);
      if (p == null || !inside.contains(p) || !found.add(p)) continue;
      todo.addAll(layers.get(p).inputs());
    }
    return found;
  }

  /** A branch from {@code v} to {@code end} as statements without named tensors, or null if it needs them. */
  private List<Stmt> structured(List<Integer> seq, String v, String end) {
    List<Stmt> stmts = new ArrayList<>();
    String flow = v;
    int pos = 0;
    while (pos < seq.size()) {
      Layer l = layers.get(seq.get(pos));
      if (consumersFrom(flow, seq, pos) >= 2) {
        Region region = region(flow, seq, pos);
        if (region == null) return null;
        stmts.add(region.construct());
        flow = region.construct().join().id();
        pos = region.end() + 1;
        continue;
      }
      if (l.inputs().size() != 1 || !l.inputs().getFirst().equals(flow)) return null;
      stmts.add(new LayerStmt(l));
      flow = l.id();
      pos++;
    }
    return flow.equals(end) ? stmts : null;
  }

  // ---- rendering ----

  private void render(List<Stmt> stmts, String indent) {
    for (Stmt s : stmts) {
      out.append(indent);
      switch (s) {
        case Jump j -> out.append('@').append(name(j.id()));
        case LayerStmt l -> layer(l.layer());
        case Construct c -> construct(c, indent);
        case Head h -> out.append("head ").append(h.name()).append(" { }");
      }
      out.append('\n');
    }
  }

  private void layer(Layer l) { layer(l, true); }

  private void layer(Layer l, boolean labeled) {
    String label = labels.get(l.id());
    if (label != null && labeled) out.append(label).append(": ");
    layerAt.put(out.length(), l.id());
    List<String> tensors = l.inputs().subList(1, l.inputs().size()).stream().map(t -> "@" + name(t)).toList();
    out.append(OpText.of(l.op(), tensors));
    bind(l.id());
  }

  private void bind(String id) {
    if (referenced.contains(id)) out.append(" -> ").append(name(id));
  }

  private void construct(Construct c, String indent) {
    String inner = indent + "  ";
    layerAt.put(out.length(), c.join().id());
    switch (c.kind()) {
      case "residual" -> {
        List<List<Stmt>> sides = c.branches().stream().filter(b -> b != null).toList();
        out.append("residual {\n");
        render(sides.getFirst(), inner);
        out.append(indent).append('}');
        if (sides.size() == 2) {
          out.append(" shortcut {\n");
          render(sides.get(1), inner);
          out.append(indent).append('}');
        }
      }
      case "gate" -> {
        out.append("gate {\n");
        render(c.branches().stream().filter(b -> b != null).findFirst().orElseThrow(), inner);
        out.append(indent).append('}');
      }
      default -> {
        out.append(OpText.of(c.join().op(), List.of())).append(" {\n");
        for (List<Stmt> b : c.branches()) branch(b, inner);
        out.append(indent).append('}');
      }
    }
    bind(c.join().id());
  }

  /** One branch of a parallel construct: the identity, one layer, {@code [a, b]} on one line, or a {@code seq}. */
  private void branch(List<Stmt> b, String indent) {
    out.append(indent);
    if (b == null) {
      out.append("identity\n");
      return;
    }
    if (b.size() == 1 && b.getFirst() instanceof LayerStmt l) {
      layer(l.layer());
      out.append('\n');
      return;
    }
    if (b.stream().allMatch(s -> s instanceof LayerStmt) && b.size() <= 4) {
      // A branch with one labeled layer takes its label ([conv, relu] as squeezenet's expand1x1: its weights
      // are expand1x1.0.weight, not named by the branch's position among the statements before it).
      List<Layer> ls = b.stream().map(s -> ((LayerStmt) s).layer()).toList();
      List<Layer> labeled = ls.stream().filter(l -> labels.containsKey(l.id())).toList();
      boolean lift = labeled.size() == 1;
      if (lift) out.append(labels.get(labeled.getFirst().id())).append(": ");
      out.append('[');
      for (int i = 0; i < ls.size(); i++) {
        if (i > 0) out.append(", ");
        layer(ls.get(i), !lift);
      }
      out.append("]\n");
      return;
    }
    out.append("seq {\n");
    render(b, indent + "  ");
    out.append(indent).append("}\n");
  }
}

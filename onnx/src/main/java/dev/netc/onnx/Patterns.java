package dev.netc.onnx;

import dev.netc.onnx.proto.OnnxProto.AttributeProto;
import dev.netc.onnx.proto.OnnxProto.NodeProto;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.function.Function;

/**
 * Subgraphs exporters write for one layer, rewritten to one node before lowering: GELU as
 * {@code x · 0.5 · (1 + erf(x / √2))} (any order of the products), LayerNorm as
 * {@code (x - mean) / sqrt(mean((x - mean)²) + eps) · γ + β}, SiLU as {@code x · sigmoid(x)} and hard swish as
 * {@code x · hardsigmoid(x)}. A subgraph is rewritten only when its inner values are read by nothing else.
 */
final class Patterns {
  private final List<NodeProto> nodes;
  private final Function<String, Val> initializer;
  private final Map<String, Integer> producer = new HashMap<>();
  private final Map<String, List<Integer>> consumers = new HashMap<>();
  private final boolean[] removed;
  private final Map<Integer, NodeProto> replacement = new HashMap<>();

  private Patterns(List<NodeProto> nodes, List<String> graphOutputs, Function<String, Val> initializer) {
    this.nodes = nodes;
    this.initializer = initializer;
    this.removed = new boolean[nodes.size()];
    for (int i = 0; i < nodes.size(); i++) {
      for (String o : nodes.get(i).getOutputList()) if (!o.isEmpty()) producer.putIfAbsent(o, i);
      for (String in : nodes.get(i).getInputList()) {
        if (!in.isEmpty()) consumers.computeIfAbsent(in, k -> new ArrayList<>()).add(i);
      }
    }
    // A graph output is read from outside: -1 stands for that reader, so no pattern swallows it.
    for (String o : graphOutputs) consumers.computeIfAbsent(o, k -> new ArrayList<>()).add(-1);
  }

  /** @param initializer a model's initializer by name, or null */
  static List<NodeProto> rewrite(List<NodeProto> nodes, List<String> graphOutputs, Function<String, Val> initializer) {
    Patterns p = new Patterns(nodes, graphOutputs, initializer);
    for (int i = 0; i < nodes.size(); i++) {
      if (p.removed[i]) continue;
      switch (nodes.get(i).getOpType()) {
        case "Erf" -> p.gelu(i);
        case "ReduceMean" -> p.layerNorm(i);
        case "Mul" -> p.gatedActivation(i);
        case "InstanceNormalization" -> p.groupNorm(i);
        case "Where" -> p.softplus(i);
        default -> { }
      }
    }
    List<NodeProto> out = new ArrayList<>();
    for (int i = 0; i < nodes.size(); i++) {
      if (p.replacement.containsKey(i)) out.add(p.replacement.get(i));
      else if (!p.removed[i]) out.add(nodes.get(i));
    }
    return out;
  }

  // ---- GELU ----

  private void gelu(int erf) {
    NodeProto e = nodes.get(erf);
    if (e.getInputCount() != 1 || e.getOutputCount() != 1) return;
    Integer scaled = single(e.getInput(0), erf);
    if (scaled == null) return;
    NodeProto pd = nodes.get(scaled);
    String x = pd.getOpType().equals("Div") && isConst(pd, 1, Math.sqrt(2)) ? pd.getInput(0)
        : pd.getOpType().equals("Mul") ? otherThanConst(pd, Math.sqrt(0.5)) : null;
    if (x == null) return;
    Integer add = onlyConsumer(e.getOutput(0));
    if (add == null || !nodes.get(add).getOpType().equals("Add") || otherThanConst(nodes.get(add), 1) == null) return;
    Integer m = onlyConsumer(nodes.get(add).getOutput(0));
    if (m == null || !nodes.get(m).getOpType().equals("Mul")) return;
    String onePlus = nodes.get(add).getOutput(0);
    String other = other(nodes.get(m), onePlus);
    if (other == null) return;
    List<Integer> matched = new ArrayList<>(List.of(scaled, erf, add, m));
    int last;
    if (other.equals(x)) {
      // (x · (1 + erf)) · 0.5
      Integer half = onlyConsumer(nodes.get(m).getOutput(0));
      if (half == null || !nodes.get(half).getOpType().equals("Mul") || !constOperand(nodes.get(half), 0.5)) return;
      matched.add(half);
      last = half;
    } else if (isConst(other, 0.5)) {
      // x · ((1 + erf) · 0.5)
      Integer outer = onlyConsumer(nodes.get(m).getOutput(0));
      if (outer == null || !nodes.get(outer).getOpType().equals("Mul")) return;
      if (!x.equals(other(nodes.get(outer), nodes.get(m).getOutput(0)))) return;
      matched.add(outer);
      last = outer;
    } else {
      // (x · 0.5) · (1 + erf)
      Integer halfX = producer.get(other);
      if (halfX == null || !nodes.get(halfX).getOpType().equals("Mul") || !x.equals(otherThanConst(nodes.get(halfX), 0.5))
          || onlyConsumer(other) == null) {
        return;
      }
      matched.add(halfX);
      last = m;
    }
    if (!innerOnly(matched, last)) return;
    replace(matched, last, node("Gelu", "", List.of(x), nodes.get(last)));
  }

  // ---- LayerNorm ----

  private void layerNorm(int r1) {
    NodeProto mean = nodes.get(r1);
    String x = mean.getInput(0);
    long[] axes = axes(mean);
    if (axes == null || keepdims(mean) != 1) return;
    Integer sub = onlyConsumer(mean.getOutput(0));
    if (sub == null || !nodes.get(sub).getOpType().equals("Sub") || !nodes.get(sub).getInput(0).equals(x)
        || !nodes.get(sub).getInput(1).equals(mean.getOutput(0))) {
      return;
    }
    String d = nodes.get(sub).getOutput(0);
    List<Integer> uses = consumers.getOrDefault(d, List.of());
    if (uses.size() != 2) return;
    Integer sq = null;
    Integer div = null;
    for (int u : uses) {
      NodeProto c = nodes.get(u);
      if (c.getOpType().equals("Pow") && c.getInput(0).equals(d) && isConst(c, 1, 2)) sq = u;
      else if (c.getOpType().equals("Mul") && c.getInputCount() == 2 && c.getInput(0).equals(d) && c.getInput(1).equals(d)) sq = u;
      else if (c.getOpType().equals("Div") && c.getInput(0).equals(d)) div = u;
    }
    if (sq == null || div == null) return;
    Integer r2 = onlyConsumer(nodes.get(sq).getOutput(0));
    if (r2 == null || !nodes.get(r2).getOpType().equals("ReduceMean") || !java.util.Arrays.equals(axes(nodes.get(r2)), axes)
        || keepdims(nodes.get(r2)) != 1) {
      return;
    }
    Integer addEps = onlyConsumer(nodes.get(r2).getOutput(0));
    if (addEps == null || !nodes.get(addEps).getOpType().equals("Add")) return;
    Double eps = constValue(nodes.get(addEps), nodes.get(r2).getOutput(0));
    Integer sqrt = onlyConsumer(nodes.get(addEps).getOutput(0));
    if (eps == null || sqrt == null || !nodes.get(sqrt).getOpType().equals("Sqrt")) return;
    if (!nodes.get(div).getInput(1).equals(nodes.get(sqrt).getOutput(0)) || onlyConsumer(nodes.get(sqrt).getOutput(0)) == null) {
      return;
    }
    List<Integer> matched = new ArrayList<>(List.of(r1, sub, sq, r2, addEps, sqrt, div));
    int last = div;
    String gamma = "";
    String beta = "";
    Integer mul = onlyConsumer(nodes.get(div).getOutput(0));
    if (mul != null && nodes.get(mul).getOpType().equals("Mul")) {
      String gm = other(nodes.get(mul), nodes.get(div).getOutput(0));
      if (gm != null && initializerOrConstant(gm) instanceof Val.Floats) {
        gamma = gm;
        matched.add(mul);
        last = mul;
        Integer add = onlyConsumer(nodes.get(mul).getOutput(0));
        if (add != null && nodes.get(add).getOpType().equals("Add")) {
          String b = other(nodes.get(add), nodes.get(mul).getOutput(0));
          if (b != null && initializerOrConstant(b) instanceof Val.Floats) {
            beta = b;
            matched.add(add);
            last = add;
          }
        }
      }
    }
    if (!innerOnly(matched, last)) return;
    NodeProto ln = node("LayerNormalization", Importer.NETC_DOMAIN, List.of(x, gamma, beta), nodes.get(last)).toBuilder()
        .addAttribute(Attr.ints("axes", axes)).addAttribute(Attr.f("epsilon", eps)).build();
    replace(matched, last, ln);
  }

  private long[] axes(NodeProto reduce) {
    for (AttributeProto a : reduce.getAttributeList()) {
      if (a.getName().equals("axes")) return a.getIntsList().stream().mapToLong(Long::longValue).toArray();
    }
    if (reduce.getInputCount() > 1 && initializerOrConstant(reduce.getInput(1)) instanceof Val.Ints i) return i.data();
    return null;
  }

  private static long keepdims(NodeProto reduce) {
    for (AttributeProto a : reduce.getAttributeList()) if (a.getName().equals("keepdims")) return a.getI();
    return 1;
  }

  // ---- GroupNorm ----

  /**
   * PyTorch's group norm: Reshape to [N, G, -1], InstanceNormalization with unit scale and zero shift, Reshape
   * back (to the input's shape, checked when lowering), Mul by the weight and Add the bias, per channel.
   */
  private void groupNorm(int inst) {
    NodeProto in = nodes.get(inst);
    if (in.getInputCount() != 3) return;
    Val scale = initializerOrConstant(in.getInput(1));
    Val shift = initializerOrConstant(in.getInput(2));
    if (!(scale instanceof Val.Floats sc) || !(shift instanceof Val.Floats sh) || !allEqual(sc.data(), 1)
        || !allEqual(sh.data(), 0)) {
      return;
    }
    Integer r1 = single(in.getInput(0), inst);
    if (r1 == null || !nodes.get(r1).getOpType().equals("Reshape")) return;
    Val grouped = initializerOrConstant(nodes.get(r1).getInput(1));
    if (!(grouped instanceof Val.Ints gs) || gs.data().length != 3 || gs.data()[1] != sc.data().length || gs.data()[2] != -1) {
      return;
    }
    Integer r2 = onlyConsumer(in.getOutput(0));
    if (r2 == null || !nodes.get(r2).getOpType().equals("Reshape") || !nodes.get(r2).getInput(0).equals(in.getOutput(0))) return;
    Integer mul = onlyConsumer(nodes.get(r2).getOutput(0));
    if (mul == null || !nodes.get(mul).getOpType().equals("Mul")) return;
    String w = other(nodes.get(mul), nodes.get(r2).getOutput(0));
    Integer add = onlyConsumer(nodes.get(mul).getOutput(0));
    if (w == null || add == null || !nodes.get(add).getOpType().equals("Add")) return;
    String b = other(nodes.get(add), nodes.get(mul).getOutput(0));
    if (b == null) return;
    List<Integer> matched = List.of(r1, inst, r2, mul, add);
    if (!innerOnly(matched, add)) return;
    float eps = 1e-5f;
    for (AttributeProto a : in.getAttributeList()) if (a.getName().equals("epsilon")) eps = a.getF();
    NodeProto gn = node("GroupNorm", Importer.NETC_DOMAIN,
        List.of(nodes.get(r1).getInput(0), w, b, nodes.get(r2).getInput(1)), nodes.get(add)).toBuilder()
        .addAttribute(Attr.i("groups", sc.data().length)).addAttribute(Attr.f("epsilon", eps)).build();
    replace(matched, add, gn);
  }

  private static boolean allEqual(float[] v, float x) {
    for (float f : v) if (f != x) return false;
    return true;
  }

  // ---- Softplus with a threshold ----

  /** {@code Where(beta·x > threshold, x, Softplus(beta·x) / beta)}: PyTorch's softplus, as netc exports it. */
  private void softplus(int where) {
    NodeProto w = nodes.get(where);
    if (w.getInputCount() != 3) return;
    Integer gt = single(w.getInput(0), where);
    if (gt == null || !nodes.get(gt).getOpType().equals("Greater") || nodes.get(gt).getInputCount() != 2) return;
    String bx = nodes.get(gt).getInput(0);
    Double threshold = constValue(nodes.get(gt), bx);
    String x = w.getInput(1);
    Integer sp = producer.get(w.getInput(2));
    if (threshold == null || sp == null || onlyConsumer(w.getInput(2)) == null) return;
    List<Integer> matched = new ArrayList<>(List.of(gt));
    double beta = 1;
    Integer soft = sp;
    if (nodes.get(sp).getOpType().equals("Div")) {
      Double d = constValue(nodes.get(sp), nodes.get(sp).getInput(0));
      if (d == null) return;
      beta = d;
      matched.add(sp);
      soft = producer.get(nodes.get(sp).getInput(0));
      if (soft == null || onlyConsumer(nodes.get(sp).getInput(0)) == null) return;
    }
    if (!nodes.get(soft).getOpType().equals("Softplus") || !nodes.get(soft).getInput(0).equals(bx)) return;
    matched.add(soft);
    if (!bx.equals(x)) {
      Integer mul = producer.get(bx);
      if (mul == null || !nodes.get(mul).getOpType().equals("Mul") || !x.equals(otherThanConst(nodes.get(mul), beta))) return;
      matched.add(mul);
    } else if (beta != 1) {
      return;
    }
    matched.add(where);
    if (!innerOnly(matched, where)) return;
    NodeProto n = node("Softplus", Importer.NETC_DOMAIN, List.of(x), w).toBuilder()
        .addAttribute(Attr.f("beta", beta)).addAttribute(Attr.f("threshold", threshold)).build();
    replace(matched, where, n);
  }

  /** A constant by name: an initializer, a Constant node's value, or either through Identity nodes. */
  private Val initializerOrConstant(String name) {
    for (int hops = 0; hops < 16; hops++) {
      Val v = initializer.apply(name);
      if (v == null) v = constantNode(name);
      if (v != null) return v;
      Integer p = producer.get(name);
      if (p == null || !nodes.get(p).getOpType().equals("Identity") || nodes.get(p).getInputCount() != 1) return null;
      name = nodes.get(p).getInput(0);
    }
    return null;
  }

  // ---- x · f(x) ----

  private void gatedActivation(int m) {
    NodeProto mul = nodes.get(m);
    if (mul.getInputCount() != 2) return;
    for (int side = 0; side < 2; side++) {
      String x = mul.getInput(side);
      Integer f = producer.get(mul.getInput(1 - side));
      if (f == null || removed[f] || onlyConsumer(mul.getInput(1 - side)) == null) continue;
      NodeProto fn = nodes.get(f);
      if (fn.getInputCount() != 1 || !fn.getInput(0).equals(x)) continue;
      String op = switch (fn.getOpType()) {
        case "Sigmoid" -> "Silu";
        case "HardSigmoid" -> hardSigmoidIsPyTorchs(fn) ? "HardSwish" : null;
        default -> null;
      };
      if (op == null) continue;
      replace(List.of(f, m), m, node(op, op.equals("Silu") ? Importer.NETC_DOMAIN : "", List.of(x), mul));
      return;
    }
  }

  private static boolean hardSigmoidIsPyTorchs(NodeProto n) {
    float alpha = 0.2f;
    float beta = 0.5f;
    for (AttributeProto a : n.getAttributeList()) {
      if (a.getName().equals("alpha")) alpha = a.getF();
      if (a.getName().equals("beta")) beta = a.getF();
    }
    return Math.abs(alpha - 1 / 6.0) < 1e-6 && beta == 0.5f;
  }

  // ---- helpers ----

  private NodeProto node(String op, String domain, List<String> inputs, NodeProto last) {
    return NodeProto.newBuilder().setOpType(op).setDomain(domain).setName(last.getName()).addAllInput(inputs)
        .addOutput(last.getOutput(0)).build();
  }

  private void replace(List<Integer> matched, int last, NodeProto n) {
    for (int i : matched) removed[i] = true;
    replacement.put(last, n);
  }

  /** Every matched node but the last has one output, read only by matched nodes. */
  private boolean innerOnly(List<Integer> matched, int last) {
    for (int i : matched) {
      if (removed[i]) return false;
      if (i == last) continue;
      NodeProto n = nodes.get(i);
      if (n.getOutputCount() != 1) return false;
      for (int c : consumers.getOrDefault(n.getOutput(0), List.of())) if (!matched.contains(c)) return false;
      if (last < i) return false;
    }
    return true;
  }

  /** The single node reading a value (and not a graph output: such values have more readers than nodes). */
  private Integer onlyConsumer(String value) {
    List<Integer> c = consumers.getOrDefault(value, List.of());
    return c.size() == 1 && c.getFirst() >= 0 ? c.getFirst() : null;
  }

  /** The producer of a value, when the value is read by {@code reader} alone. */
  private Integer single(String value, int reader) {
    Integer p = producer.get(value);
    if (p == null || removed[p]) return null;
    List<Integer> c = consumers.getOrDefault(value, List.of());
    return c.size() == 1 && c.getFirst() == reader ? p : null;
  }

  /** For a binary node with one operand a constant equal to {@code v}, the other operand. */
  private String otherThanConst(NodeProto n, double v) {
    if (n.getInputCount() != 2) return null;
    if (isConst(n.getInput(1), v)) return n.getInput(0);
    if (isConst(n.getInput(0), v)) return n.getInput(1);
    return null;
  }

  private boolean constOperand(NodeProto n, double v) { return otherThanConst(n, v) != null; }

  private static String other(NodeProto n, String one) {
    if (n.getInputCount() != 2) return null;
    if (n.getInput(0).equals(one)) return n.getInput(1);
    if (n.getInput(1).equals(one)) return n.getInput(0);
    return null;
  }

  private boolean isConst(NodeProto n, int input, double v) {
    return n.getInputCount() > input && isConst(n.getInput(input), v);
  }

  private boolean isConst(String name, double v) {
    Val c = initializerOrConstant(name);
    if (c == null) return false;
    float[] f;
    try {
      f = Folding.floats(c);
    } catch (ImportIssue e) {
      return false;
    }
    return f.length == 1 && Math.abs(f[0] - v) <= 1e-6 * Math.max(1, Math.abs(v));
  }

  /** The scalar constant among a binary node's operands, the other being {@code operand}. */
  private Double constValue(NodeProto n, String operand) {
    String c = other(n, operand);
    if (c == null) return null;
    Val v = initializerOrConstant(c);
    if (v == null) return null;
    float[] f = Folding.floats(v);
    return f.length == 1 ? (double) f[0] : null;
  }

  /** The value of a Constant node's output, or null. */
  private Val constantNode(String name) {
    Integer p = producer.get(name);
    if (p == null || !nodes.get(p).getOpType().equals("Constant")) return null;
    for (AttributeProto a : nodes.get(p).getAttributeList()) {
      try {
        if (a.getName().equals("value") && a.hasT()) return OnnxTensors.decode(a.getT(), "node '" + name + "'");
        if (a.getName().equals("value_float")) return new Val.Floats(new int[0], new float[] {a.getF()});
      } catch (OnnxException e) {
        return null;
      }
    }
    return null;
  }
}

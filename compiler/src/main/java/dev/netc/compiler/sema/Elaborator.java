package dev.netc.compiler.sema;

import dev.netc.compiler.diag.Code;
import dev.netc.compiler.diag.Diagnostic;
import dev.netc.compiler.diag.Diagnostics;
import dev.netc.compiler.diag.Span;
import dev.netc.compiler.diag.UserError;
import dev.netc.compiler.ir.Add;
import dev.netc.compiler.ir.Graph;
import dev.netc.compiler.ir.Input;
import dev.netc.compiler.ir.Mul;
import dev.netc.compiler.ir.Node;
import dev.netc.compiler.ir.Op;
import dev.netc.compiler.ir.Rules;
import dev.netc.compiler.ir.Shape;
import dev.netc.compiler.ir.ShapeException;
import dev.netc.compiler.ir.TensorType;
import dev.netc.compiler.ops.ArgException;
import dev.netc.compiler.ops.ArgSpec;
import dev.netc.compiler.ops.Args;
import dev.netc.compiler.ops.OpCatalogue;
import dev.netc.compiler.ops.OpDef;
import dev.netc.compiler.ops.Value;
import dev.netc.compiler.ops.ValueType;
import dev.netc.compiler.syntax.Ast;
import java.util.ArrayDeque;
import java.util.ArrayList;
import java.util.Deque;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;

/**
 * AST to Graph IR: evaluates parameters, expands blocks, repeats and conditionals, names every layer and
 * parameter tensor, and infers each node's type as it is built (blocks may depend on shapes: {@code in.channels}).
 * Errors are collected, one per failing element; elaboration goes on after each so one run reports many.
 * Shape errors after a first error are suppressed, since they are usually its echo.
 */
public final class Elaborator {
  public static final int MAX_REPEAT = 10_000;
  public static final int MAX_NODES = 200_000;
  /**
   * The longest layer path, labels and positions joined by dots: paths name weights and generated fields, and Java
   * takes a string constant or a name of at most 65,535 bytes.
   */
  public static final int MAX_PATH = 4096;
  /**
   * Block calls nest at most this deep. Recursion by name is refused before elaboration (RecursionCheck);
   * a block that reaches itself through a layer argument ({@code A(A)}) is only seen here, as unbounded nesting.
   */
  public static final int MAX_BLOCK_DEPTH = 100;
  private static final int NO_FLOW = -1;

  private final Program program;
  private final Diagnostics diags;
  private final Graph.Builder graph;
  private final String networkName;
  private final Naming naming = new Naming();
  /** The label that names a layer by its scope's own path ({@link #claimSelf}). */
  static final String SELF = "self";
  private final Deque<String> blockStack = new ArrayDeque<>();
  /** Blocks that call themselves by name: RecursionCheck reported them, expanding them again stops silently. */
  private final Set<String> cyclic;
  /** Where each block being expanded was called, innermost first: notes on errors inside blocks. */
  private final Deque<Diagnostic.Note> callSites = new ArrayDeque<>();
  private final Map<String, Span> heads = new HashMap<>();
  private final Map<String, List<Integer>> inputShapes;
  private boolean poisoned;
  /** How many elements failed so far (reported or silent): a construct whose parts failed stops quietly. */
  private int reported;

  /**
   * A labeled layer as declared, to be applied again by {@code reuse}: its syntax, label and context, and the
   * tensors its first application made (name to shape), which every later application must make alike.
   */
  private record Declared(Ast.Layer layer, String label, Ctx ctx, Map<String, dev.netc.compiler.ir.Shape> params) {}

  /** Labeled layers by path, for {@code reuse}. */
  private final Map<String, Declared> declared = new HashMap<>();
  /** How deep {@code reuse} applications nest now: paths are taken again, not claimed. */
  private int reusing;

  /** Per network or block instance: its tensor names and its input. */
  private record Frame(Map<String, Integer> tensors, int in, boolean network) {}

  /** Where statements are being elaborated: the variables, the frame, and the naming scope. */
  private record Ctx(Env env, Frame frame, Naming.Scope scope) {
    Ctx withEnv(Env e) { return new Ctx(e, frame, scope); }

    Ctx withScope(Naming.Scope s) { return new Ctx(env, frame, s); }
  }

  private Elaborator(Program program, Diagnostics diags, String networkName, Map<String, List<Integer>> inputShapes) {
    this.program = program;
    this.diags = diags;
    this.networkName = networkName;
    this.inputShapes = inputShapes;
    this.graph = new Graph.Builder(networkName);
    this.cyclic = RecursionCheck.blocksOnCycles(program);
  }

  /**
   * Elaborates one network with its parameters overridden by {@code args} (name to value). Errors go to
   * {@code diags}; the graph returned is complete only if no error was added.
   */
  public static Graph elaborate(Program program, Ast.NetworkDecl net, Map<String, Value> args, Diagnostics diags) {
    return elaborate(program, net, args, Map.of(), diags);
  }

  /** As above, with some inputs' declared shapes replaced (name to dims without batch), e.g. to sweep sizes. */
  public static Graph elaborate(Program program, Ast.NetworkDecl net, Map<String, Value> args,
      Map<String, List<Integer>> inputShapes, Diagnostics diags) {
    Elaborator e = new Elaborator(program, diags, net.name(), inputShapes);
    e.network(net, args);
    for (String name : inputShapes.keySet()) {
      if (!e.graph.build().inputs().stream().map(i -> e.graph.node(i).path()).toList().contains(name)) {
        diags.add(Diagnostic.error(Code.NET024, net.nameSpan(), "network " + net.name() + " has no input named '"
            + name + "'"));
      }
    }
    return e.graph.build();
  }

  private void network(Ast.NetworkDecl net, Map<String, Value> overrides) {
    Env env = new Env(null);
    Frame frame = new Frame(new LinkedHashMap<>(), NO_FLOW, true);
    List<Value.Arg> given = new ArrayList<>();
    overrides.forEach((k, v) -> given.add(new Value.Arg(k, v, net.nameSpan(), net.nameSpan())));
    Ctx ctx = new Ctx(env, frame, new Naming.Scope(""));
    try {
      bindParams(net.name(), net.params(), given, net.nameSpan(), env, frame);
    } catch (SemaError e) {
      if (e.diagnostic != null) diags.add(e.diagnostic);
      return;
    }
    int flow = walk(net.body(), ctx, NO_FLOW, null);
    if (heads.isEmpty() && flow != NO_FLOW) graph.output("output", flow);
    if (graph.size() == 0 || frame.tensors().isEmpty() && flow == NO_FLOW) {
      if (!diags.hasErrors()) {
        diags.add(Diagnostic.error(Code.NET025, net.nameSpan(), "network " + net.name()
            + " has no input: declare one, e.g. input image: [3, 224, 224]"));
      }
    }
  }

  // ---- statements ----

  /**
   * Elaborates statements. In sequence mode ({@code branches == null}) each element takes the flow and returns
   * the new flow. In branch mode each element is a parallel branch of {@code flow}: its output is appended to
   * {@code branches} and the flow is returned unchanged.
   */
  private int walk(List<Ast.Stmt> stmts, Ctx ctx, int flow, List<Integer> branches) {
    for (Ast.Stmt s : stmts) {
      if (diags.isFull()) return flow;
      try {
        flow = stmt(s, ctx, flow, branches);
      } catch (SemaError e) {
        report(e.diagnostic);
      }
    }
    return flow;
  }

  private int stmt(Ast.Stmt s, Ctx ctx, int flow, List<Integer> branches) {
    return switch (s) {
      case Ast.Let l -> {
        if (ctx.env().definesLocally(l.name())) {
          throw SemaError.of(Code.NET016, l.span(), "'" + l.name() + "' is already defined in this scope");
        }
        ctx.env().define(l.name(), evaluator(ctx).eval(l.value(), ctx.env()));
        yield flow;
      }
      case Ast.Input in -> input(in, ctx, flow, branches);
      case Ast.Head h -> {
        if (!ctx.frame().network() || branches != null) {
          throw SemaError.of(Code.NET025, h.span(), "a head is a network output: it can only appear in a network's body");
        }
        Span prev = heads.putIfAbsent(h.name(), h.nameSpan());
        if (prev != null) {
          throw SemaError.of(Code.NET016, h.nameSpan(), "there is already a head named '" + h.name() + "'",
              new Diagnostic.Note(prev, "first head '" + h.name() + "' is declared here"));
        }
        int out = walk(h.body(), ctx.withEnv(ctx.env().child()), flow, null);
        if (out != NO_FLOW) graph.output(h.name(), out);
        yield flow;
      }
      case Ast.If i -> {
        boolean c = evaluator(ctx).bool(i.cond(), ctx.env());
        yield walk(c ? i.then() : i.otherwise(), ctx.withEnv(ctx.env().child()), flow, branches);
      }
      case Ast.Repeat r -> repeat(r, ctx, flow, branches);
      case Ast.Element e -> {
        if (learnedDecl(e, ctx)) {
          if (branches != null) {
            throw SemaError.of(Code.NET025, e.span(), "a param is declared among layers, not as a parallel branch");
          }
          yield learned(e, (Ast.Call) e.layer(), ctx, flow);
        }
        if (e.layer() instanceof Ast.TensorLayer t && t.name().endsWith(Ast.TensorRef.FAMILY)) {
          String base = t.name().substring(0, t.name().length() - Ast.TensorRef.FAMILY.length());
          if (branches == null || e.label() != null || e.bind() != null) {
            throw SemaError.of(Code.NET025, t.span(), "@" + t.name() + " is several tensors: use it as the branches "
                + "of a combiner, concat { @" + t.name() + " }, or as arguments, concat(@" + t.name() + ")");
          }
          for (Value v : family(ctx, base, t.span()).elements()) branches.add(((Value.Tensor) v).node());
          yield flow;
        }
        if (branches == null) yield element(e, ctx, flow);
        branches.add(element(e, ctx, flow));
        yield flow;
      }
    };
  }

  private int input(Ast.Input in, Ctx ctx, int flow, List<Integer> branches) {
    if (!ctx.frame().network() || branches != null || !ctx.scope().path.isEmpty()) {
      throw SemaError.of(Code.NET025, in.span(), "inputs are declared at the top level of a network");
    }
    if (ctx.frame().tensors().containsKey(in.name())) {
      throw SemaError.of(Code.NET016, in.span(), "there is already a tensor named '" + in.name() + "'");
    }
    boolean batched = true;
    if (in.modifier() != null) {
      if (!in.modifier().equals("unbatched")) {
        throw SemaError.of(Code.NET001, in.modifierSpan(), "unknown input modifier '" + in.modifier()
            + "' (expected 'unbatched')");
      }
      batched = false;
    }
    List<Integer> dims = new ArrayList<>();
    ExpressionEvaluator ev = evaluator(ctx);
    for (Ast.Expr d : in.shape().elements()) {
      long v = ev.integer(d, ctx.env());
      if (v < 1 || v > Integer.MAX_VALUE) {
        throw SemaError.of(Code.NET022, d.span(), "input dimensions must be positive, got " + v);
      }
      dims.add((int) v);
    }
    List<Integer> override = inputShapes.get(in.name());
    if (override != null) {
      if (override.size() != dims.size() || override.stream().anyMatch(d -> d < 1)) {
        throw SemaError.of(Code.NET022, in.shape().span(), "input " + in.name() + " is declared with "
            + dims.size() + " dims " + dims + "; the override " + override + " must have as many, all positive");
      }
      dims = override;
    }
    TensorType type = new TensorType(batched, Shape.of(dims));
    checkSize(type, in.span());
    naming.claim(in.name(), in.span());
    Node n = graph.add(in.name(), new Input(in.name(), type), List.of(), in.span());
    ctx.frame().tensors().put(in.name(), n.id());
    return flow == NO_FLOW ? n.id() : flow;
  }

  private int repeat(Ast.Repeat r, Ctx ctx, int flow, List<Integer> branches) {
    long n = evaluator(ctx).integer(r.count(), ctx.env());
    if (n < 0) throw SemaError.of(Code.NET022, r.count().span(), "repeat count must not be negative, got " + n);
    if (n > MAX_REPEAT) {
      throw SemaError.of(Code.NET023, r.count().span(), "repeat count " + n + " is over the limit of " + MAX_REPEAT);
    }
    for (int i = 0; i < n; i++) {
      Env env = ctx.env().child();
      if (r.index() != null) env.define(r.index(), new Value.Int(i));
      flow = walk(r.body(), ctx.withEnv(env), flow, branches);
      if (diags.isFull()) break;
    }
    return flow;
  }

  // ---- elements ----

  private int element(Ast.Element e, Ctx ctx, int flow) {
    String label = null;
    if (e.label() != null) {
      label = e.label().name();
      if (e.label().index() != null) label += "." + evaluator(ctx).integer(e.label().index(), ctx.env());
    }
    int start = graph.size();
    int out = layer(e.layer(), label, e, ctx, flow);
    if (label != null && reusing == 0 && !(e.layer() instanceof Ast.Reuse)) {
      declared.put(ctx.scope().child(label), new Declared(e.layer(), label, ctx, paramsSince(start)));
    }
    if (e.bind() != null) {
      String name = e.bind();
      if (e.bindIndex() != null) name += "[" + evaluator(ctx).integer(e.bindIndex(), ctx.env()) + "]";
      ctx.frame().tensors().put(name, out);
    }
    return out;
  }

  /** Whether the element declares a learned tensor: a call of the op {@code param} (not shadowed by a variable). */
  private static boolean learnedDecl(Ast.Element e, Ctx ctx) {
    return e.layer() instanceof Ast.Call c && c.name().equals("param") && c.branches() == null
        && ctx.env().lookup("param") == null;
  }

  /**
   * {@code gamma: param([C])}: a learned tensor named by the scope's path and its label alone (as nn.Parameter is
   * named by its attribute), bound as {@code @gamma} (and to a {@code -> name} too). It takes no position and
   * leaves the flow as it was: a declaration, not a step of the sequence.
   */
  private int learned(Ast.Element e, Ast.Call c, Ctx ctx, int flow) {
    if (e.label() == null) {
      throw SemaError.of(Code.NET025, c.span(), "a param needs a label, which names its tensor: e.g. "
          + "gamma: param([64, 1, 1]), read as @gamma");
    }
    ExpressionEvaluator ev = evaluator(ctx);
    String name = e.label().name();
    String tensorName = name;
    if (e.label().index() != null) {
      long i = ev.integer(e.label().index(), ctx.env());
      name += "." + i;
      tensorName += "[" + i + "]";
    }
    OpDef def = OpCatalogue.lookup("param");
    List<Binder.Slot> slots = new ArrayList<>();
    for (ArgSpec a : def.args()) slots.add(new Binder.Slot(a.name(), a.type(), null, a.optional(), a.rest()));
    Binder.Bound bound = Binder.bind(def.name(), slots, ev.evalArgs(c.args(), ctx.env()), c.span());
    Op op;
    try {
      op = def.factory().make(new Args(def.name(), bound.values(), Map.of()), List.of());
    } catch (ArgException x) {
      Span at = x.arg() != null && bound.spans().containsKey(x.arg()) ? bound.spans().get(x.arg()) : c.span();
      throw SemaError.of(x.code(), at, x.getMessage());
    }
    String path = ctx.scope().child(name);
    claim(path, c.span());
    int node = node(ctx, path, op, List.of(), c.span());
    ctx.frame().tensors().put(tensorName, node);
    if (e.bind() != null) {
      String bind = e.bind();
      if (e.bindIndex() != null) bind += "[" + ev.integer(e.bindIndex(), ctx.env()) + "]";
      ctx.frame().tensors().put(bind, node);
    }
    return flow;
  }

  private int layer(Ast.Layer layer, String label, Ast.Element e, Ctx ctx, int flow) {
    return switch (layer) {
      case Ast.TensorLayer t -> {
        String name = t.name();
        if (t.index() != null) name += "[" + evaluator(ctx).integer(t.index(), ctx.env()) + "]";
        yield tensor(ctx, name, t.span()).node();
      }
      case Ast.Sequence s -> {
        Naming.Scope scope = new Naming.Scope(claimPath(ctx, label, s.span()));
        // A sequence is an anonymous block: `in` is its input; tensor names stay shared with the enclosing body.
        Frame frame = new Frame(ctx.frame().tensors(), flow == NO_FLOW ? ctx.frame().in() : flow, ctx.frame().network());
        yield walk(s.body(), new Ctx(ctx.env().child(), frame, scope), flow, null);
      }
      case Ast.Residual r -> residual(r, label, ctx, flow);
      case Ast.Gate g -> {
        Ctx inner = structural(ctx, label, g.span());
        int x = requireFlow(flow, g.span());
        int f = walk(g.body(), inner.withEnv(ctx.env().child()), x, null);
        yield node(ctx, implicitPath(inner, "mul"), new Mul(), List.of(x, f), g.span());
      }
      case Ast.Call c -> call(c, label, e, ctx, flow);
      case Ast.Reuse r -> reuse(r, label, ctx, flow);
    };
  }

  /** The parameter tensors of the nodes added since node {@code start}, by name. */
  private Map<String, dev.netc.compiler.ir.Shape> paramsSince(int start) {
    Map<String, dev.netc.compiler.ir.Shape> out = new LinkedHashMap<>();
    for (int i = start; i < graph.size(); i++) {
      for (dev.netc.compiler.ir.Param p : graph.node(i).params()) out.putIfAbsent(p.name(), p.shape());
    }
    return out;
  }

  /**
   * {@code reuse mlp}: the layer labeled {@code mlp} in this body or an enclosing one (not across a block call),
   * elaborated again on the flow in the context it was declared in, its layers taking the same paths and so the same
   * tensors: its parameters count once, its MACs each time. Its new application must need tensors of the same
   * shapes (a shared layer on an input of another size is an error).
   */
  private int reuse(Ast.Reuse r, String label, Ctx ctx, int flow) {
    if (label != null) {
      throw SemaError.of(Code.NET025, r.span(), "reuse applies '" + r.name() + "' again under its own name; it "
          + "takes no label");
    }
    String name = r.name();
    if (r.index() != null) name += "." + evaluator(ctx).integer(r.index(), ctx.env());
    Declared d = null;
    String path = null;
    for (String scope = ctx.scope().path; d == null; scope = parent(scope)) {
      path = scope.isEmpty() ? name : scope + "." + name;
      Declared found = declared.get(path);
      if (found != null && found.ctx().frame().tensors() == ctx.frame().tensors()) d = found;
      if (scope.isEmpty()) break;
    }
    if (d == null) {
      List<String> here = declared.entrySet().stream()
          .filter(x -> x.getValue().ctx().frame().tensors() == ctx.frame().tensors())
          .map(x -> x.getValue().label()).distinct().toList();
      throw SemaError.of(Code.NET010, r.nameSpan(), "no layer labeled '" + name + "' to reuse in this body or an "
          + "enclosing one" + Suggest.hint(name, here));
    }
    int x = requireFlow(flow, r.span());
    int start = graph.size();
    Ctx again = new Ctx(d.ctx().env(), d.ctx().frame(), new Naming.Scope(d.ctx().scope().path));
    int out;
    reusing++;
    try {
      out = layer(d.layer(), d.label(), null, again, x);
    } finally {
      reusing--;
    }
    Map<String, dev.netc.compiler.ir.Shape> now = paramsSince(start);
    if (!now.equals(d.params())) {
      throw SemaError.of(Code.NET030, r.span(), networkName + "." + path + ": reused on " + graph.node(x).type()
          + " it would need other weights than where it is declared: " + differences(d.params(), now));
    }
    return out;
  }

  private static String parent(String scope) {
    int dot = scope.lastIndexOf('.');
    return dot < 0 ? "" : scope.substring(0, dot);
  }

  /** The first tensors whose shapes differ between two applications, for a message. */
  private static String differences(Map<String, dev.netc.compiler.ir.Shape> first,
      Map<String, dev.netc.compiler.ir.Shape> again) {
    List<String> out = new ArrayList<>();
    for (var e : again.entrySet()) {
      var was = first.get(e.getKey());
      if (!e.getValue().equals(was)) out.add(e.getKey() + " " + e.getValue() + (was == null ? " (new)" : " instead of " + was));
    }
    for (String k : first.keySet()) if (!again.containsKey(k)) out.add(k + " (missing)");
    return String.join(", ", out.subList(0, Math.min(3, out.size())));
  }

  /** A labeled structural construct is a scope of its own (taking a position); an unlabeled one is transparent. */
  private Ctx structural(Ctx ctx, String label, Span span) {
    return label == null ? ctx : ctx.withScope(new Naming.Scope(claimPath(ctx, label, span)));
  }

  private String implicitPath(Ctx inner, String op) { return naming.implicit(inner.scope(), op); }

  private int residual(Ast.Residual r, String label, Ctx ctx, int flow) {
    Ctx inner = structural(ctx, label, r.span());
    int x = requireFlow(flow, r.span());
    ExpressionEvaluator ev = evaluator(ctx);
    if (r.when() != null && !ev.bool(r.when(), ctx.env())) {
      return walk(r.body(), inner.withEnv(ctx.env().child()), x, null);
    }
    int body = walk(r.body(), inner.withEnv(ctx.env().child()), x, null);
    int shortcut = x;
    if (r.shortcut() != null && (r.shortcutWhen() == null || ev.bool(r.shortcutWhen(), ctx.env()))) {
      shortcut = walk(r.shortcut(), inner.withEnv(ctx.env().child()), x, null);
    }
    return node(ctx, implicitPath(inner, "add"), new Add(), List.of(body, shortcut), r.span());
  }

  private int call(Ast.Call c, String label, Ast.Element e, Ctx ctx, int flow) {
    ExpressionEvaluator ev = evaluator(ctx);
    List<Value.Arg> args = ev.evalArgs(c.args(), ctx.env());
    String target = c.name();
    Value v = ctx.env().lookup(c.name());
    if (v != null) {
      if (!(v instanceof Value.Layer layerValue)) {
        throw SemaError.of(Code.NET012, c.nameSpan(), "'" + c.name() + "' is a " + v.typeName() + " " + v.show()
            + ", not a layer");
      }
      args = Binder.partial(layerValue.args(), args);
      target = layerValue.name();
    }
    OpDef op = OpCatalogue.lookup(target);
    if (op != null) return opCall(op, args, c, label, e, ctx, flow);
    Ast.BlockDecl block = program.block(target);
    if (block != null) {
      if (c.branches() != null) {
        throw SemaError.of(Code.NET025, c.span(), "block " + target + " does not take branches { ... }");
      }
      return blockCall(block, args, c, label, ctx, flow);
    }
    if (program.network(target) != null) {
      throw SemaError.of(Code.NET025, c.nameSpan(), "'" + target + "' is a network; only blocks and ops can be used as layers");
    }
    throw SemaError.of(Code.NET010, c.nameSpan(), "unknown op or block '" + c.name() + "'"
        + Suggest.hint(c.name(), layerNames()));
  }

  private int opCall(OpDef def, List<Value.Arg> args, Ast.Call c, String label, Ast.Element e, Ctx ctx, int flow) {
    if (c.branches() != null && !def.combiner()) {
      throw SemaError.of(Code.NET025, c.span(), def.name() + " does not combine branches; only "
          + "concat, add, sub, mul and div take { ... }");
    }
    List<Binder.Slot> slots = new ArrayList<>();
    for (ArgSpec a : def.args()) {
      slots.add(new Binder.Slot(a.name(), a.type(), a.defaultValue() == null ? null : a::defaultValue, a.optional(), a.rest()));
    }
    Binder.Bound bound = Binder.bind(def.name(), slots, args, c.span());
    if ((def.name().equals("chunk") || def.name().equals("split")) && bound.values().get("index") == null) {
      return pieces(def, bound, c, label, e, ctx, flow);
    }
    // Where the node sits: a labeled or positional layer in this scope, claimed before its branches are named.
    String path = c.branches() != null && label == null ? null : claimPath(ctx, label, c.span());
    List<Integer> inputs = new ArrayList<>();
    if (c.branches() != null) {
      Ctx inner = path == null ? ctx : ctx.withScope(new Naming.Scope(path));
      int x = requireFlow(flow, c.span());
      int errorsBefore = reported;
      walk(c.branches(), inner.withEnv(ctx.env().child()), x, inputs);
      // A branch that failed was reported; the combiner's count of tensors would only echo it.
      if (reported != errorsBefore) throw SemaError.silent();
      if (path == null) path = naming.implicit(ctx.scope(), def.name());
    } else {
      inputs.add(requireFlow(flow, c.span()));
    }
    Map<String, TensorType> shapeArgs = new HashMap<>();
    for (ArgSpec a : def.args()) {
      Value val = bound.values().get(a.name());
      if (val == null || a.type().base() != ValueType.Base.TENSOR && a.type().base() != ValueType.Base.TENSORS) continue;
      List<Value> tensors = val instanceof Value.Tuple t ? t.elements() : List.of(val);
      for (Value tv : tensors) {
        int node = ((Value.Tensor) tv).node();
        if (a.data()) inputs.add(node);
        else shapeArgs.put(a.name(), graph.node(node).type());
      }
    }
    if (def.combiner() && inputs.size() < 2) {
      throw SemaError.of(Code.NET013, c.span(), def.name() + " needs at least two tensors: branches { ... } or tensor "
          + "arguments like " + def.name() + "(@other)");
    }
    List<TensorType> types = inputs.stream().map(i -> graph.node(i).type()).toList();
    Op op;
    try {
      op = def.factory().make(new Args(def.name(), bound.values(), shapeArgs), types);
    } catch (ArgException x) {
      Span at = x.arg() != null && bound.spans().containsKey(x.arg()) ? bound.spans().get(x.arg()) : c.span();
      throw SemaError.of(x.code(), at, x.getMessage());
    } catch (ShapeException x) {
      throw shapeError(path, x, c.span());
    }
    return node(ctx, path, op, inputs, c.span());
  }

  /**
   * {@code chunk(4) -> parts} or {@code split((16, 48)) -> parts} without an index: every piece, bound as
   * {@code @parts[0]}, {@code @parts[1]}, ... (so {@code @parts[*]} is all of them); the flow goes on from the first.
   * The pieces are one layer of the scope (one position), as PyTorch's {@code x.chunk(4, 1)} is one call.
   */
  private int pieces(OpDef def, Binder.Bound bound, Ast.Call c, String label, Ast.Element e, Ctx ctx, int flow) {
    if (e == null || e.bind() == null || e.bindIndex() != null) {
      throw SemaError.of(Code.NET025, c.span(), def.name() + " without an index makes several tensors: bind them, "
          + "e.g. " + def.name() + "(...) -> parts, then read @parts[0], @parts[1] or all of them as @parts[*]");
    }
    String path = claimPath(ctx, label, c.span());
    int x = requireFlow(flow, c.span());
    TensorType type = graph.node(x).type();
    int count;
    try {
      Args args = new Args(def.name(), bound.values(), Map.of());
      int axis = Rules.shapeAxis(def.name(), type, args.smallInt("axis"));
      int size = type.dim(axis);
      if (def.name().equals("chunk")) {
        long chunks = ((Value.Int) bound.values().get("chunks")).value();
        if (chunks < 1 || chunks > Integer.MAX_VALUE) {
          throw SemaError.of(Code.NET022, bound.spans().getOrDefault("chunks", c.span()), "chunk: chunks must be "
              + "positive, got " + chunks);
        }
        int part = Math.ceilDiv(size, (int) chunks);
        count = Math.ceilDiv(size, part);
      } else {
        List<Integer> sizes = args.intList("sizes");
        long sum = sizes.stream().mapToLong(Integer::longValue).sum();
        if (sum != size) {
          throw SemaError.of(Code.NET030, bound.spans().getOrDefault("sizes", c.span()), networkName + "." + path
              + ": split sizes " + sizes + " add up to " + sum + ", but the axis has " + size);
        }
        count = sizes.size();
      }
    } catch (ShapeException ex) {
      throw shapeError(path, ex, c.span());
    } catch (ArgException ex) {
      throw SemaError.of(ex.code(), c.span(), ex.getMessage());
    }
    int first = NO_FLOW;
    for (int i = 0; i < count; i++) {
      Map<String, Value> values = new HashMap<>(bound.values());
      values.put("index", new Value.Int(i));
      Op op;
      try {
        op = def.factory().make(new Args(def.name(), values, Map.of()), List.of(type));
      } catch (ArgException ex) {
        Span at = ex.arg() != null && bound.spans().containsKey(ex.arg()) ? bound.spans().get(ex.arg()) : c.span();
        throw SemaError.of(ex.code(), at, ex.getMessage());
      } catch (ShapeException ex) {
        throw shapeError(path, ex, c.span());
      }
      int piece = node(ctx, path, op, List.of(x), c.span());
      ctx.frame().tensors().put(e.bind() + "[" + i + "]", piece);
      if (i == 0) first = piece;
    }
    return first;
  }

  private int blockCall(Ast.BlockDecl b, List<Value.Arg> args, Ast.Call c, String label, Ctx ctx, int flow) {
    // RecursionCheck has reported every cycle of calls by name; this stops expansion of one that is taken. A block
    // may also be on the stack legitimately (Twice(Twice(conv)) expands Twice inside Twice's layer argument):
    // that goes on, up to a depth only a recursion through layer arguments reaches.
    if (blockStack.contains(b.name()) && cyclic.contains(b.name())) throw SemaError.silent();
    if (blockStack.size() >= MAX_BLOCK_DEPTH) {
      throw SemaError.of(Code.NET017, c.nameSpan(), "block " + b.name() + " is expanded inside itself more than "
          + MAX_BLOCK_DEPTH + " calls deep (a block passed to itself as a layer argument?); a network's structure must"
          + " be finite");
    }
    String path = claimPath(ctx, label, c.span());
    Frame frame = new Frame(new LinkedHashMap<>(), requireFlow(flow, c.span()), false);
    Env env = new Env(null);
    bindParams(b.name(), b.params(), args, c.span(), env, frame);
    blockStack.push(b.name());
    callSites.push(new Diagnostic.Note(c.nameSpan(), "in block " + b.name() + ", called from here"));
    try {
      return walk(b.body(), new Ctx(env, frame, new Naming.Scope(path)), frame.in(), null);
    } finally {
      blockStack.pop();
      callSites.pop();
    }
  }

  /** Binds a block's or network's parameters into {@code env} (tensor parameters into the frame's tensors). */
  private void bindParams(String callee, List<Ast.Param> params, List<Value.Arg> args, Span callSpan, Env env,
      Frame frame) {
    List<Binder.Slot> slots = new ArrayList<>();
    List<ValueType> types = new ArrayList<>();
    for (Ast.Param p : params) {
      if (slots.stream().anyMatch(s -> s.name().equals(p.name()))) throw SemaError.silent(); // Loader reported it
      ValueType type = Types.resolve(p.type());
      types.add(type);
      // A default is evaluated below, once the parameters before it are defined (it may use them).
      slots.add(new Binder.Slot(p.name(), type, p.defaultValue() == null ? null : () -> null, false, false));
    }
    Binder.Bound bound = Binder.bind(callee, slots, args, callSpan);
    Ctx defaults = new Ctx(env, frame, new Naming.Scope(""));
    for (int i = 0; i < params.size(); i++) {
      Ast.Param p = params.get(i);
      Value v = bound.values().get(p.name());
      if (v == null) {
        v = types.get(i).coerce(checkedDefault(p, types.get(i), evaluator(defaults).eval(p.defaultValue(), env)));
      }
      env.define(p.name(), v);
      if (v instanceof Value.Tensor t) frame.tensors().put(p.name(), t.node());
    }
  }

  private static Value checkedDefault(Ast.Param p, ValueType type, Value v) {
    if (!type.accepts(v)) {
      throw SemaError.of(Code.NET012, p.defaultValue().span(), "default of '" + p.name() + "' should be " + type
          + ", found " + v.typeName() + " " + v.show());
    }
    return v;
  }

  // ---- nodes and names ----

  private int node(Ctx ctx, String path, Op op, List<Integer> inputs, Span span) {
    if (graph.size() >= MAX_NODES) {
      throw new UserError(Diagnostic.error(Code.NET023, span, "network " + networkName + " has more than "
          + MAX_NODES + " layers"));
    }
    if (path != null && path.length() > MAX_PATH) {
      throw SemaError.of(Code.NET023, span, "layer path " + path.substring(0, 40) + "... is " + path.length()
          + " characters long, over the limit of " + MAX_PATH + " (its weights are named by it)");
    }
    try {
      Node n = graph.add(path, op, inputs, span);
      checkSize(n.type(), span);
      for (dev.netc.compiler.ir.Param p : n.params()) checkParamSize(p, span);
      return n.id();
    } catch (ShapeException e) {
      throw shapeError(path, e, span);
    } catch (ArithmeticException e) {
      throw SemaError.of(Code.NET023, span, networkName + "." + path + ": tensor sizes overflow");
    }
  }

  /** A learned tensor is one array of floats when loaded: at most 2^31 - 9 of them (a Java array's limit). */
  private static void checkParamSize(dev.netc.compiler.ir.Param p, Span span) {
    long n = p.shape().elements();
    if (n > Integer.MAX_VALUE - 8) {
      throw SemaError.of(Code.NET023, span, "parameter " + p.name() + " " + p.shape() + " has " + n
          + " elements; the limit is 2^31 - 9 (one Java array)");
    }
  }

  private static void checkSize(TensorType t, Span span) {
    try {
      if (t.elements() > (1L << 31)) {
        throw SemaError.of(Code.NET023, span, "tensor " + t + " has " + t.elements()
            + " elements per item; the limit is 2^31");
      }
    } catch (ArithmeticException e) {
      throw SemaError.of(Code.NET023, span, "tensor " + t + " is too large");
    }
  }

  private SemaError shapeError(String path, ShapeException e, Span span) {
    String where = path == null ? networkName : networkName + "." + path;
    return SemaError.of(e.code(), span, where + ": " + e.getMessage());
  }

  private String claimPath(Ctx ctx, String label, Span span) {
    if (SELF.equals(label)) return claimSelf(ctx, span);
    String path = ctx.scope().child(ctx.scope().nextName(label));
    claim(path, span);
    return path;
  }

  /**
   * {@code self: layernorm}: the layer takes the path of its scope itself (the block call or sequence it is in), as
   * a PyTorch module subclass owns its parameters under its own name while its forward adds steps around them
   * (torchvision's LayerNorm2d is an nn.LayerNorm between two permutes). It takes a position like any labeled layer;
   * one per scope, and not at the top level of a network (which has no path).
   */
  private String claimSelf(Ctx ctx, Span span) {
    Naming.Scope scope = ctx.scope();
    if (scope.path.isEmpty()) {
      throw SemaError.of(Code.NET025, span, "'self' names a layer by the path of the block call or sequence it is "
          + "in; at the top level of network " + networkName + " there is none: give the layer a name");
    }
    scope.nextName(SELF);
    if (reusing == 0 && !naming.claim(scope.path + ".<self>", span)) {
      Span first = naming.declared(scope.path + ".<self>");
      throw SemaError.of(Code.NET016, span, "two layers are labeled 'self' in '" + scope.path + "' in network "
          + networkName + ": only one layer can take the scope's own name",
          new Diagnostic.Note(first, "first declared here"));
    }
    return scope.path;
  }

  /** Takes a layer path, or NET016 pointing at the layer that has it. */
  private void claim(String path, Span span) {
    if (reusing > 0) return; // a reused layer takes its paths again
    if (!naming.claim(path, span)) {
      Span first = naming.declared(path);
      Diagnostic.Note[] notes = first == null || first.isNone() ? new Diagnostic.Note[0]
          : new Diagnostic.Note[] {new Diagnostic.Note(first, "first declared here")};
      throw SemaError.of(Code.NET016, span, "two layers are named '" + path + "' in network " + networkName, notes);
    }
  }

  private int requireFlow(int flow, Span span) {
    if (flow == NO_FLOW) {
      throw SemaError.of(Code.NET025, span, "no input to this layer yet: declare an input first, e.g. "
          + "input image: [3, 224, 224]");
    }
    return flow;
  }

  private Value.Tensor tensor(Ctx ctx, String name, Span span) {
    Integer node = ctx.frame().tensors().get(name);
    if (node == null && name.equals("in")) return blockInput(ctx, span);
    if (node == null) {
      throw SemaError.of(Code.NET024, span, "unknown tensor @" + name
          + Suggest.hint(name, ctx.frame().tensors().keySet())
          + (ctx.frame().tensors().isEmpty() ? "" : "; known here: " + String.join(", ",
              ctx.frame().tensors().keySet().stream().map(k -> "@" + k).toList())));
    }
    return new Value.Tensor(node, "@" + name);
  }

  /** {@code @name[*]}: {@code name[0]}, {@code name[1]}, ... up to the first index not bound. */
  private Value.Tuple family(Ctx ctx, String name, Span span) {
    List<Value> out = new ArrayList<>();
    for (int i = 0; ctx.frame().tensors().containsKey(name + "[" + i + "]"); i++) {
      out.add(new Value.Tensor(ctx.frame().tensors().get(name + "[" + i + "]"), "@" + name + "[" + i + "]"));
    }
    if (out.isEmpty()) {
      throw SemaError.of(Code.NET024, span, "no tensors @" + name + "[0], @" + name + "[1], ...: bind them with"
          + " -> " + name + "[i]" + (ctx.frame().tensors().isEmpty() ? "" : "; known here: " + String.join(", ",
              ctx.frame().tensors().keySet().stream().map(k -> "@" + k).toList())));
    }
    return new Value.Tuple(out);
  }

  /** {@code in}: the input of the enclosing block or sequence, or the network's first input at its top level. */
  private Value.Tensor blockInput(Ctx ctx, Span span) {
    int in = ctx.frame().in();
    if (in == NO_FLOW) {
      List<Integer> inputs = graph.build().inputs();
      if (inputs.isEmpty()) throw SemaError.of(Code.NET024, span, "'in' is used before any input is declared");
      in = inputs.getFirst();
    }
    return new Value.Tensor(in, "in");
  }

  private void report(Diagnostic d) {
    reported++;
    if (d == null) {
      poisoned = true;
      return;
    }
    if (!callSites.isEmpty()) {
      List<Diagnostic.Note> notes = new ArrayList<>(d.notes());
      callSites.stream().limit(4).forEach(notes::add);
      d = new Diagnostic(d.severity(), d.code(), d.span(), d.message(), notes);
    }
    boolean shape = d.code() == Code.NET030 || d.code() == Code.NET031;
    if (!(shape && poisoned)) diags.add(d);
    poisoned = true;
  }

  private List<String> layerNames() {
    List<String> names = new ArrayList<>(OpCatalogue.names());
    names.addAll(program.decls().keySet());
    return names;
  }

  private ExpressionEvaluator evaluator(Ctx ctx) {
    return new ExpressionEvaluator(new ExpressionEvaluator.Context() {
      public Value.Tensor tensor(String name, Span span) { return Elaborator.this.tensor(ctx, name, span); }

      public Value.Tensor in(Span span) { return blockInput(ctx, span); }

      public Value.Tuple family(String name, Span span) { return Elaborator.this.family(ctx, name, span); }

      public TensorType typeOf(int node) { return graph.node(node).type(); }

      public boolean isLayerName(String name) { return OpCatalogue.lookup(name) != null || program.block(name) != null; }

      public List<String> layerNames() { return Elaborator.this.layerNames(); }
    });
  }
}

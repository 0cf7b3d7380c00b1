package dev.netc.compiler.plan;

import dev.netc.compiler.ir.Graph;
import dev.netc.compiler.ir.Input;
import dev.netc.compiler.ir.Node;
import dev.netc.compiler.plan.Plan.Layout;
import dev.netc.compiler.plan.Plan.Step;
import dev.netc.compiler.plan.Plan.Storage;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;

/**
 * Optimized graph to {@link Plan}: assigns layouts (inserting conversions where a consumer reads another layout
 * than its producer wrote), turns views into aliases, lets unary elementwise ops overwrite an input nothing else
 * needs, then places every buffer in the arena ({@link MemoryPlanner}).
 */
public final class Planner {
  private final Graph graph;
  private final List<Step> steps = new ArrayList<>();
  /** Per buffer: the buffer whose storage it shares (itself for owners). */
  private final List<Integer> owner = new ArrayList<>();
  private final List<Draft> drafts = new ArrayList<>();
  /** (node, layout) to the buffer holding that node's value in that layout. */
  private final Map<Long, Integer> available = new HashMap<>();
  private final Map<Integer, Layout> nodeLayout = new HashMap<>();

  /** A buffer before placement. */
  private record Draft(int node, dev.netc.compiler.ir.TensorType type, Layout layout, Storage fixed, int viewOf) {}

  private final int[] readers;
  private final boolean[] isOutput;
  /** Buffers (roots) that some view reads through: never overwritten in place. */
  private final java.util.BitSet viewed = new java.util.BitSet();

  private Planner(Graph graph) {
    this.graph = graph;
    this.readers = new int[graph.nodes().size()];
    for (Node n : graph.nodes()) for (int i : n.inputs()) readers[i]++;
    this.isOutput = new boolean[graph.nodes().size()];
    for (Graph.Output o : graph.outputs()) isOutput[o.node()] = true;
  }

  public static Plan plan(Graph optimized) {
    Planner p = new Planner(optimized);
    p.schedule();
    return MemoryPlanner.place(optimized, p.drafts(), p.owner, p.steps);
  }

  private void schedule() {
    int inputIndex = 0;
    for (Node n : graph.nodes()) {
      if (n.op() instanceof Input) {
        int b = newBuffer(n.id(), n.type(), Layout.NCHW, new Storage.Input(inputIndex++), -1);
        record(n.id(), Layout.NCHW, b);
        continue;
      }
      if (Layouts.isView(n.op())) {
        int src = bufferFor(n.inputs().getFirst(), Layout.NCHW);
        int b = newBuffer(n.id(), n.type(), Layout.NCHW, null, owner.get(src), src);
        viewed.set(root(src));
        record(n.id(), Layout.NCHW, b);
        continue;
      }
      List<Layout> inLayouts = n.inputs().stream().map(nodeLayout::get).toList();
      Layout out = Layouts.output(graph, n, inLayouts);
      List<Integer> ins = new ArrayList<>();
      for (int i = 0; i < n.inputs().size(); i++) {
        int in = n.inputs().get(i);
        ins.add(bufferFor(in, Layouts.input(n, i, nodeLayout.get(in), out)));
      }
      int shareWith = Layouts.inPlace(n.op()) && canOverwrite(n.inputs().getFirst(), ins.getFirst())
          ? owner.get(ins.getFirst()) : -1;
      int b = newBuffer(n.id(), n.type(), out, null, shareWith);
      steps.add(new Step(Step.Kind.COMPUTE, n.id(), ins, b, comment(n, out)));
      record(n.id(), out, b);
    }
    for (int i = 0; i < graph.outputs().size(); i++) {
      Graph.Output o = graph.outputs().get(i);
      Node n = graph.node(o.node());
      int src = bufferFor(o.node(), nodeLayout.get(o.node()));
      int b = newBuffer(o.node(), n.type(), Layout.NCHW, new Storage.Output(i), -1);
      steps.add(new Step(Step.Kind.WRITE_OUTPUT, o.node(), List.of(src), b,
          "output " + o.name() + " " + n.type() + " <- " + n.path()));
    }
  }

  /**
   * Whether a unary op may write over its input buffer: the input value has no other reader and is not a model
   * output, and the buffer is in the arena and not a view (a view's source may have other readers).
   */
  private boolean canOverwrite(int inputNode, int buffer) {
    if (readers[inputNode] != 1 || isOutput[inputNode]) return false;
    int root = root(buffer);
    return drafts.get(buffer).fixed() == null && drafts.get(root).fixed() == null && !viewed.get(root);
  }

  private int root(int buffer) {
    int r = buffer;
    while (owner.get(r) != r) r = owner.get(r);
    return r;
  }

  /** The buffer holding {@code node}'s value in {@code layout}, converting once if needed. */
  private int bufferFor(int node, Layout layout) {
    Integer b = available.get(key(node, layout));
    if (b != null) return b;
    Layout have = nodeLayout.get(node);
    int src = available.get(key(node, have));
    Node n = graph.node(node);
    int conv = newBuffer(node, n.type(), layout, null, -1);
    steps.add(new Step(Step.Kind.RELAYOUT, node, List.of(src), conv,
        n.path() + ": " + have + " -> " + layout + " " + n.type()));
    available.put(key(node, layout), conv);
    return conv;
  }

  private void record(int node, Layout layout, int buffer) {
    nodeLayout.put(node, layout);
    available.put(key(node, layout), buffer);
  }

  private int newBuffer(int node, dev.netc.compiler.ir.TensorType type, Layout layout, Storage fixed, int shareWith) {
    return newBuffer(node, type, layout, fixed, shareWith, -1);
  }

  private int newBuffer(int node, dev.netc.compiler.ir.TensorType type, Layout layout, Storage fixed, int shareWith,
      int viewOf) {
    int id = drafts.size();
    drafts.add(new Draft(node, type, layout, fixed, viewOf));
    owner.add(shareWith >= 0 ? shareWith : id);
    return id;
  }

  private static long key(int node, Layout layout) { return (long) node * 2 + layout.ordinal(); }

  private static String comment(Node n, Layout out) {
    String d = n.op().describe();
    return n.path() + ": " + n.op().name() + (d.isEmpty() ? "" : " " + d) + " -> " + n.type()
        + (out == Layout.NCHW ? "" : " " + out);
  }

  private List<MemoryPlanner.Draft> drafts() {
    return drafts.stream().map(d -> new MemoryPlanner.Draft(d.node(), d.type(), d.layout(), d.fixed(), d.viewOf())).toList();
  }
}

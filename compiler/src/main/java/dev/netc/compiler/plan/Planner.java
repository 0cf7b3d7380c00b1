package dev.netc.compiler.plan;

import dev.netc.compiler.ir.Graph;
import dev.netc.compiler.ir.Input;
import dev.netc.compiler.ir.Node;
import dev.netc.compiler.ir.OpTraits;
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
 * needs, lets the producers of an elided concat write their slices of its buffer ({@link ConcatSlices}), then
 * places every buffer in the arena ({@link MemoryPlanner}).
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

  /** A buffer before placement; a slice lies {@code within} floats into each image of its owner. */
  private record Draft(int node, dev.netc.compiler.ir.TensorType type, Layout layout, Storage fixed, int viewOf,
      boolean slice, long within) {}

  private final int[] readers;
  private final boolean[] isOutput;
  /** Buffers (roots) that some view reads through: never overwritten in place. */
  private final java.util.BitSet viewed = new java.util.BitSet();
  /** Producers that write their slice of an elided concat, with the concat's buffer once made. */
  private final Map<Integer, ConcatSlices.Slot> slots;
  private final Map<Integer, Integer> concatBuffers = new HashMap<>();

  private Planner(Graph graph) {
    this.graph = graph;
    this.readers = new int[graph.nodes().size()];
    for (Node n : graph.nodes()) for (int i : n.inputs()) readers[i]++;
    this.isOutput = new boolean[graph.nodes().size()];
    for (Graph.Output o : graph.outputs()) isOutput[o.node()] = true;
    this.slots = ConcatSlices.of(graph, readers, isOutput);
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
      if (OpTraits.isView(n.op())) {
        int src = bufferFor(n.inputs().getFirst(), Layout.NCHW);
        int b = newBuffer(n.id(), n.type(), Layout.NCHW, null, owner.get(src), src);
        viewed.set(root(src));
        record(n.id(), Layout.NCHW, b);
        continue;
      }
      if (n.op() instanceof dev.netc.compiler.ir.Concat && concatBuffers.containsKey(n.id())) {
        // Elided: its producers wrote their slices already; the value is the concat's buffer, no step.
        record(n.id(), Layout.NCHWC16, concatBuffers.get(n.id()));
        continue;
      }
      List<Layout> inLayouts = n.inputs().stream().map(nodeLayout::get).toList();
      Layout out = Layouts.output(graph, n, inLayouts);
      List<Integer> ins = new ArrayList<>();
      for (int i = 0; i < n.inputs().size(); i++) {
        int in = n.inputs().get(i);
        ins.add(bufferFor(in, Layouts.input(n, i, nodeLayout.get(in), out)));
      }
      ConcatSlices.Slot slot = slots.get(n.id());
      int b;
      if (slot != null) {
        if (out != Layout.NCHWC16) {
          throw new IllegalStateException(n.path() + " was chosen to write a concat slice but writes " + out);
        }
        b = sliceBuffer(n, slot);
      } else {
        int shareWith = OpTraits.inPlace(n.op()) && canOverwrite(n.inputs().getFirst(), ins.getFirst())
            ? owner.get(ins.getFirst()) : -1;
        b = newBuffer(n.id(), n.type(), out, null, shareWith);
      }
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

  /** The buffer of a producer writing its channel slice of an elided concat (made with the concat's buffer). */
  private int sliceBuffer(Node n, ConcatSlices.Slot slot) {
    Node concat = graph.node(slot.concat());
    int whole = concatBuffers.computeIfAbsent(slot.concat(),
        c -> newBuffer(c, concat.type(), Layout.NCHWC16, null, -1));
    long within = (long) slot.channelOffset() * (concat.type().elements() / concat.type().dim(0));
    int id = drafts.size();
    drafts.add(new Draft(n.id(), n.type(), Layout.NCHWC16, null, -1, true, within));
    owner.add(whole);
    return id;
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
    drafts.add(new Draft(node, type, layout, fixed, viewOf, false, 0));
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
    return drafts.stream().map(d -> new MemoryPlanner.Draft(d.node(), d.type(), d.layout(), d.fixed(), d.viewOf(),
        d.slice(), d.within())).toList();
  }
}

package dev.netc.compiler.emit.java;

import com.palantir.javapoet.CodeBlock;
import dev.netc.compiler.ir.Node;
import dev.netc.compiler.ir.OpTraits;
import dev.netc.compiler.ir.Param;
import dev.netc.compiler.ir.TensorType;
import dev.netc.compiler.plan.Plan;
import dev.netc.compiler.plan.Plan.Buffer;
import dev.netc.compiler.plan.Plan.Step;
import java.util.List;

/** One step being emitted: its node, its buffers and where they are, and the class parts it may add to. */
record StepContext(Step step, Node node, List<Buffer> ins, Buffer out, Memory mem, Parts parts) {
  static StepContext of(Plan plan, Step step, Memory mem, Parts parts) {
    List<Buffer> ins = step.inputs().stream().map(plan::buffer).toList();
    Node node = plan.node(step);
    Buffer out = plan.buffer(step.output());
    if (Memory.isSlice(out) && !(step.kind() == Step.Kind.COMPUTE && OpTraits.isConv(node.op()))) {
      throw new IllegalStateException("the plan has " + node.path() + " (" + node.op().name() + ") write a concat "
          + "slice, but only convolution kernels take an output image stride");
    }
    return new StepContext(step, node, ins, out, mem, parts);
  }

  Buffer in(int i) { return ins.get(i); }

  TensorType inType(int i) { return ins.get(i).type(); }

  TensorType outType() { return out.type(); }

  /** {@code array, offset} of input {@code i}. */
  CodeBlock at(int i) { return mem.at(ins.get(i)); }

  /** {@code array, offset} of the output. */
  CodeBlock outAt() { return mem.at(out); }

  /** A suggested Java name for this step's fields, from its layer path. */
  String baseName() { return Identifiers.fromPath(node.path(), node.op().name(), node.op().name()); }

  /** The node's parameter whose name relative to its layer is {@code relative}, starting at index {@code from}. */
  Param param(int from, String relative) {
    for (Param p : node.params().subList(from, node.params().size())) {
      if (p.spec().name().equals(relative)) return p;
    }
    return null;
  }

  /** {@code w.tensor("full.name", d0, d1, ...)} for a parameter, or {@code null} when it is absent. */
  static CodeBlock tensor(Param p) {
    if (p == null) return CodeBlock.of("null");
    CodeBlock.Builder b = CodeBlock.builder().add("w.tensor($S", p.name());
    for (int d : p.shape().toArray()) b.add(", $L", d);
    return b.add(")").build();
  }

  /** The layer a parameter belongs to: its full name without the relative part ({@code layer1.0.bn1}). */
  static String layerOf(Param p) {
    String n = p.name();
    String rel = p.spec().name();
    return n.length() > rel.length() ? n.substring(0, n.length() - rel.length() - 1) : "";
  }

  /** Fails at emit time when the planner hands an op a layout its kernel cannot read. */
  void requireNchw() {
    for (Buffer b : ins) requireNchw(b);
    requireNchw(out);
  }

  private void requireNchw(Buffer b) {
    if (b.layout() != Plan.Layout.NCHW) {
      throw new IllegalStateException("the plan gives " + node.op().name() + " (" + node.path() + ") a buffer in "
          + b.layout() + ", but its kernel reads and writes NCHW only");
    }
  }

  /** Shape dims as a long array. */
  static long[] dims(TensorType t) {
    long[] d = new long[t.rank()];
    for (int i = 0; i < d.length; i++) d[i] = t.dim(i);
    return d;
  }

  /** Elements per channel: the product of the dims after dim 0. */
  static int spatial(TensorType t) { return Math.toIntExact(t.elements() / Math.max(1, t.dim(0))); }
}

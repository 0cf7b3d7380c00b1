package dev.netc.compiler.plan;

import dev.netc.compiler.ir.Graph;
import dev.netc.compiler.ir.Node;
import dev.netc.compiler.plan.Plan.Buffer;
import dev.netc.compiler.plan.Plan.Step;
import dev.netc.compiler.plan.Plan.Storage;
import java.util.List;
import java.util.stream.Collectors;

/** Text forms of plans and graphs, for {@code netc plan} and for golden tests. */
public final class PlanPrinter {
  private PlanPrinter() {}

  public static String print(Plan plan) {
    StringBuilder b = new StringBuilder();
    b.append("plan ").append(plan.graph().name()).append(": ").append(plan.steps().size()).append(" steps, arena ")
        .append(plan.batchedArena()).append(" floats per batch item")
        .append(plan.fixedArena() > 0 ? " + " + plan.fixedArena() + " fixed" : "")
        .append(" (liveness lower bound ").append(plan.batchedLowerBound()).append(")\n");
    int i = 0;
    for (Step s : plan.steps()) {
      b.append(String.format("%4d  %-60s %s <- %s%n", i++, s.comment(), where(plan.buffer(s.output())),
          s.inputs().stream().map(x -> where(plan.buffer(x))).collect(Collectors.joining(", "))));
    }
    return b.toString();
  }

  static String where(Buffer buf) {
    String at = switch (buf.storage()) {
      case Storage.Arena a -> (buf.batched() ? "@" : "@fixed+") + a.offset() + (a.isSlice() ? "[+" + a.within() + "]" : "");
      case Storage.Input in -> "input" + in.index();
      case Storage.Output out -> "output" + out.index();
    };
    return "b" + buf.id() + at + (buf.layout() == Plan.Layout.NCHW ? "" : "/c16");
  }

  /** A graph, one node per line: id, path, op with attributes, inputs, type. */
  public static String print(Graph g) {
    StringBuilder b = new StringBuilder("graph " + g.name() + " (" + g.nodes().size() + " nodes)\n");
    for (Node n : g.nodes()) {
      String d = n.op().describe();
      b.append(String.format("%4d  %-32s %s%s(%s) -> %s%n", n.id(), n.path(), n.op().name(), d.isEmpty() ? "" : "[" + d + "]",
          n.inputs().stream().map(String::valueOf).collect(Collectors.joining(", ")), n.type()));
    }
    for (Graph.Output o : g.outputs()) b.append("  output ").append(o.name()).append(" = ").append(o.node()).append('\n');
    return b.toString();
  }

  static String join(List<String> xs) { return String.join(", ", xs); }
}

package dev.netc.compiler.emit.java;

import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.netc.compiler.ir.Graph;
import dev.netc.compiler.opt.Pipeline;
import dev.netc.compiler.plan.Planner;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.Test;

/**
 * Layers named like the generated code's own members and locals: every reserved name becomes a field name, and the
 * class must still compile and compute what the interpreter does. The input and the first chain are named like the
 * chain's locals, so a chain block that declared a local over them would not compile.
 */
class ReservedNamesTest {

  private static String network(List<String> layers) {
    StringBuilder b = new StringBuilder("network reserved {\n  input cy: [4, 6, 6]\n  batchnorm\n  cx: relu\n");
    for (String name : layers) b.append("  ").append(name).append(": conv(4, 1)\n");
    return b.append("}\n").toString();
  }

  @Test
  void layersNamedLikeTheGeneratedCodesOwnNamesCompileAndRun() {
    Graph probe = Generated.graph(network(List.of("a")));
    List<String> names = new ArrayList<>(JavaEmitter.reserved(Planner.plan(Pipeline.run(probe))));
    assertTrue(names.containsAll(List.of("batch", "ex", "scratch", "w", "cx", "cs0", "norm", "forward")),
        names.toString());
    names.removeAll(List.of("cx", "cy"));
    Graph g = Generated.graph(network(names));
    for (int batch : new int[] {1, 2}) Generated.checkAgainstInterpreter("reserved names, batch " + batch, g, batch, 4);
  }
}

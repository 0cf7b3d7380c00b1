package dev.netc.cli;

import dev.netc.compiler.Compilation;
import dev.netc.compiler.ir.Graph;
import dev.netc.compiler.ir.Param;
import dev.netc.compiler.plan.Plan;
import java.util.Locale;

/**
 * The memory a compiled session of a network needs at a batch size, checked before anything is allocated: the
 * activation arena, the input and output arrays and the weights (counted twice: as loaded and as packed for the
 * kernels). A batch whose arena or any one array exceeds what a Java array holds, or whose total exceeds what the
 * JVM may still allocate, is one line naming the sizes and the largest batch that fits, instead of an
 * {@link OutOfMemoryError} or an overflow deep inside.
 */
final class Footprint {
  /** The most elements a Java array holds on common JVMs. */
  static final long MAX_ARRAY = Integer.MAX_VALUE - 8;

  private Footprint() {}

  /** Bytes {@code network} needs at {@code batch}; throws {@link CliException} when it cannot fit. */
  static long check(Compilation.Network network, int batch, String batchOption) {
    Graph g = network.graph();
    Plan plan = network.plan();
    long perItem = plan.batchedArena();
    for (int id : g.inputs()) perItem = Math.max(perItem, batchedElements(g, id));
    for (Graph.Output o : g.outputs()) perItem = Math.max(perItem, batchedElements(g, o.node()));
    long fits = perItem == 0 ? Long.MAX_VALUE : Math.max(0, (MAX_ARRAY - plan.fixedArena()) / perItem);
    if (batch > fits) {
      throw CliException.user(String.format(Locale.ROOT, "%s %d is too large for %s: its activations or an input or"
          + " output would exceed the %,d floats one Java array holds (the largest batch that fits: %d)",
          batchOption, batch, g.name(), MAX_ARRAY, fits));
    }
    long floats = plan.arenaFloats(batch);
    for (int id : g.inputs()) floats += g.node(id).type().elements(batch);
    for (Graph.Output o : g.outputs()) floats += 2 * g.node(o.node()).type().elements(batch);
    long weights = 0;
    for (Param p : g.params()) weights += p.shape().elements();
    long bytes = 4 * (floats + 2 * weights);
    Runtime rt = Runtime.getRuntime();
    long available = rt.maxMemory() - (rt.totalMemory() - rt.freeMemory());
    if (bytes > available) {
      throw CliException.user(String.format(Locale.ROOT, "%s %d of %s needs about %s (activations %s, inputs and"
          + " outputs, weights %s), more than the JVM can allocate (%s free of at most %s); lower %s or give the JVM"
          + " more memory (JAVA_OPTS=-Xmx...)", batchOption, batch, g.name(), bytes(bytes),
          bytes(4 * plan.arenaFloats(batch)), bytes(8 * weights), bytes(available), bytes(rt.maxMemory()),
          batchOption));
    }
    return bytes;
  }

  private static long batchedElements(Graph g, int node) {
    return g.node(node).type().batched() ? g.node(node).type().elements() : 0;
  }

  /** {@code 1.5 GiB}. */
  static String bytes(long b) {
    String[] units = {"B", "KiB", "MiB", "GiB", "TiB", "PiB"};
    double v = b;
    int u = 0;
    while (v >= 1024 && u < units.length - 1) {
      v /= 1024;
      u++;
    }
    return u == 0 ? b + " B" : String.format(Locale.ROOT, "%.1f %s", v, units[u]);
  }
}

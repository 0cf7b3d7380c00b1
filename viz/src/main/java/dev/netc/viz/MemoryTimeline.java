package dev.netc.viz;

import dev.netc.compiler.Compilation;
import dev.netc.compiler.analysis.Liveness;
import dev.netc.compiler.plan.Plan;
import java.util.Arrays;

/**
 * Activation bytes live at each step, two ways: naive execution of the graph as written (every layer a fresh
 * buffer, see {@link Liveness}) and the compiled plan (the optimized graph's steps, each arena buffer live from its
 * first write to its last read; views and concat slices count in the buffer they share). Beside them the planned
 * arena (what a session allocates: buffers whose lives do not overlap share bytes) and the plan's lower bound.
 *
 * @param naive bytes live while each layer of the graph as written runs
 * @param planned bytes of arena buffers live during each plan step
 */
public record MemoryTimeline(long[] naive, long[] planned, long naivePeak, long arenaBytes, long lowerBoundBytes) {

  public static MemoryTimeline of(Compilation.Network n) {
    int batch = n.report().batch();
    Plan plan = n.plan();
    return new MemoryTimeline(Liveness.live(n.graph(), batch), planned(plan, batch), n.report().peak().bytes(),
        plan.arenaFloats(batch) * Liveness.BYTES_PER_ELEMENT,
        plan.batchedLowerBound() * batch * Liveness.BYTES_PER_ELEMENT);
  }

  /** Per plan step, the bytes of the arena buffers between their first write and last read. */
  static long[] planned(Plan plan, int batch) {
    int buffers = plan.buffers().size(), steps = plan.steps().size();
    int[] first = new int[buffers], last = new int[buffers];
    Arrays.fill(first, Integer.MAX_VALUE);
    Arrays.fill(last, -1);
    for (int s = 0; s < steps; s++) {
      Plan.Step step = plan.steps().get(s);
      touch(plan, owner(plan, step.output()), s, first, last);
      for (int in : step.inputs()) touch(plan, owner(plan, in), s, first, last);
    }
    long[] live = new long[steps];
    for (Plan.Buffer b : plan.buffers()) {
      if (b.isView() || !(b.storage() instanceof Plan.Storage.Arena a) || a.isSlice() || last[b.id()] < 0) continue;
      long bytes = b.size() * (b.batched() ? batch : 1) * Liveness.BYTES_PER_ELEMENT;
      for (int s = first[b.id()]; s <= last[b.id()]; s++) live[s] += bytes;
    }
    return live;
  }

  private static void touch(Plan plan, int buffer, int step, int[] first, int[] last) {
    first[buffer] = Math.min(first[buffer], step);
    last[buffer] = Math.max(last[buffer], step);
  }

  /** The buffer whose bytes a buffer uses: a view's base, a slice's enclosing buffer, else itself. */
  static int owner(Plan plan, int id) {
    Plan.Buffer b = plan.buffer(id);
    while (b.isView()) b = plan.buffer(b.viewOf());
    if (b.storage() instanceof Plan.Storage.Arena a && a.isSlice()) {
      for (Plan.Buffer o : plan.buffers()) {
        if (!o.isView() && o.storage() instanceof Plan.Storage.Arena p && !p.isSlice() && p.offset() == a.offset()
            && o.size() == a.imageStride()) {
          return o.id();
        }
      }
    }
    return b.id();
  }
}

package dev.netc.compiler.plan;

import dev.netc.compiler.ir.Graph;
import dev.netc.compiler.ir.TensorType;
import dev.netc.compiler.plan.Plan.Buffer;
import dev.netc.compiler.plan.Plan.Layout;
import dev.netc.compiler.plan.Plan.Step;
import dev.netc.compiler.plan.Plan.Storage;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.Comparator;
import java.util.List;

/**
 * Liveness and placement. A storage (a buffer with its views and in-place successors) lives from the step that
 * first writes it to the last step that reads any of them; where that puts a chain of convolutions' output ({@link
 * ConvChains}) over its input, the input lives to the chain's last step. Storages are placed greedily, largest first, at the
 * lowest 16-float-aligned offset that no storage live at the same time overlaps (the classic offline heuristic
 * for interval packing; the liveness peak is a lower bound, reported beside it).
 */
final class MemoryPlanner {
  private static final int ALIGN = 16;

  /** A buffer before placement; a slice ({@code slice}) lies {@code within} floats into each image of its owner. */
  record Draft(int node, TensorType type, Layout layout, Storage fixed, int viewOf, boolean slice, long within) {}

  private MemoryPlanner() {}

  static Plan place(Graph g, List<Draft> drafts, List<Integer> owner, List<Step> steps) {
    int n = drafts.size();
    int[] root = new int[n];
    for (int i = 0; i < n; i++) {
      int r = i;
      while (owner.get(r) != r) r = owner.get(r);
      root[i] = r;
    }
    int[] first = new int[n], last = new int[n];
    Arrays.fill(first, Integer.MAX_VALUE);
    Arrays.fill(last, -1);
    for (int s = 0; s < steps.size(); s++) {
      Step st = steps.get(s);
      touch(root[st.output()], s, first, last);
      for (int in : st.inputs()) touch(root[in], s, first, last);
    }
    long[] size = new long[n];
    for (int i = 0; i < n; i++) size[root[i]] = Math.max(size[root[i]], align(drafts.get(i).layout().size(drafts.get(i).type())));
    long[] offset = new long[n];
    long batchedEnd = allocate(drafts, root, first, last, size, offset, true);
    long fixedEnd = allocate(drafts, root, first, last, size, offset, false);
    // A chain whose output was placed over its input keeps the input alive to its last step, and the buffers are
    // placed again, until no chain's output lies over its input: only those chains cost memory.
    List<Plan.Chain> chains = ConvChains.find(g, steps, i -> new ConvChains.BufferInfo(drafts.get(i).layout(),
        drafts.get(i).type(), drafts.get(i).slice()));
    for (boolean again = true; again; ) {
      again = false;
      for (Plan.Chain c : chains) {
        int in = root[steps.get(c.first()).inputs().getFirst()];
        int out = root[steps.get(c.first() + c.length() - 1).output()];
        if (overlap(drafts, in, out, offset, size) && last[in] < c.first() + c.length() - 1) {
          touch(in, c.first() + c.length() - 1, first, last);
          again = true;
        }
      }
      if (again) {
        batchedEnd = allocate(drafts, root, first, last, size, offset, true);
        fixedEnd = allocate(drafts, root, first, last, size, offset, false);
      }
    }
    // one storage for both (none today: a convolution never writes over its input) runs layer by layer
    chains.removeIf(c -> overlap(drafts, root[steps.get(c.first()).inputs().getFirst()],
        root[steps.get(c.first() + c.length() - 1).output()], offset, size));
    List<Buffer> buffers = new ArrayList<>();
    for (int i = 0; i < n; i++) {
      Draft d = drafts.get(i);
      Draft r = drafts.get(root[i]);
      Storage st = r.fixed() != null ? r.fixed()
          : d.slice() ? new Storage.Arena(offset[root[i]], d.within(), r.layout().size(r.type()))
          : new Storage.Arena(offset[root[i]]);
      buffers.add(new Buffer(i, d.node(), d.type(), d.layout(), st, d.layout().size(d.type()), d.viewOf()));
    }
    return new Plan(g, buffers, steps, batchedEnd, fixedEnd, lowerBound(drafts, root, first, last, size, steps.size()),
        chains);
  }

  /** Whether storages (roots) {@code a} and {@code b} share floats as placed. */
  private static boolean overlap(List<Draft> drafts, int a, int b, long[] offset, long[] size) {
    if (a == b) return true;
    Draft x = drafts.get(a);
    Draft y = drafts.get(b);
    if (x.fixed() != null || y.fixed() != null) return false;
    return x.type().batched() == y.type().batched() && offset[a] < offset[b] + size[b] && offset[b] < offset[a] + size[a];
  }

  private static void touch(int r, int step, int[] first, int[] last) {
    first[r] = Math.min(first[r], step);
    last[r] = Math.max(last[r], step);
  }

  private static long allocate(List<Draft> drafts, int[] root, int[] first, int[] last, long[] size, long[] offset,
      boolean batched) {
    List<Integer> roots = new ArrayList<>();
    for (int i = 0; i < drafts.size(); i++) {
      Draft d = drafts.get(i);
      if (root[i] == i && d.fixed() == null && d.type().batched() == batched && last[i] >= 0) roots.add(i);
    }
    roots.sort(Comparator.<Integer>comparingLong(i -> -size[i]).thenComparingInt(i -> first[i]));
    List<Integer> placed = new ArrayList<>();
    long end = 0;
    for (int b : roots) {
      List<long[]> busy = new ArrayList<>();
      for (int p : placed) {
        if (first[p] <= last[b] && first[b] <= last[p]) busy.add(new long[] {offset[p], offset[p] + size[p]});
      }
      busy.sort(Comparator.comparingLong(x -> x[0]));
      long at = 0;
      for (long[] iv : busy) {
        if (at + size[b] <= iv[0]) break;
        at = Math.max(at, iv[1]);
      }
      offset[b] = at;
      placed.add(b);
      end = Math.max(end, at + size[b]);
    }
    return end;
  }

  /** The most floats live at once among batched arena storages: no placement can use less. */
  private static long lowerBound(List<Draft> drafts, int[] root, int[] first, int[] last, long[] size, int steps) {
    long[] live = new long[Math.max(1, steps)];
    for (int i = 0; i < drafts.size(); i++) {
      if (root[i] != i || drafts.get(i).fixed() != null || !drafts.get(i).type().batched() || last[i] < 0) continue;
      for (int s = first[i]; s <= last[i]; s++) live[s] += size[i];
    }
    return Arrays.stream(live).max().orElse(0);
  }

  private static long align(long floats) { return Math.ceilDiv(floats, ALIGN) * ALIGN; }
}

package dev.netc.viz;

import dev.netc.compiler.analysis.Numbers;
import dev.netc.compiler.analysis.Totals;
import dev.netc.compiler.ir.Graph;
import dev.netc.compiler.ir.Node;
import dev.netc.compiler.plan.Plan;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;

/**
 * Measured time of a network's generated code ({@code netc profile}): the median over timed passes of each plan
 * step, mapped back to the layer it computes (the optimized graph's node: a conv with a folded batchnorm and a fused
 * ReLU is one layer, named by the conv) and to stages (the first path segment). Per layer its FLOPs (2 × MACs, after
 * optimization), GFLOP/s and the fraction of the machine's measured peak.
 *
 * @param stepNanos per plan step, the median nanoseconds of one pass
 * @param passNanos the median nanoseconds of a whole pass (timed around {@code forward}, so a little more than the
 *     sum of the steps)
 * @param peakGflops the machine's measured peak for these threads (fused multiply-adds, widest vectors), 0: unknown
 */
public record Profile(Plan plan, int batch, int threads, int passes, long[] stepNanos, long passNanos,
    double peakGflops) {

  /** One layer of the optimized graph with the steps that compute it (and convert or copy its result). */
  public record Layer(String path, String op, long nanos, long flops, int steps) {
    public double gflops() { return nanos == 0 ? 0 : (double) flops / nanos; }
  }

  /** The median of each step over passes ({@code perPass[p][s]}: nanoseconds of step s in pass p). */
  public static long[] medians(long[][] perPass) {
    int steps = perPass.length == 0 ? 0 : perPass[0].length;
    long[] out = new long[steps];
    long[] column = new long[perPass.length];
    for (int s = 0; s < steps; s++) {
      for (int p = 0; p < perPass.length; p++) column[p] = perPass[p][s];
      Arrays.sort(column);
      int n = column.length;
      out[s] = n % 2 == 1 ? column[n / 2] : (column[n / 2 - 1] + column[n / 2]) / 2;
    }
    return out;
  }

  /** Layers in order of their first step. */
  public List<Layer> layers() {
    Graph g = plan.graph();
    Map<Integer, long[]> by = new LinkedHashMap<>();
    for (int s = 0; s < plan.steps().size(); s++) {
      long[] acc = by.computeIfAbsent(plan.steps().get(s).node(), k -> new long[2]);
      acc[0] += stepNanos[s];
      acc[1]++;
    }
    List<Layer> out = new ArrayList<>();
    for (Map.Entry<Integer, long[]> e : by.entrySet()) {
      Node n = g.node(e.getKey());
      long flops = 2 * Totals.cost(g, n, batch).macs();
      out.add(new Layer(n.path(), n.op().name(), e.getValue()[0], flops, (int) e.getValue()[1]));
    }
    return out;
  }

  /** Nanoseconds per layer path, for {@link GraphView#of(List, int, List)}. */
  public Map<String, Long> nanosByPath() {
    Map<String, Long> out = new LinkedHashMap<>();
    for (Layer l : layers()) out.merge(l.path(), l.nanos(), Long::sum);
    return out;
  }

  public long totalStepNanos() { return Arrays.stream(stepNanos).sum(); }

  public long flops() { return layers().stream().mapToLong(Layer::flops).sum(); }

  /** Stages: layers summed by first path segment, in order. */
  public Map<String, Long> stages() {
    Map<String, Long> out = new LinkedHashMap<>();
    for (Layer l : layers()) {
      int dot = l.path().indexOf('.');
      out.merge(dot < 0 ? l.path() : l.path().substring(0, dot), l.nanos(), Long::sum);
    }
    return out;
  }

  /** The JSON of {@code netc profile --format json}, also the {@code profile} of the HTML report (spec/profile.md). */
  public Map<String, Object> json() {
    Map<String, Object> m = new LinkedHashMap<>();
    m.put("network", plan.graph().name());
    m.put("batch", batch);
    m.put("threads", threads);
    m.put("passes", passes);
    m.put("total_ns", passNanos);
    m.put("steps_ns", totalStepNanos());
    m.put("flops", flops());
    m.put("gflops", passNanos == 0 ? 0.0 : (double) flops() / passNanos);
    m.put("peak_gflops", peakGflops);
    List<Object> layers = new ArrayList<>();
    for (Layer l : layers()) {
      Map<String, Object> x = new LinkedHashMap<>();
      x.put("path", l.path());
      x.put("op", l.op());
      x.put("steps", l.steps());
      x.put("time_ns", l.nanos());
      x.put("flops", l.flops());
      x.put("gflops", l.gflops());
      x.put("peak_fraction", peakGflops > 0 ? l.gflops() / peakGflops : null);
      layers.add(x);
    }
    m.put("layers", layers);
    List<Object> stages = new ArrayList<>();
    for (Map.Entry<String, Long> e : stages().entrySet()) {
      Map<String, Object> x = new LinkedHashMap<>();
      x.put("path", e.getKey());
      x.put("time_ns", e.getValue());
      stages.add(x);
    }
    m.put("stages", stages);
    List<Object> steps = new ArrayList<>();
    for (int s = 0; s < plan.steps().size(); s++) {
      Plan.Step st = plan.steps().get(s);
      Map<String, Object> x = new LinkedHashMap<>();
      x.put("step", s);
      x.put("kind", st.kind().name().toLowerCase(Locale.ROOT));
      x.put("path", plan.node(st).path());
      x.put("time_ns", stepNanos[s]);
      steps.add(x);
    }
    m.put("steps", steps);
    return m;
  }

  /** The table of {@code netc profile}: layers, then stages, then the totals. */
  public String text() {
    StringBuilder b = new StringBuilder();
    long total = totalStepNanos();
    b.append(String.format(Locale.ROOT, "%s: batch %d, %d thread%s, median of %d passes%n%n", plan.graph().name(),
        batch, threads, threads == 1 ? "" : "s", passes));
    List<String[]> rows = new ArrayList<>();
    rows.add(new String[] {"layer", "op", "steps", "time (ms)", "share", "GFLOP/s", "of peak"});
    for (Layer l : layers()) {
      rows.add(new String[] {l.path(), l.op(), String.valueOf(l.steps()), ms(l.nanos()), share(l.nanos(), total),
          l.flops() == 0 ? "" : String.format(Locale.ROOT, "%.1f", l.gflops()),
          l.flops() == 0 || peakGflops <= 0 ? "" : String.format(Locale.ROOT, "%.1f%%", 100 * l.gflops() / peakGflops)});
    }
    table(b, rows, 2);
    b.append('\n');
    List<String[]> st = new ArrayList<>();
    st.add(new String[] {"stage", "time (ms)", "share"});
    for (Map.Entry<String, Long> e : stages().entrySet()) {
      st.add(new String[] {e.getKey(), ms(e.getValue()), share(e.getValue(), total)});
    }
    table(b, st, 1);
    b.append(String.format(Locale.ROOT, "%npass %s ms (steps %s ms), %s FLOPs, %.1f GFLOP/s", ms(passNanos), ms(total),
        Numbers.human(flops()), passNanos == 0 ? 0.0 : (double) flops() / passNanos));
    if (peakGflops > 0) {
      b.append(String.format(Locale.ROOT, ", %.1f%% of this machine's measured peak (%.1f GFLOP/s on %d thread%s)",
          100 * flops() / (double) passNanos / peakGflops, peakGflops, threads, threads == 1 ? "" : "s"));
    }
    b.append('\n');
    if (peakGflops > 0 && layers().stream().anyMatch(l -> l.gflops() > peakGflops)) {
      b.append("note: some layers ran above the measured peak: the machine was busier while the peak was measured;"
          + " the fractions are too high\n");
    }
    return b.toString();
  }

  static String ms(long nanos) { return String.format(Locale.ROOT, "%.3f", nanos / 1e6); }

  static String share(long part, long total) {
    return total == 0 ? "-" : String.format(Locale.ROOT, "%.1f%%", 100.0 * part / total);
  }

  /** Rows padded to columns; the first {@code left} columns left-aligned, the others right-aligned. */
  private static void table(StringBuilder b, List<String[]> rows, int left) {
    int[] w = new int[rows.getFirst().length];
    for (String[] r : rows) for (int c = 0; c < w.length; c++) w[c] = Math.max(w[c], r[c].length());
    for (String[] r : rows) {
      StringBuilder l = new StringBuilder();
      for (int c = 0; c < w.length; c++) {
        if (c > 0) l.append("  ");
        String pad = " ".repeat(w[c] - r[c].length());
        l.append(c < left ? r[c] + pad : pad + r[c]);
      }
      b.append(l.toString().stripTrailing()).append('\n');
    }
  }
}

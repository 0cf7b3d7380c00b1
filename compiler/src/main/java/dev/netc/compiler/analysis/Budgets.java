package dev.netc.compiler.analysis;

import java.util.ArrayList;
import java.util.List;

/**
 * Limits a report must stay within ({@code --max-params}, {@code --max-macs}, {@code --max-memory}); null means
 * no limit. Memory is what naive inference needs: weight bytes plus peak activation bytes.
 */
public record Budgets(Long maxParams, Long maxMacs, Long maxMemory) {
  public static final Budgets NONE = new Budgets(null, null, null);

  public boolean any() { return maxParams != null || maxMacs != null || maxMemory != null; }

  /**
   * One line per exceeded budget, e.g. {@code resnet50 has 25,557,032 params, over the budget of 20,000,000}.
   *
   * @param where how to name the configuration ({@code resnet50}, or {@code resnet50 at image [3, 640, 640]})
   */
  public List<String> violations(String where, Totals t, long peakActivationBytes) {
    List<String> out = new ArrayList<>();
    if (maxParams != null && t.params() > maxParams) {
      out.add(where + " has " + Numbers.grouped(t.params()) + " params, over the budget of "
          + Numbers.grouped(maxParams));
    }
    if (maxMacs != null && t.macs() > maxMacs) {
      out.add(where + " has " + Numbers.grouped(t.macs()) + " MACs, over the budget of " + Numbers.grouped(maxMacs));
    }
    long memory = Math.addExact(t.weightBytes(), peakActivationBytes);
    if (maxMemory != null && memory > maxMemory) {
      out.add(where + " needs " + Numbers.grouped(memory) + " bytes (weights " + Numbers.grouped(t.weightBytes())
          + " + peak activations " + Numbers.grouped(peakActivationBytes) + "), over the memory budget of "
          + Numbers.grouped(maxMemory) + " (" + Numbers.bytes(maxMemory) + ")");
    }
    return out;
  }
}

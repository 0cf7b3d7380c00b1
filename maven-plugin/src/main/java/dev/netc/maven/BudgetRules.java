package dev.netc.maven;

import dev.netc.compiler.analysis.Budgets;
import dev.netc.compiler.analysis.Quantity;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;

/**
 * The budgets of a build: global limits, and per-network ones that replace a global limit for that network (a
 * limit a network's budget leaves unset stays global). Parsed once, so a malformed size fails the build before any
 * report is written.
 */
final class BudgetRules {
  private final Budgets global;
  private final Map<String, Budgets> perNetwork = new HashMap<>();

  /** @throws IllegalArgumentException naming the parameter, for a size that does not parse */
  BudgetRules(String maxParams, String maxMacs, String maxPeakMemory, List<Budget> budgets) {
    global = new Budgets(size("maxParams", maxParams), size("maxMacs", maxMacs), size("maxPeakMemory", maxPeakMemory));
    for (Budget b : budgets == null ? List.<Budget>of() : budgets) {
      if (b.network == null || b.network.isBlank()) {
        throw new IllegalArgumentException("a <budget> needs a <network> naming the network it limits");
      }
      String where = "<budget> of " + b.network + ": ";
      Budgets own = new Budgets(
          or(size(where + "maxParams", b.maxParams), global.maxParams()),
          or(size(where + "maxMacs", b.maxMacs), global.maxMacs()),
          or(size(where + "maxPeakMemory", b.maxPeakMemory), global.maxMemory()));
      if (perNetwork.put(b.network.strip(), own) != null) {
        throw new IllegalArgumentException("two <budget> entries for network " + b.network.strip());
      }
    }
  }

  Budgets of(String network) { return perNetwork.getOrDefault(network, global); }

  /** Networks that have a budget but were not found: a typo there would silently lift the limit. */
  List<String> unmatched(Set<String> networks) {
    return perNetwork.keySet().stream().filter(n -> !networks.contains(n)).sorted().toList();
  }

  private static Long size(String name, String text) {
    if (text == null || text.isBlank()) return null;
    try {
      return Quantity.parse(text);
    } catch (IllegalArgumentException e) {
      throw new IllegalArgumentException(name + ": " + e.getMessage());
    }
  }

  private static Long or(Long own, Long global) { return own != null ? own : global; }
}

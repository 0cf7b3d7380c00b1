package dev.netc.maven;

import dev.netc.compiler.analysis.Budgets;
import dev.netc.compiler.analysis.Numbers;
import dev.netc.compiler.analysis.Quantity;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Properties;
import java.util.Set;

/**
 * The budgets of a build: global limits, and per-network ones that replace a global limit for that network (a
 * limit a network's budget leaves unset stays global). A {@code <budget>} names its network either as the
 * {@code .net} file declares it ({@code tiny_detector}) or by its generated class ({@code TinyDetector}). Parsed
 * once, so a malformed size fails the build before any report is written.
 */
final class BudgetRules {
  /** The properties of the global limits, in the order of {@link Budgets}. */
  static final List<String> PROPERTIES = List.of("netc.maxParams", "netc.maxMacs", "netc.maxPeakMemory");

  private final Budgets global;
  private final List<String> fromCommandLine;
  private final Map<String, Budgets> perNetwork = new LinkedHashMap<>();

  /** @throws IllegalArgumentException naming the parameter, for a size that does not parse */
  BudgetRules(String maxParams, String maxMacs, String maxPeakMemory, List<Budget> budgets) {
    this(new Limits(maxParams, maxMacs, maxPeakMemory, List.of()), budgets);
  }

  BudgetRules(Limits limits, List<Budget> budgets) {
    fromCommandLine = limits.fromCommandLine();
    global = new Budgets(size(parameter(0, "maxParams"), limits.maxParams()),
        size(parameter(1, "maxMacs"), limits.maxMacs()), size(parameter(2, "maxPeakMemory"), limits.maxPeakMemory()));
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

  /**
   * The global limits as configured, each replaced by its user property when one is set: {@code -Dnetc.maxMacs=6G}
   * on the command line wins over {@code <maxMacs>} in the pom (Maven itself gives the pom precedence).
   *
   * @param fromCommandLine the properties that replaced a configured value or set one
   */
  record Limits(String maxParams, String maxMacs, String maxPeakMemory, List<String> fromCommandLine) {
    static Limits of(String maxParams, String maxMacs, String maxPeakMemory, Properties userProperties) {
      String[] values = {maxParams, maxMacs, maxPeakMemory};
      List<String> cli = new ArrayList<>();
      for (int i = 0; i < values.length; i++) {
        String v = userProperties.getProperty(PROPERTIES.get(i));
        if (v != null) {
          values[i] = v;
          cli.add(PROPERTIES.get(i));
        }
      }
      return new Limits(values[0], values[1], values[2], List.copyOf(cli));
    }
  }

  /**
   * The limits of the network declared as {@code network}, whose class is {@code className}: its own budget, found
   * by either name, or the global limits.
   *
   * @throws IllegalArgumentException when two budgets name it, one by each name
   */
  Budgets of(String network, String className) {
    Budgets byName = perNetwork.get(network);
    Budgets byClass = className.equals(network) ? null : perNetwork.get(className);
    if (byName != null && byClass != null) {
      throw new IllegalArgumentException("two <budget> entries for network " + network + ": one names it "
          + network + " (its name in the .net file), one " + className + " (its class)");
    }
    return byName != null ? byName : byClass != null ? byClass : global;
  }

  /**
   * Budgets that name no network, neither by its {@code .net} name nor by its class name: a typo there would
   * silently lift the limit.
   *
   * @param classNames each network's class name by its {@code .net} name
   */
  List<String> unmatched(Map<String, String> classNames) {
    Set<String> known = new HashSet<>(classNames.keySet());
    known.addAll(classNames.values());
    return perNetwork.keySet().stream().filter(n -> !known.contains(n)).sorted().toList();
  }

  /**
   * The limits in force, for the log: {@code MACs 6,000,000,000 (-Dnetc.maxMacs), params 5,000,000; Detector: MACs
   * 2,000,000,000}; null when there are none.
   */
  String describe() {
    List<String> parts = new ArrayList<>();
    String global = limits(this.global, true);
    if (!global.isEmpty()) parts.add(global);
    perNetwork.forEach((n, b) -> parts.add(n + ": " + (b.any() ? limits(b, false) : "none")));
    return parts.isEmpty() ? null : String.join("; ", parts);
  }

  private String limits(Budgets b, boolean sources) {
    List<String> out = new ArrayList<>();
    Long[] values = {b.maxParams(), b.maxMacs(), b.maxMemory()};
    String[] names = {"params", "MACs", "peak memory"};
    for (int i = 0; i < values.length; i++) {
      if (values[i] == null) continue;
      String v = names[i] + " " + (i == 2 ? Numbers.bytes(values[i]) : Numbers.grouped(values[i]));
      if (sources && fromCommandLine.contains(PROPERTIES.get(i))) v += " (-D" + PROPERTIES.get(i) + ")";
      out.add(v);
    }
    return String.join(", ", out);
  }

  /** How an error names a global limit: as the property when the command line set it. */
  private String parameter(int i, String name) {
    return fromCommandLine.contains(PROPERTIES.get(i)) ? "-D" + PROPERTIES.get(i) : name;
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

package dev.netc.maven;

/**
 * A per-network budget in the plugin's configuration, overriding the global limits for that network:
 * <pre>{@code
 * <budget>
 *   <network>Tiny</network>
 *   <maxMacs>400M</maxMacs>
 * </budget>
 * }</pre>
 * Sizes take the suffixes of {@code netc report}: {@code 25000000}, {@code 25M}, {@code 4.1G}, {@code 100MiB}.
 * A mutable bean because Maven fills it field by field.
 */
public class Budget {
  /** The network: its name as declared in its {@code .net} file, or the name of its generated class. */
  String network;

  String maxParams;

  String maxMacs;

  /** Weights plus peak activation bytes, as {@code netc report --max-memory}. */
  String maxPeakMemory;

  public Budget() {}

  Budget(String network, String maxParams, String maxMacs, String maxPeakMemory) {
    this.network = network;
    this.maxParams = maxParams;
    this.maxMacs = maxMacs;
    this.maxPeakMemory = maxPeakMemory;
  }
}

package dev.netc.compiler.analysis;

import java.util.Locale;

/** How reports write numbers: exact with thousands separators, or short for people (11.69M, 1.81G, 3.06 MiB). */
public final class Numbers {
  private Numbers() {}

  private static final String[] DECIMAL = {"", "K", "M", "G", "T", "P", "E"};
  private static final String[] BINARY = {"B", "KiB", "MiB", "GiB", "TiB", "PiB", "EiB"};

  /** {@code 25,557,032}. */
  public static String grouped(long v) { return String.format(Locale.ROOT, "%,d", v); }

  /** Counts: below 1000 as is, else two decimals and a suffix K, M, G, T ({@code 11.69M}); ".00" is dropped. */
  public static String human(long v) {
    if (Math.abs(v) < 1000) return Long.toString(v);
    int i = 0;
    double x = v;
    while (Math.abs(x) >= 999.995 && i < DECIMAL.length - 1) {
      x /= 1000;
      i++;
    }
    return twoDecimals(x) + DECIMAL[i];
  }

  /** Bytes in binary units: {@code 512 B}, {@code 784 KiB}, {@code 44.59 MiB}. */
  public static String bytes(long v) {
    if (Math.abs(v) < 1024) return v + " B";
    int i = 0;
    double x = v;
    while (Math.abs(x) >= 1023.995 && i < BINARY.length - 1) {
      x /= 1024;
      i++;
    }
    return twoDecimals(x) + " " + BINARY[i];
  }

  /** {@code 12.3%} of a total; {@code -} when the total is zero. */
  public static String percent(long part, long total) {
    if (total == 0) return "-";
    return String.format(Locale.ROOT, "%.1f%%", 100.0 * part / total);
  }

  private static String twoDecimals(double x) {
    String s = String.format(Locale.ROOT, "%.2f", x);
    return s.endsWith(".00") ? s.substring(0, s.length() - 3) : s;
  }
}

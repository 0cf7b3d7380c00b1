package dev.netc.compiler.analysis;

/** How reports write numbers: exact with thousands separators, or short for people (11.69M, 1.81G, 3.06 MiB). */
public final class Numbers {
  private Numbers() {}

  private static final String[] DECIMAL = {"", "K", "M", "G", "T", "P", "E"};
  private static final String[] BINARY = {"B", "KiB", "MiB", "GiB", "TiB", "PiB", "EiB"};

  /** {@code 25,557,032}. (By hand: reports print thousands of these, and a Formatter per call is slow.) */
  public static String grouped(long v) {
    String digits = Long.toString(Math.abs(v));
    StringBuilder b = new StringBuilder(digits.length() + digits.length() / 3 + 1);
    if (v < 0) b.append('-');
    int lead = digits.length() % 3 == 0 ? 3 : digits.length() % 3;
    b.append(digits, 0, lead);
    for (int i = lead; i < digits.length(); i += 3) b.append(',').append(digits, i, i + 3);
    return b.toString();
  }

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
    return fixed(100.0 * part / total, 1) + "%";
  }

  private static String twoDecimals(double x) {
    String s = fixed(x, 2);
    return s.endsWith(".00") ? s.substring(0, s.length() - 3) : s;
  }

  /** {@code x} rounded half-up to {@code decimals} (1 or 2) places, always with that many decimals. */
  static String fixed(double x, int decimals) {
    long scale = decimals == 1 ? 10 : 100;
    long r = Math.round(Math.abs(x) * scale);
    String frac = Long.toString(r % scale);
    while (frac.length() < decimals) frac = "0" + frac;
    return (x < 0 && r != 0 ? "-" : "") + (r / scale) + "." + frac;
  }
}

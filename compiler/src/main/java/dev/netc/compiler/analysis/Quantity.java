package dev.netc.compiler.analysis;

import java.math.BigDecimal;
import java.util.Locale;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * Parses the sizes users write for budgets: plain integers ({@code 25557032}, {@code 25_557_032},
 * {@code 25,557,032}), decimal suffixes K, M, G, T (powers of 1000: {@code 25M}, {@code 4.1G}) and binary ones
 * Ki, Mi, Gi, Ti (powers of 1024: {@code 100MiB}), with an optional trailing {@code B}. The result must be a
 * non-negative whole number.
 */
public final class Quantity {
  private Quantity() {}

  private static final Pattern FORM = Pattern.compile("(\\d+(?:\\.\\d+)?)\\s*([kmgt]i?)?b?");

  public static long parse(String text) {
    String t = text.trim().replace("_", "").replace(",", "").toLowerCase(Locale.ROOT);
    Matcher m = FORM.matcher(t);
    if (!m.matches()) {
      throw new IllegalArgumentException("'" + text + "' is not a size (examples: 25000000, 25M, 4.1G, 100MiB)");
    }
    BigDecimal v = new BigDecimal(m.group(1)).multiply(BigDecimal.valueOf(multiplier(m.group(2))));
    try {
      return v.longValueExact();
    } catch (ArithmeticException e) {
      throw new IllegalArgumentException("'" + text + "' is not a whole number (" + v.toPlainString() + ")");
    }
  }

  private static long multiplier(String suffix) {
    if (suffix == null) return 1;
    int power = "kmgt".indexOf(suffix.charAt(0)) + 1;
    long base = suffix.endsWith("i") ? 1024 : 1000;
    long m = 1;
    for (int i = 0; i < power; i++) m *= base;
    return m;
  }
}

package dev.netc.compiler.sema;

import java.util.Collection;

/** "Did you mean ...?" by edit distance, for unknown names. */
public final class Suggest {
  private Suggest() {}

  /**
   * The closest candidate within a distance that makes sense for the name's length, or null: one edit for names
   * of up to 4 letters (so {@code sum} suggests neither {@code lstm} nor {@code mean} for {@code max}), two up to 8,
   * three beyond.
   */
  public static String closest(String name, Collection<String> candidates) {
    String best = null;
    int bestDist = Integer.MAX_VALUE;
    int limit = name.length() <= 4 ? 1 : name.length() <= 8 ? 2 : 3;
    for (String c : candidates) {
      int d = distance(name.toLowerCase(), c.toLowerCase());
      if (d < bestDist || d == bestDist && best != null && c.compareTo(best) < 0) {
        bestDist = d;
        best = c;
      }
    }
    return bestDist <= limit ? best : null;
  }

  public static String hint(String name, Collection<String> candidates) {
    String c = closest(name, candidates);
    return c == null ? "" : " (did you mean '" + c + "'?)";
  }

  static int distance(String a, String b) {
    if (Math.abs(a.length() - b.length()) > 8) return Integer.MAX_VALUE / 2;
    int[] prev = new int[b.length() + 1], cur = new int[b.length() + 1];
    for (int j = 0; j <= b.length(); j++) prev[j] = j;
    for (int i = 1; i <= a.length(); i++) {
      cur[0] = i;
      for (int j = 1; j <= b.length(); j++) {
        int sub = prev[j - 1] + (a.charAt(i - 1) == b.charAt(j - 1) ? 0 : 1);
        cur[j] = Math.min(sub, Math.min(prev[j] + 1, cur[j - 1] + 1));
      }
      int[] t = prev;
      prev = cur;
      cur = t;
    }
    return prev[b.length()];
  }
}

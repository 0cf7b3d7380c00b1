package dev.netc.runtime.io;

import java.util.Collection;
import java.util.Comparator;
import java.util.List;

/** Builds "no tensor named X" messages that suggest the nearest existing names. */
final class CloseNames {
  private static final int MAX_SUGGESTIONS = 5;

  private CloseNames() {}

  /** {@code no tensor named "x"; close names: a, b} (or the file's size when nothing is close). */
  static String missing(String name, Collection<String> names) {
    List<String> close = closest(name, names);
    String base = "no tensor named \"" + name + "\"";
    if (close.isEmpty()) {
      return base + " (the file has " + names.size() + " tensors)";
    }
    return base + "; close names: " + String.join(", ", close);
  }

  /**
   * As {@link #missing(String, Collection)}, the candidates being the file's tensors the network does not read:
   * {@code no tensor named "x"; unused names close to it: a, b}, or none close among {@code n} unused.
   */
  static String missingAmongUnused(String name, Collection<String> unused) {
    List<String> close = closest(name, unused);
    String base = "no tensor named \"" + name + "\"";
    if (close.isEmpty()) {
      return base + " (none of the file's " + unused.size() + " unused tensors is close)";
    }
    return base + "; unused names close to it: " + String.join(", ", close);
  }

  /** Names within an edit distance of about a third of the name's length, nearest first. */
  static List<String> closest(String name, Collection<String> names) {
    int limit = Math.max(2, name.length() / 3);
    record Scored(String name, int distance) {}
    return names.stream()
        .map(n -> new Scored(n, distance(name, n, limit)))
        .filter(s -> s.distance() <= limit)
        .sorted(Comparator.comparingInt(Scored::distance).thenComparing(Scored::name))
        .limit(MAX_SUGGESTIONS)
        .map(Scored::name)
        .toList();
  }

  /** Levenshtein distance, or {@code limit + 1} as soon as it must exceed {@code limit}. */
  static int distance(String a, String b, int limit) {
    if (Math.abs(a.length() - b.length()) > limit) {
      return limit + 1;
    }
    int[] prev = new int[b.length() + 1];
    int[] cur = new int[b.length() + 1];
    for (int j = 0; j <= b.length(); j++) {
      prev[j] = j;
    }
    for (int i = 1; i <= a.length(); i++) {
      cur[0] = i;
      int rowMin = cur[0];
      for (int j = 1; j <= b.length(); j++) {
        int subst = prev[j - 1] + (a.charAt(i - 1) == b.charAt(j - 1) ? 0 : 1);
        cur[j] = Math.min(subst, Math.min(prev[j], cur[j - 1]) + 1);
        rowMin = Math.min(rowMin, cur[j]);
      }
      if (rowMin > limit) {
        return limit + 1;
      }
      int[] t = prev;
      prev = cur;
      cur = t;
    }
    return prev[b.length()];
  }
}

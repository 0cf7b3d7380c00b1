package dev.netc.viz;

import dev.netc.compiler.analysis.Numbers;
import java.util.ArrayList;
import java.util.List;

/**
 * The text of boxes and an estimate of its width. Widths come from a fixed table of Helvetica-like advances
 * rather than the fonts of the machine, so a layout is the same everywhere (the pictures add slack for fonts a bit
 * wider).
 */
final class Text {
  private Text() {}

  static final double TITLE_SIZE = 11;
  static final double SIZE = 10;
  static final double LINE = 13;
  static final double PAD_X = 8;
  static final double PAD_Y = 6;
  /** Op lines longer than this are cut (with an ellipsis); the full text is in the hover. */
  static final int MAX_CHARS = 44;

  /** The lines of a box: title (bold, when not empty), op, output shape, costs. */
  static List<String> lines(GraphView.Box b) {
    List<String> out = new ArrayList<>();
    out.add(b.title());
    switch (b.kind()) {
      case INPUT, OUTPUT -> out.add(b.shape());
      case LAYER, GROUP -> {
        out.add(cut(b.op()));
        out.add(b.shape());
        String costs = costs(b);
        if (!costs.isEmpty()) out.add(costs);
      }
    }
    return out;
  }

  /** {@code 9.41K params · 118.01M MACs} (and the measured time, when there is), leaving out zeros. */
  static String costs(GraphView.Box b) {
    List<String> parts = new ArrayList<>();
    if (b.params() > 0) parts.add(Numbers.human(b.params()) + " params");
    if (b.macs() > 0) parts.add(Numbers.human(b.macs()) + " MACs");
    if (b.timeNs() > 0) parts.add(String.format(java.util.Locale.ROOT, "%.3f ms", b.timeNs() / 1e6));
    return String.join(" \u00b7 ", parts);
  }

  static String cut(String s) {
    return s.length() <= MAX_CHARS ? s : s.substring(0, MAX_CHARS - 1) + "\u2026";
  }

  /** The box size for its lines: the widest line plus padding, a line height per line. */
  static double[] size(List<String> lines) {
    double w = 0;
    int n = 0;
    for (int i = 0; i < lines.size(); i++) {
      if (i == 0 && lines.get(i).isEmpty()) continue;
      w = Math.max(w, width(lines.get(i), i == 0 ? TITLE_SIZE : SIZE, i == 0));
      n++;
    }
    return new double[] {Math.ceil(w + 2 * PAD_X), Math.ceil(n * LINE + 2 * PAD_Y)};
  }

  /** Estimated advance of a string in a sans-serif font at a size. */
  static double width(String s, double size, boolean bold) {
    double em = 0;
    for (int i = 0; i < s.length(); i++) em += advance(s.charAt(i));
    return em * size * (bold ? 1.07 : 1.0);
  }

  private static double advance(char c) {
    if ("iljtfI.,:;'|!()[] ".indexOf(c) >= 0) return 0.30;
    if ("rJ-\"".indexOf(c) >= 0) return 0.38;
    if ("mwMW@\u2026".indexOf(c) >= 0) return 0.86;
    if (Character.isUpperCase(c)) return 0.68;
    if (Character.isDigit(c)) return 0.56;
    return 0.56;
  }
}

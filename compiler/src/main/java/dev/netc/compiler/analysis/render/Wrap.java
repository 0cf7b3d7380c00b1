package dev.netc.compiler.analysis.render;

/** Word wrapping for prose in text reports. */
final class Wrap {
  private Wrap() {}

  /** {@code text} broken at spaces into lines of at most {@code width} characters (longer words stay whole). */
  static String wrap(String text, int width) {
    StringBuilder out = new StringBuilder(), line = new StringBuilder();
    for (String word : text.split(" ")) {
      if (line.length() > 0 && line.length() + 1 + word.length() > width) {
        out.append(line).append('\n');
        line.setLength(0);
      }
      if (line.length() > 0) line.append(' ');
      line.append(word);
    }
    if (line.length() > 0) out.append(line).append('\n');
    return out.toString();
  }
}

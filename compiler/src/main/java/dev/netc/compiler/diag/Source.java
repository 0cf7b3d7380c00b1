package dev.netc.compiler.diag;

import java.nio.file.Path;
import java.util.Arrays;

/**
 * The text of one input file with a line index, so that offsets turn into line:column and back. Columns are
 * 1-based and count UTF-16 code units, as editors and IDEs that parse {@code file:line:col} expect.
 */
public final class Source {
  private final Path path;
  private final String text;
  private final int[] lineStarts;

  public Source(Path path, String text) {
    this.path = path;
    this.text = text;
    this.lineStarts = indexLines(text);
  }

  private static int[] indexLines(String text) {
    int[] starts = new int[16];
    int n = 1;
    for (int i = 0; i < text.length(); i++) {
      if (text.charAt(i) == '\n') {
        if (n == starts.length) starts = Arrays.copyOf(starts, n * 2);
        starts[n++] = i + 1;
      }
    }
    return Arrays.copyOf(starts, n);
  }

  public Path path() { return path; }

  public String text() { return text; }

  /** The name shown in diagnostics: the path as the user gave it. */
  public String name() { return path.toString(); }

  public int lineCount() { return lineStarts.length; }

  /** 1-based line of a 0-based offset. */
  public int line(int offset) {
    int i = Arrays.binarySearch(lineStarts, Math.max(0, Math.min(offset, text.length())));
    return i >= 0 ? i + 1 : -i - 1;
  }

  /** 1-based column of a 0-based offset. */
  public int column(int offset) {
    int clamped = Math.max(0, Math.min(offset, text.length()));
    return clamped - lineStarts[line(clamped) - 1] + 1;
  }

  /** The text of a 1-based line, without its line terminator. */
  public String lineText(int line) {
    if (line < 1 || line > lineStarts.length) return "";
    int start = lineStarts[line - 1];
    int end = line < lineStarts.length ? lineStarts[line] - 1 : text.length();
    if (end > start && text.charAt(end - 1) == '\r') end--;
    return text.substring(start, Math.max(start, end));
  }

  public int offsetOf(int line, int column) {
    return lineStarts[line - 1] + column - 1;
  }
}

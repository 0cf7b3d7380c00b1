package dev.netc.lsp;

import dev.netc.compiler.diag.Span;
import java.util.Arrays;
import org.eclipse.lsp4j.Position;
import org.eclipse.lsp4j.Range;

/**
 * Offsets in a text to LSP positions and back. Both count UTF-16 code units (the protocol's default position
 * encoding, and what {@link Span} uses); lines end at {@code \n} (a preceding {@code \r} belongs to the line
 * break). Positions past the end of a line or of the text are clamped, as the protocol asks.
 */
final class LineMap {
  private final String text;
  private final int[] starts;

  LineMap(String text) {
    this.text = text;
    int[] s = new int[16];
    int n = 1;
    for (int i = 0; i < text.length(); i++) {
      if (text.charAt(i) == '\n') {
        if (n == s.length) s = Arrays.copyOf(s, n * 2);
        s[n++] = i + 1;
      }
    }
    this.starts = Arrays.copyOf(s, n);
  }

  String text() { return text; }

  int lineCount() { return starts.length; }

  /** The offset of a position, clamped into the text (a character past the line's end is the line's end). */
  int offset(Position p) {
    if (p == null) throw new IllegalArgumentException("position is missing");
    int line = p.getLine();
    if (line < 0) return 0;
    if (line >= starts.length) return text.length();
    int end = lineEnd(line);
    return Math.min(starts[line] + Math.max(0, p.getCharacter()), end);
  }

  /** The end of a line's content, before its {@code \n} (and {@code \r}). */
  private int lineEnd(int line) {
    int end = line + 1 < starts.length ? starts[line + 1] - 1 : text.length();
    if (end > starts[line] && end <= text.length() && end - 1 >= 0 && end - 1 < text.length()
        && text.charAt(end - 1) == '\r' && line + 1 < starts.length) {
      end--;
    }
    return end;
  }

  Position position(int offset) {
    int o = Math.max(0, Math.min(offset, text.length()));
    int i = Arrays.binarySearch(starts, o);
    int line = i >= 0 ? i : -i - 2;
    return new Position(line, o - starts[line]);
  }

  Range range(int start, int end) { return new Range(position(start), position(end)); }

  Range range(Span s) { return s == null || s.isNone() ? range(0, 0) : range(s.start(), s.end()); }

  /** The whole text, for edits that replace it. */
  Range all() { return range(0, text.length()); }
}

package dev.netc.compiler.diag;

/**
 * Renders a diagnostic the way good compilers do: the headline, the source line, a caret under the span, and the
 * notes. Colors only when asked (the CLI decides from --color and whether stdout is a terminal).
 */
public final class DiagnosticRenderer {
  private static final int MAX_SHOWN_LINE = 200;
  private final boolean color;

  public DiagnosticRenderer(boolean color) { this.color = color; }

  public String render(Diagnostic d) {
    StringBuilder out = new StringBuilder();
    String sev = d.severity().label();
    out.append(d.span().location()).append(": ")
        .append(paint(d.isError() ? "1;31" : "1;35", sev + "[" + d.code().id() + "]"))
        .append(": ").append(paint("1", d.message())).append('\n');
    appendSnippet(out, d.span());
    for (Diagnostic.Note note : d.notes()) {
      out.append("  ").append(paint("1;36", "note")).append(": ").append(note.message());
      if (!note.span().isNone() && !note.span().equals(d.span())) {
        out.append(" (").append(note.span().location()).append(")");
      }
      out.append('\n');
    }
    return out.toString();
  }

  private void appendSnippet(StringBuilder out, Span span) {
    // A file that could not be read (or is empty) has no line to show a caret under.
    if (span.isNone() || span.source().text().isEmpty()) return;
    Source src = span.source();
    int line = span.line();
    String text = src.lineText(line);
    int col = span.column() - 1;
    int endCol = span.end() <= span.start() ? col + 1
        : (src.line(span.end()) == line ? src.column(span.end()) - 1 : text.length());
    // Long lines (minified or generated input) are shown as a window around the span.
    int from = 0;
    if (text.length() > MAX_SHOWN_LINE) {
      from = Math.max(0, col - MAX_SHOWN_LINE / 2);
      text = text.substring(from, Math.min(text.length(), from + MAX_SHOWN_LINE));
    }
    String gutter = String.valueOf(line);
    out.append(' ').append(gutter).append(" | ").append(printable(text)).append('\n');
    out.append(' ').append(" ".repeat(gutter.length())).append(" | ");
    int caretStart = Math.max(0, col - from);
    out.append(" ".repeat(Math.min(caretStart, text.length())));
    int width = Math.max(1, Math.min(endCol, from + text.length()) - col);
    out.append(paint("1;32", "^" + "~".repeat(Math.max(0, Math.min(width, 80) - 1)))).append('\n');
  }

  /** Tabs become spaces so the caret lines up; control characters are shown, not sent to the terminal. */
  private static String printable(String s) {
    StringBuilder b = new StringBuilder(s.length());
    for (int i = 0; i < s.length(); i++) {
      char c = s.charAt(i);
      b.append(c == '\t' ? ' ' : (c < 0x20 || c == 0x7f) ? '?' : c);
    }
    return b.toString();
  }

  private String paint(String ansi, String s) {
    return color ? "\u001b[" + ansi + "m" + s + "\u001b[0m" : s;
  }
}

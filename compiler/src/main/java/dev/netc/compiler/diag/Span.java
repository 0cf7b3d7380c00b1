package dev.netc.compiler.diag;

/**
 * A range of source text, {@code [start, end)} in UTF-16 offsets, in one {@link Source}. Every AST node and every
 * IR node carries one, so every diagnostic can point at the text that caused it.
 */
public record Span(Source source, int start, int end) {
  public Span {
    if (start < 0 || end < start) throw new IllegalArgumentException("bad span " + start + ".." + end);
  }

  /** A span for things that have no text of their own (built-in defaults, synthesized nodes). */
  public static Span none() { return NONE; }

  private static final Span NONE = new Span(null, 0, 0);

  public boolean isNone() { return source == null; }

  public int line() { return source == null ? 0 : source.line(start); }

  public int column() { return source == null ? 0 : source.column(start); }

  /** {@code file:line:col}, the form IDEs and CI logs make clickable. */
  public String location() {
    return source == null ? "<builtin>" : source.name() + ":" + line() + ":" + column();
  }

  @Override
  public String toString() { return location(); }

  // Identity of the Source is what matters; the default record equals would compare the whole text.
  @Override
  public boolean equals(Object o) {
    return o instanceof Span s && s.source == source && s.start == start && s.end == end;
  }

  @Override
  public int hashCode() { return System.identityHashCode(source) * 31 * 31 + start * 31 + end; }
}

package dev.netc.compiler.syntax;

import java.util.ArrayList;
import java.util.List;

/**
 * The layout language of the {@link Formatter}: a small Wadler/Prettier-style document algebra. The printer builds a
 * document from the parse tree; {@link FormatRenderer} chooses, group by group, between the flat form (every
 * {@link Line} a space or nothing) and the broken form (every {@link Line} a newline), outermost group first.
 *
 * <p>{@link #hard()} says that a document contains a forced line break (a hard line, an own-line comment, a trailing
 * comment, a multi-line comment); every group that contains one is broken. That is what keeps formatting stable: a
 * comment that ends a line forces the same layout each time it is seen.
 */
sealed interface FormatDoc {
  boolean hard();

  /** Literal text; may contain newlines only when it is a multi-line block comment. */
  record Text(String text) implements FormatDoc {
    public boolean hard() { return text.indexOf('\n') >= 0; }
  }

  /** A possible line break: {@code SPACE} is a space when flat, {@code SOFT} is nothing when flat. */
  record Line(Kind kind) implements FormatDoc {
    enum Kind { SPACE, SOFT, HARD }

    public boolean hard() { return kind == Kind.HARD; }
  }

  record Concat(List<FormatDoc> parts, boolean hard) implements FormatDoc {}

  /** Its content's line breaks indent two more columns. */
  record Indent(FormatDoc doc) implements FormatDoc {
    public boolean hard() { return doc.hard(); }
  }

  /** The unit of the flat-or-broken choice. */
  record Group(FormatDoc doc) implements FormatDoc {
    public boolean hard() { return doc.hard(); }
  }

  /** {@code broken} in a broken group, {@code flat} in a flat one (trailing commas). */
  record IfBreak(FormatDoc broken, FormatDoc flat) implements FormatDoc {
    public boolean hard() { return broken.hard() || flat.hard(); }
  }

  /** Text deferred to the end of the current line: a trailing comment. Forces its groups to break. */
  record LineSuffix(String text) implements FormatDoc {
    public boolean hard() { return true; }
  }

  /** A newline unless the current line is still empty: starts an own-line comment. */
  record LineStart() implements FormatDoc {
    public boolean hard() { return true; }
  }

  /** Whatever comes next starts on a new line: ends an own-line comment. */
  record BreakAfter() implements FormatDoc {
    public boolean hard() { return true; }
  }

  /** One empty line here, unless the output starts here, already has one, or the previous line opens a bracket. */
  record BlankLine() implements FormatDoc {
    public boolean hard() { return true; }
  }

  FormatDoc EMPTY = new Text("");
  FormatDoc SPACE = new Text(" ");
  FormatDoc LINE = new Line(Line.Kind.SPACE);
  FormatDoc SOFTLINE = new Line(Line.Kind.SOFT);
  FormatDoc HARDLINE = new Line(Line.Kind.HARD);

  static FormatDoc text(String s) { return s.isEmpty() ? EMPTY : new Text(s); }

  static FormatDoc concat(FormatDoc... parts) { return concat(List.of(parts)); }

  static FormatDoc concat(List<FormatDoc> parts) {
    List<FormatDoc> kept = new ArrayList<>(parts.size());
    boolean hard = false;
    for (FormatDoc d : parts) {
      if (d == EMPTY || d instanceof Concat c && c.parts().isEmpty()) continue;
      kept.add(d);
      hard |= d.hard();
    }
    return kept.size() == 1 ? kept.getFirst() : new Concat(List.copyOf(kept), hard);
  }

  static FormatDoc indent(FormatDoc d) { return new Indent(d); }

  static FormatDoc group(FormatDoc d) { return new Group(d); }

  static boolean isEmpty(FormatDoc d) { return d == EMPTY || d instanceof Concat c && c.parts().isEmpty(); }
}

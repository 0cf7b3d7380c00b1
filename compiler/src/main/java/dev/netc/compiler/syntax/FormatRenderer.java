package dev.netc.compiler.syntax;

import dev.netc.compiler.syntax.FormatDoc.BlankLine;
import dev.netc.compiler.syntax.FormatDoc.BreakAfter;
import dev.netc.compiler.syntax.FormatDoc.Concat;
import dev.netc.compiler.syntax.FormatDoc.Group;
import dev.netc.compiler.syntax.FormatDoc.IfBreak;
import dev.netc.compiler.syntax.FormatDoc.Indent;
import dev.netc.compiler.syntax.FormatDoc.Line;
import dev.netc.compiler.syntax.FormatDoc.LineStart;
import dev.netc.compiler.syntax.FormatDoc.LineSuffix;
import dev.netc.compiler.syntax.FormatDoc.Text;
import java.util.ArrayDeque;
import java.util.ArrayList;
import java.util.Deque;
import java.util.Iterator;
import java.util.List;

/**
 * Lays out a {@link FormatDoc} within {@link #WIDTH} columns. Iterative (an explicit stack), so a deep document
 * cannot overflow the thread's stack. A group is flat when it has no forced break and its flat form, plus what
 * follows it up to the next possible line break, fits in the rest of the line. Trailing spaces are never written.
 */
final class FormatRenderer {
  static final int WIDTH = 100;
  private static final int STEP = 2;

  private record Cmd(int indent, boolean flat, FormatDoc doc) {}

  private final StringBuilder out = new StringBuilder();
  private final List<String> suffixes = new ArrayList<>();
  private int lineStart;
  private boolean content;
  private boolean mustBreak;
  private boolean lineComment;

  static String render(FormatDoc doc) { return new FormatRenderer().run(doc); }

  private String run(FormatDoc doc) {
    Deque<Cmd> stack = new ArrayDeque<>();
    stack.push(new Cmd(0, false, doc));
    while (!stack.isEmpty()) {
      Cmd c = stack.pop();
      switch (c.doc()) {
        case Text t -> text(t.text(), c.indent());
        case Concat k -> {
          for (int i = k.parts().size() - 1; i >= 0; i--) stack.push(new Cmd(c.indent(), c.flat(), k.parts().get(i)));
        }
        case Indent n -> stack.push(new Cmd(c.indent() + STEP, c.flat(), n.doc()));
        case Group g -> {
          boolean flat = c.flat() || !g.hard() && fits(new Cmd(c.indent(), true, g.doc()), stack, WIDTH - column());
          stack.push(new Cmd(c.indent(), flat, g.doc()));
        }
        case Line l -> line(l, c);
        case IfBreak b -> stack.push(new Cmd(c.indent(), c.flat(), c.flat() ? b.flat() : b.broken()));
        case LineSuffix s -> suffix(s.text(), c.indent());
        case LineStart x -> { if (content) newline(c.indent()); }
        case BreakAfter x -> mustBreak = true;
        case BlankLine x -> blankLine(c.indent());
      }
    }
    flushSuffixes();
    trimTrailingSpaces();
    while (!out.isEmpty() && out.charAt(out.length() - 1) == '\n') out.setLength(out.length() - 1);
    if (!out.isEmpty()) out.append('\n');
    return out.toString();
  }

  private void line(Line l, Cmd c) {
    if (l.kind() != Line.Kind.HARD && c.flat() && !mustBreak) {
      if (l.kind() == Line.Kind.SPACE) text(" ", c.indent());
    } else {
      newline(c.indent());
    }
  }

  private void text(String s, int indent) {
    if (s.isEmpty()) return;
    // Code or a comment after a pending trailing comment starts the next line, as it did in the source, unless it
    // is a comma or semicolon, which carry no comments: `f(a, # note` keeps its comma. So comments keep their order
    // and the token they follow, and the layout that a trailing comment forced is forced again when the output is
    // formatted. (Letting closing brackets hug too would move comments from one token to another.)
    if (!suffixes.isEmpty() && !hugs(s)) {
      if (s.isBlank()) return;
      newline(indent);
    }
    if (mustBreak || lineComment) {
      if (s.isBlank()) return; // the space before something that now starts a new line
      if (content) newline(indent);
      mustBreak = false;
    }
    write(s);
  }

  /** A trailing comment waits for the end of the line, unless the line already ends in a comment. */
  private void suffix(String s, int indent) {
    if (pendingLineComment()) newline(indent); // two line comments cannot end one line
    if (mustBreak || lineComment) {
      newline(indent);
      write(s);
      mustBreak = true;
    } else {
      suffixes.add(s);
    }
  }

  private void write(String s) {
    if (!content) s = s.stripLeading(); // indentation is the renderer's job
    if (s.isEmpty()) return;
    out.append(s);
    content = true;
    // Nothing may follow a line comment on its line: the next text starts a new line whatever the document says.
    if (s.stripLeading().startsWith("#")) lineComment = true;
    int nl = s.lastIndexOf('\n');
    if (nl >= 0) lineStart = out.length() - (s.length() - nl - 1);
  }

  private void newline(int indent) {
    flushSuffixes();
    trimTrailingSpaces();
    out.append('\n');
    lineStart = out.length();
    out.repeat(' ', indent);
    content = false;
    mustBreak = false;
    lineComment = false;
  }

  /** Writes the trailing comments; a second one after a line comment goes on a line of its own. */
  private void flushSuffixes() {
    int lineIndent = 0;
    while (lineStart + lineIndent < out.length() && out.charAt(lineStart + lineIndent) == ' ') lineIndent++;
    if (!suffixes.isEmpty() && content) trimTrailingSpaces(); // each comment brings its own space
    for (String s : suffixes) {
      if (lineComment) {
        trimTrailingSpaces();
        out.append('\n');
        lineStart = out.length();
        out.repeat(' ', lineIndent);
        content = false;
        lineComment = false;
      }
      write(s);
    }
    suffixes.clear();
  }

  /** Makes the line being started follow exactly one empty line (see {@link FormatDoc.BlankLine}). */
  private void blankLine(int indent) {
    if (content) newline(indent);
    if (lineStart == 0) return;
    int prevEnd = lineStart - 1;
    int prevStart = out.lastIndexOf("\n", prevEnd - 1) + 1;
    String prev = out.substring(prevStart, prevEnd).strip();
    if (prev.isEmpty() || prev.endsWith("{") || prev.endsWith("(") || prev.endsWith("[")) return;
    out.setLength(lineStart);
    out.append('\n');
    lineStart = out.length();
    out.repeat(' ', indent);
  }

  private void trimTrailingSpaces() {
    int n = out.length();
    while (n > lineStart && out.charAt(n - 1) == ' ') n--;
    out.setLength(n);
  }

  private boolean pendingLineComment() {
    for (String s : suffixes) if (s.stripLeading().startsWith("#")) return true;
    return false;
  }

  private static boolean hugs(String s) {
    return switch (s) {
      case ",", ";" -> true;
      default -> false;
    };
  }

  private static boolean isComment(String s) {
    String t = s.stripLeading();
    return t.startsWith("#") || t.startsWith("/*");
  }

  private int column() { return out.length() - lineStart; }

  /**
   * Whether {@code next}, flat, and then the rest of the stack up to its first line break fit in {@code width}
   * columns. Trailing comments do not count: they force a break anyway.
   */
  private static boolean fits(Cmd next, Deque<Cmd> rest, int width) {
    Deque<Cmd> work = new ArrayDeque<>();
    work.push(next);
    Iterator<Cmd> more = rest.iterator();
    int w = width;
    while (true) {
      if (work.isEmpty()) {
        if (!more.hasNext()) return true;
        work.push(more.next());
      }
      Cmd c = work.pop();
      switch (c.doc()) {
        case Text t -> {
          if (t.text().indexOf('\n') >= 0) return true;
          w -= t.text().length();
          if (w < 0) return false;
        }
        case Concat k -> {
          for (int i = k.parts().size() - 1; i >= 0; i--) work.push(new Cmd(c.indent(), c.flat(), k.parts().get(i)));
        }
        case Indent n -> work.push(new Cmd(c.indent(), c.flat(), n.doc()));
        case Group g -> work.push(new Cmd(c.indent(), c.flat() && !g.hard(), g.doc()));
        case Line l -> {
          if (!c.flat() || l.kind() == Line.Kind.HARD) return true;
          if (l.kind() == Line.Kind.SPACE && --w < 0) return false;
        }
        case IfBreak b -> work.push(new Cmd(c.indent(), c.flat(), c.flat() ? b.flat() : b.broken()));
        case LineSuffix s -> {}
        case BreakAfter x -> {}
        case LineStart x -> { return true; }
        case BlankLine x -> { return true; }
      }
    }
  }
}

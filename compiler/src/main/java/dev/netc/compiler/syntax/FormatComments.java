package dev.netc.compiler.syntax;

import dev.netc.grammar.NetLexer;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import org.antlr.v4.runtime.Token;

/**
 * Attaches every comment of a file to one significant token, so the formatter prints each exactly once, in order.
 * Between two significant tokens {@code a} and {@code b}:
 * <ul>
 *   <li>comments on {@code a}'s line that end the line are <b>trailing</b> comments of {@code a}, printed at the end
 *       of the line where {@code a} is printed;</li>
 *   <li>comments with code on both sides on one line are <b>inline</b>: printed just before {@code b}, or just after
 *       {@code a} when {@code b} is a closing bracket;</li>
 *   <li>a comment on a later line that {@code b} follows on that line (other block comments between them aside)
 *       is inline too, printed just before {@code b}, unless {@code b} is a closing bracket;</li>
 *   <li>every other comment, one after which only comments follow on its line included, is an <b>own-line</b>
 *       comment of {@code b}, printed on a line of its own before it, after an empty line if the source had one
 *       there.</li>
 * </ul>
 * Commas, semicolons and the tokens the formatter drops are transparent: comments attach to the tokens around
 * them (see {@link #transparent}).
 * Each classification reproduces itself on the formatted text, which is what makes formatting idempotent. A line
 * comment is never inline: it always ends a line. Comment text is kept except for trailing whitespace and line
 * endings ({@code \r\n} becomes {@code \n}).
 */
final class FormatComments {
  /** A comment printed before its token: on a line of its own, or inline just before it. */
  record Leading(String text, boolean ownLine, boolean blankBefore) {}

  private final Map<Integer, List<Leading>> leading = new HashMap<>();
  private final Map<Integer, List<String>> trailingEol = new HashMap<>();
  private final Map<Integer, List<String>> trailingInline = new HashMap<>();
  private final Set<Integer> blankBefore = new HashSet<>();

  private FormatComments() {}

  /** No comments at all: for the formatter's first pass, which only finds out which tokens it drops. */
  static FormatComments none() { return new FormatComments(); }

  /**
   * {@code tokens}: the whole token stream, hidden channel included, ending with EOF. {@code dropped}: indices of
   * the tokens the formatter leaves out (redundant parentheses and the like); like separators, they get no
   * comments, so that a comment is attached the same way whether or not they are there.
   */
  static FormatComments of(List<Token> tokens, Set<Integer> dropped) {
    FormatComments c = new FormatComments();
    Token previous = null;
    List<Token> gap = new ArrayList<>();
    for (Token t : tokens) {
      if (t.getChannel() != Token.DEFAULT_CHANNEL && t.getType() != Token.EOF || transparent(t)
          || dropped.contains(t.getTokenIndex())) {
        gap.add(t);
        continue;
      }
      c.attach(previous, gap, t);
      gap.clear();
      previous = t;
    }
    return c;
  }

  List<Leading> leading(Token t) { return leading.getOrDefault(t.getTokenIndex(), List.of()); }

  List<String> trailingEol(Token t) { return trailingEol.getOrDefault(t.getTokenIndex(), List.of()); }

  List<String> trailingInline(Token t) { return trailingInline.getOrDefault(t.getTokenIndex(), List.of()); }

  /** Whether the source has an empty line between the token and whatever precedes it (comments included). */
  boolean blankBefore(Token t) { return blankBefore.contains(t.getTokenIndex()); }

  private void attach(Token a, List<Token> gap, Token b) {
    boolean eof = b.getType() == Token.EOF;
    int i = 0;
    if (a != null) {
      List<String> sameLine = new ArrayList<>();
      for (; i < gap.size(); i++) {
        Token h = gap.get(i);
        if (isComment(h)) sameLine.add(text(h));
        else if (newlines(h.getText()) > 0) break;
      }
      if (!sameLine.isEmpty()) {
        boolean endsLine = i < gap.size() || eof || isLineComment(gap.get(i - 1));
        if (endsLine) trailingEol.put(a.getTokenIndex(), sameLine);
        else if (hugs(b)) trailingInline.put(a.getTokenIndex(), sameLine);
        else sameLine.forEach(s -> add(b, new Leading(s, false, false)));
      }
    }
    // An empty line is one whitespace token with two line breaks: breaks on either side of a `;` do not count.
    boolean blank = false;
    for (; i < gap.size(); i++) {
      Token h = gap.get(i);
      if (!isComment(h)) {
        blank |= newlines(h.getText()) >= 2;
        continue;
      }
      boolean lineEnds = eof || isLineComment(h) || newlineAfter(gap, i);
      add(b, new Leading(text(h), lineEnds || hugs(b), blank));
      blank = false;
    }
    if (blank) blankBefore.add(b.getTokenIndex());
  }

  /**
   * Whether a line ends between comment {@code i} of the gap and the next token: no code follows the comment on
   * its line. Block comments after it on the same line are skipped; a line comment after it ends the line. So a
   * block comment followed by a line comment, both on a line of their own, is an own-line comment like the line
   * comment, not an inline one: printed inline, it would land on the line before, where the next formatting would
   * find a trailing comment of the token there.
   */
  private static boolean newlineAfter(List<Token> gap, int i) {
    for (int j = i + 1; j < gap.size(); j++) {
      Token h = gap.get(j);
      if (isLineComment(h) || !isComment(h) && newlines(h.getText()) > 0) return true;
    }
    return false;
  }

  /**
   * Separators that comments are never attached to: the formatter drops or adds them ({@code ;}, trailing commas),
   * and a comment beside one belongs with the code around it. {@code a, # note} is a trailing comment of {@code a},
   * printed after the comma; a comment on a line of its own before {@code ;} stays before the next statement.
   */
  private static boolean transparent(Token t) {
    return t.getType() == NetLexer.COMMA || t.getType() == NetLexer.SEMI;
  }

  private void add(Token b, Leading c) {
    leading.computeIfAbsent(b.getTokenIndex(), k -> new ArrayList<>()).add(c);
  }

  private static boolean hugs(Token t) {
    return switch (t.getType()) {
      case NetLexer.RPAREN, NetLexer.RBRACK, NetLexer.RBRACE -> true;
      default -> false;
    };
  }

  static boolean isComment(Token t) {
    return t.getType() == NetLexer.LINE_COMMENT || t.getType() == NetLexer.BLOCK_COMMENT;
  }

  private static boolean isLineComment(Token t) { return t.getType() == NetLexer.LINE_COMMENT; }

  /** Line breaks in whitespace: {@code \n}, {@code \r\n} and a lone {@code \r} each count once. */
  static int newlines(String s) {
    int n = 0;
    for (int i = 0; i < s.length(); i++) {
      char ch = s.charAt(i);
      if (ch == '\n' || ch == '\r' && (i + 1 == s.length() || s.charAt(i + 1) != '\n')) n++;
    }
    return n;
  }

  /** The comment as the formatter prints it: without trailing whitespace on any line, with {@code \n} endings. */
  static String text(Token t) {
    String s = t.getText().replace("\r\n", "\n").replace('\r', '\n');
    if (s.indexOf('\n') < 0) return s.stripTrailing();
    StringBuilder b = new StringBuilder(s.length());
    for (String line : s.split("\n", -1)) {
      if (!b.isEmpty()) b.append('\n');
      b.append(line.stripTrailing());
    }
    return b.toString();
  }
}

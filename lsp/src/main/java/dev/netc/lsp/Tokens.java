package dev.netc.lsp;

import dev.netc.compiler.diag.Diagnostics;
import dev.netc.compiler.diag.Source;
import dev.netc.compiler.syntax.Parser;
import dev.netc.grammar.NetLexer;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import org.antlr.v4.runtime.Token;

/**
 * The tokens of a text, for the features that must work while the text does not parse (completion, definitions,
 * hover on names): the lexer never fails, so these see what the user is typing. Offsets are UTF-16, as in
 * {@link dev.netc.compiler.diag.Span}. Only tokens on the default channel are kept, each with its brace depth
 * (0 at the top level of the file), plus the comments for documentation.
 */
final class Tokens {
  /** One significant token: its kind, text, {@code [start, end)} and the number of braces open before it. */
  record Tok(int type, String text, int start, int end, int braceDepth, int index) {
    boolean isWord() { return type == NetLexer.IDENT || Character.isLetter(text.isEmpty() ? ' ' : text.charAt(0)); }
  }

  private final String text;
  private final List<Tok> toks;
  private final List<Token> comments;

  private Tokens(String text, List<Tok> toks, List<Token> comments) {
    this.text = text;
    this.toks = toks;
    this.comments = comments;
  }

  static Tokens of(Path path, String text) {
    List<Token> all = Parser.lex(new Source(path, text), new Diagnostics()).getTokens();
    List<Tok> toks = new ArrayList<>();
    List<Token> comments = new ArrayList<>();
    int depth = 0;
    for (Token t : all) {
      if (t.getType() == Token.EOF) break;
      if (t.getType() == NetLexer.LINE_COMMENT || t.getType() == NetLexer.BLOCK_COMMENT) comments.add(t);
      if (t.getChannel() != Token.DEFAULT_CHANNEL) continue;
      if (t.getType() == NetLexer.RBRACE) depth = Math.max(0, depth - 1);
      toks.add(new Tok(t.getType(), t.getText(), t.getStartIndex(), t.getStopIndex() + 1, depth, toks.size()));
      if (t.getType() == NetLexer.LBRACE) depth++;
    }
    return new Tokens(text, List.copyOf(toks), List.copyOf(comments));
  }

  String text() { return text; }

  List<Tok> all() { return toks; }

  Tok get(int i) { return i >= 0 && i < toks.size() ? toks.get(i) : null; }

  int type(int i) { Tok t = get(i); return t == null ? Token.EOF : t.type(); }

  /** The token that contains {@code offset} or ends right at it (the word just typed), preferring a word. */
  Tok at(int offset) {
    Tok before = null;
    for (Tok t : toks) {
      if (t.start() <= offset && offset < t.end()) return t;
      if (t.end() == offset) before = t;
      if (t.start() > offset) break;
    }
    return before;
  }

  /** The index of the last token that starts before {@code offset}, or -1. */
  int lastBefore(int offset) {
    int lo = 0, hi = toks.size() - 1, found = -1;
    while (lo <= hi) {
      int mid = (lo + hi) >>> 1;
      if (toks.get(mid).start() < offset) {
        found = mid;
        lo = mid + 1;
      } else {
        hi = mid - 1;
      }
    }
    return found;
  }

  /** Source text from the start of token {@code from} to the end of token {@code to}, inclusive. */
  String slice(int from, int to) { return from > to ? "" : text.substring(toks.get(from).start(), toks.get(to).end()); }

  /** The {@code #} comment lines right above the token (no blank line between), without their {@code #}. */
  String docAbove(Tok t) {
    List<String> lines = new ArrayList<>();
    int limit = t.start();
    for (int i = comments.size() - 1; i >= 0; i--) {
      Token c = comments.get(i);
      if (c.getStartIndex() >= limit) continue;
      String between = text.substring(c.getStopIndex() + 1, limit);
      if (!between.isBlank() || between.chars().filter(ch -> ch == '\n').count() > 1) break;
      String body = c.getText();
      body = body.startsWith("#") ? body.substring(1) : body.replaceAll("^/\\*+|\\*+/$", "");
      lines.addFirst(body.startsWith(" ") ? body.substring(1) : body);
      limit = c.getStartIndex();
    }
    return String.join("\n", lines).strip();
  }

  /** Indices of the tokens that open top-level declarations ({@code block} or {@code network} at depth 0). */
  List<Integer> declStarts() {
    List<Integer> out = new ArrayList<>();
    for (Tok t : toks) {
      if (t.braceDepth() == 0 && (t.type() == NetLexer.BLOCK || t.type() == NetLexer.NETWORK)) out.add(t.index());
    }
    return out;
  }

  /** The token range {@code [start, end)} of the declaration around token {@code i}, or null outside any. */
  int[] declAround(int i) {
    List<Integer> starts = declStarts();
    int start = -1, end = toks.size();
    for (int s : starts) {
      if (s <= i) start = s;
      else {
        end = s;
        break;
      }
    }
    return start < 0 ? null : new int[] {start, end};
  }
}

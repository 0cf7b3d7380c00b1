package dev.netc.lsp;

import dev.netc.grammar.NetLexer;
import java.util.LinkedHashSet;
import java.util.Set;

/**
 * Where an offset sits relative to the call around it, read from tokens so that it works in text that does not
 * parse: the callee's name, the arguments already named, and whether the offset is where an argument starts
 * (after {@code (} or {@code ,}) or after {@code name:}.
 *
 * @param callee the called name, or null when the offset is in no call's parentheses
 * @param header the parentheses are a declaration's parameter list ({@code block B(...)})
 * @param argStart the offset is where an argument begins (a name may be typed)
 * @param afterColon the offset follows {@code name:} (a value is typed)
 * @param previousType the kind of the token before the offset (before the word being typed, if any)
 */
record CallContext(String callee, boolean header, Set<String> named, boolean argStart, boolean afterColon,
    int previousType) {

  /** The context at {@code offset} (a word being typed there is not part of it). */
  static CallContext at(Tokens t, int offset) {
    int last = t.lastBefore(offset);
    Tokens.Tok cur = t.get(last);
    // The word being typed is not context: look before it.
    if (cur != null && cur.isWord() && cur.end() >= offset) last--;
    int previous = t.type(last);
    int depth = 0;
    for (int i = last; i >= 0; i--) {
      int type = t.type(i);
      switch (type) {
        case NetLexer.RPAREN, NetLexer.RBRACK, NetLexer.RBRACE -> depth++;
        case NetLexer.LPAREN, NetLexer.LBRACK, NetLexer.LBRACE -> {
          if (depth > 0) {
            depth--;
            continue;
          }
          if (type != NetLexer.LPAREN || t.type(i - 1) != NetLexer.IDENT) {
            return new CallContext(null, false, Set.of(), false, false, previous);
          }
          int before = t.type(i - 2);
          boolean header = before == NetLexer.BLOCK || before == NetLexer.NETWORK;
          return new CallContext(t.get(i - 1).text(), header, named(t, i, last), previous == NetLexer.LPAREN
              || previous == NetLexer.COMMA, previous == NetLexer.COLON, previous);
        }
        default -> { }
      }
      if (depth == 0 && t.get(i).braceDepth() == 0 && (type == NetLexer.BLOCK || type == NetLexer.NETWORK)) break;
    }
    return new CallContext(null, false, Set.of(), false, false, previous);
  }

  private static Set<String> named(Tokens t, int open, int last) {
    Set<String> out = new LinkedHashSet<>();
    int depth = 0;
    for (int i = open + 1; i <= last; i++) {
      int type = t.type(i);
      if (type == NetLexer.LPAREN || type == NetLexer.LBRACK || type == NetLexer.LBRACE) depth++;
      else if (type == NetLexer.RPAREN || type == NetLexer.RBRACK || type == NetLexer.RBRACE) depth--;
      else if (depth == 0 && type == NetLexer.IDENT && t.type(i + 1) == NetLexer.COLON
          && (t.type(i - 1) == NetLexer.LPAREN || t.type(i - 1) == NetLexer.COMMA)) {
        out.add(t.get(i).text());
      }
    }
    return out;
  }
}

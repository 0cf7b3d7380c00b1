package dev.netc.compiler.syntax;

import dev.netc.grammar.NetLexer;
import java.util.ArrayList;
import java.util.List;
import org.antlr.v4.runtime.Token;
import org.antlr.v4.runtime.misc.IntervalSet;

/** Human words for token kinds, for "expected X, found Y". */
final class TokenNames {
  private TokenNames() {}

  static boolean isWord(int type) {
    return type != NetLexer.IDENT && type != NetLexer.INT && type != NetLexer.FLOAT && type != NetLexer.STRING
        && type != Token.EOF;
  }

  static String kind(int type, String text) {
    return switch (type) {
      case NetLexer.IDENT -> "name '" + text + "'";
      case NetLexer.INT -> "integer " + text;
      case NetLexer.FLOAT -> "number " + text;
      case NetLexer.STRING -> "string " + text;
      default -> "'" + text + "'";
    };
  }

  /** Tokens that can start an expression: a set holding them all reads "an expression". */
  private static final int[] EXPRESSION_START = {NetLexer.IDENT, NetLexer.INT, NetLexer.FLOAT, NetLexer.STRING,
      NetLexer.TRUE, NetLexer.FALSE, NetLexer.IN, NetLexer.NOT, NetLexer.IF, NetLexer.LPAREN, NetLexer.LBRACK,
      NetLexer.AT, NetLexer.MINUS, NetLexer.PLUS};

  /**
   * An expected-token set in words, most telling first: "an expression" for all expression starts, "a name" for a
   * name where keywords are names too, then literals, punctuation, keywords; at most 8 items.
   */
  static String describe(IntervalSet set) {
    List<Integer> types = new ArrayList<>(set.toList());
    List<String> names = new ArrayList<>();
    if (containsAll(types, EXPRESSION_START)) {
      names.add("an expression");
      for (int t : EXPRESSION_START) types.remove(Integer.valueOf(t));
    }
    List<Integer> keywords = types.stream().filter(TokenNames::isKeyword).toList();
    if (types.contains(NetLexer.IDENT) && keywords.size() >= KEYWORD_COUNT / 2) {
      // Where any word is a name (labels, bindings), the keywords are not alternatives worth listing.
      names.add("a name");
      types.remove(Integer.valueOf(NetLexer.IDENT));
      types.removeAll(keywords);
    }
    types.sort(java.util.Comparator.comparingInt(TokenNames::rank));
    for (int type : types) names.add(name(type));
    if (names.size() > 8) return "one of " + String.join(", ", names.subList(0, 8)) + ", ...";
    if (names.size() == 1) return names.getFirst();
    return "one of " + String.join(", ", names);
  }

  private static final int KEYWORD_COUNT =
      (int) java.util.stream.IntStream.rangeClosed(1, NetLexer.VOCABULARY.getMaxTokenType())
          .filter(TokenNames::isKeyword).count();

  private static boolean containsAll(List<Integer> types, int[] wanted) {
    for (int t : wanted) if (!types.contains(t)) return false;
    return true;
  }

  private static boolean isKeyword(int type) {
    String literal = NetLexer.VOCABULARY.getLiteralName(type);
    return literal != null && Character.isLetter(literal.charAt(1));
  }

  /** Literals and end of file first, then punctuation, then keywords, each in grammar order. */
  private static int rank(int type) {
    if (type == Token.EOF || NetLexer.VOCABULARY.getLiteralName(type) == null) return type - 1000;
    return isKeyword(type) ? type + 1000 : type;
  }

  private static String name(int type) {
    return switch (type) {
      case Token.EOF -> "end of file";
      case NetLexer.IDENT -> "a name";
      case NetLexer.INT -> "an integer";
      case NetLexer.FLOAT -> "a number";
      case NetLexer.STRING -> "a string";
      default -> {
        String literal = NetLexer.VOCABULARY.getLiteralName(type);
        yield literal != null ? literal : NetLexer.VOCABULARY.getDisplayName(type);
      }
    };
  }
}

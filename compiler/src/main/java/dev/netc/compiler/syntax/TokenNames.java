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

  static String describe(IntervalSet set) {
    List<String> names = new ArrayList<>();
    for (int type : set.toArray()) {
      names.add(switch (type) {
        case Token.EOF -> "end of file";
        case NetLexer.IDENT -> "a name";
        case NetLexer.INT -> "an integer";
        case NetLexer.FLOAT -> "a number";
        case NetLexer.STRING -> "a string";
        default -> {
          String literal = NetLexer.VOCABULARY.getLiteralName(type);
          yield literal != null ? literal : NetLexer.VOCABULARY.getDisplayName(type);
        }
      });
    }
    if (names.size() > 8) return "one of " + String.join(", ", names.subList(0, 8)) + ", ...";
    if (names.size() == 1) return names.getFirst();
    return "one of " + String.join(", ", names);
  }
}

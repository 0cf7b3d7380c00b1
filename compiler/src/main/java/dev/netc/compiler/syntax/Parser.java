package dev.netc.compiler.syntax;

import dev.netc.compiler.diag.Code;
import dev.netc.compiler.diag.Diagnostic;
import dev.netc.compiler.diag.Diagnostics;
import dev.netc.compiler.diag.Source;
import dev.netc.compiler.diag.Span;
import dev.netc.compiler.diag.UserError;
import dev.netc.grammar.NetLexer;
import dev.netc.grammar.NetParser;
import java.util.ArrayList;
import java.util.List;
import org.antlr.v4.runtime.BailErrorStrategy;
import org.antlr.v4.runtime.BaseErrorListener;
import org.antlr.v4.runtime.CharStreams;
import org.antlr.v4.runtime.CommonToken;
import org.antlr.v4.runtime.CommonTokenStream;
import org.antlr.v4.runtime.DefaultErrorStrategy;
import org.antlr.v4.runtime.InputMismatchException;
import org.antlr.v4.runtime.NoViableAltException;
import org.antlr.v4.runtime.RecognitionException;
import org.antlr.v4.runtime.Recognizer;
import org.antlr.v4.runtime.Token;
import org.antlr.v4.runtime.atn.ATNConfig;
import org.antlr.v4.runtime.atn.PredictionMode;
import org.antlr.v4.runtime.misc.IntervalSet;
import org.antlr.v4.runtime.misc.ParseCancellationException;

/**
 * Text to {@link Ast.File}. Fast SLL parse first; on failure, a full LL parse with error recovery that reports
 * every syntax error as a diagnostic ("expected X, found Y" at the offending token). ANTLR's console listener is
 * removed: nothing is ever printed from here, and a file with syntax errors never reaches elaboration.
 */
public final class Parser {
  /** Brackets deeper than this are refused before parsing, so hostile input cannot overflow the stack. */
  public static final int MAX_NESTING = 200;

  private Parser() {}

  /** Parses a source, throwing {@link UserError} with all syntax diagnostics if there are any. */
  public static Ast.File parse(Source source) {
    Diagnostics diags = new Diagnostics();
    CommonTokenStream tokens = lex(source, diags);
    diags.throwIfErrors();
    NetParser.FileContext tree;
    try {
      tree = parseTree(source, tokens, diags);
    } catch (StackOverflowError e) {
      throw new UserError(Diagnostic.error(Code.NET003, new Span(source, 0, 0),
          "the program is nested too deeply to parse (expressions or blocks)"));
    }
    diags.throwIfErrors();
    try {
      Ast.File file = new AstBuilder(source, diags).file(tree);
      diags.throwIfErrors();
      return file;
    } catch (StackOverflowError e) {
      throw new UserError(Diagnostic.error(Code.NET003, new Span(source, 0, 0),
          "the program is nested too deeply (expressions or blocks)"));
    }
  }

  /** The token stream, including hidden comments: the formatter needs them. */
  public static CommonTokenStream lex(Source source, Diagnostics diags) {
    NetLexer lexer = new NetLexer(CharStreams.fromString(source.text(), source.name()));
    lexer.removeErrorListeners();
    CommonTokenStream tokens = new CommonTokenStream(lexer);
    tokens.fill();
    toUtf16Offsets(tokens.getTokens(), source.text());
    int depth = 0;
    for (Token t : tokens.getTokens()) {
      switch (t.getType()) {
        case NetLexer.BAD_CHAR -> diags.add(Diagnostic.error(Code.NET001, span(source, t),
            "unexpected character " + describeChar(t.getText())));
        case NetLexer.UNTERMINATED_STRING -> diags.add(Diagnostic.error(Code.NET004, span(source, t),
            "string is not closed: expected '\"' before the end of the line"));
        case NetLexer.UNTERMINATED_COMMENT -> diags.add(Diagnostic.error(Code.NET004,
            new Span(source, t.getStartIndex(), t.getStartIndex() + 2), "comment is not closed: expected '*/'"));
        case NetLexer.LPAREN, NetLexer.LBRACE, NetLexer.LBRACK -> {
          if (++depth > MAX_NESTING) {
            diags.add(Diagnostic.error(Code.NET003, span(source, t),
                "brackets nested more than " + MAX_NESTING + " deep"));
            return tokens;
          }
        }
        case NetLexer.RPAREN, NetLexer.RBRACE, NetLexer.RBRACK -> depth = Math.max(0, depth - 1);
        default -> {}
      }
      if (diags.isFull()) break;
    }
    return tokens;
  }

  /**
   * ANTLR's char stream indexes code points; {@link Span} and {@link Source} index UTF-16 units, as editors do. A
   * file with characters beyond U+FFFF (an emoji in a comment) would otherwise get every later position wrong, so
   * token offsets are converted once, here. Each token keeps its text, which ANTLR would else re-read from the
   * char stream with the converted offsets.
   */
  private static void toUtf16Offsets(List<Token> tokens, String text) {
    if (text.codePoints().count() == text.length()) return;
    int cp = 0;
    int unit = 0;
    for (Token t : tokens) {
      if (!(t instanceof CommonToken c)) continue;
      c.setText(c.getText());
      while (cp < c.getStartIndex() && unit < text.length()) {
        unit += Character.charCount(text.codePointAt(unit));
        cp++;
      }
      int start = unit;
      int cpEnd = cp;
      int unitEnd = unit;
      while (cpEnd < c.getStopIndex() + 1 && unitEnd < text.length()) {
        unitEnd += Character.charCount(text.codePointAt(unitEnd));
        cpEnd++;
      }
      c.setStartIndex(start);
      c.setStopIndex(unitEnd - 1);
    }
  }

  /**
   * An expression written inside a string token (a quoted label's {@code {placeholder}}): {@code text} begins at
   * UTF-16 offset {@code offset} of the source, so its tokens and every span built from them point into the file.
   * Syntax errors go to {@code diags}; the result is then null.
   */
  static NetParser.ExprContext parseEmbedded(Source source, String text, int offset, Diagnostics diags) {
    NetLexer lexer = new NetLexer(CharStreams.fromString(text, source.name()));
    lexer.removeErrorListeners();
    CommonTokenStream tokens = new CommonTokenStream(lexer);
    tokens.fill();
    toUtf16Offsets(tokens.getTokens(), text);
    for (Token t : tokens.getTokens()) {
      if (t instanceof CommonToken c) {
        c.setText(c.getText());
        c.setStartIndex(c.getStartIndex() + offset);
        c.setStopIndex(c.getStopIndex() + offset);
      }
    }
    for (Token t : tokens.getTokens()) {
      if (t.getType() == NetLexer.BAD_CHAR || t.getType() == NetLexer.UNTERMINATED_STRING
          || t.getType() == NetLexer.UNTERMINATED_COMMENT) {
        diags.add(Diagnostic.error(Code.NET001, span(source, t), "unexpected " + describe(t) + " in a label's {...}"));
        return null;
      }
    }
    NetParser parser = new NetParser(tokens);
    parser.removeErrorListeners();
    Diagnostics local = new Diagnostics();
    parser.addErrorListener(new Listener(source, local, offset + text.length()));
    NetParser.ExprContext expr = parser.expr();
    if (local.hasErrors()) {
      diags.addAll(local.all());
      return null;
    }
    Token next = tokens.LT(1);
    if (next.getType() != Token.EOF) {
      diags.add(Diagnostic.error(Code.NET001, span(source, next), "unexpected " + describe(next)
          + " in a label's {...}: expected one expression"));
      return null;
    }
    return expr;
  }

  private static NetParser.FileContext parseTree(Source source, CommonTokenStream tokens, Diagnostics diags) {
    NetParser parser = new NetParser(tokens);
    parser.removeErrorListeners();
    parser.getInterpreter().setPredictionMode(PredictionMode.SLL);
    parser.setErrorHandler(new BailErrorStrategy());
    try {
      return parser.file();
    } catch (ParseCancellationException e) {
      tokens.seek(0);
      parser.reset();
      parser.getInterpreter().setPredictionMode(PredictionMode.LL);
      parser.setErrorHandler(new DefaultErrorStrategy());
      parser.addErrorListener(new Listener(source, diags, -1));
      return parser.file();
    }
  }

  private static final class Listener extends BaseErrorListener {
    private final Source source;
    private final Diagnostics diags;
    private int lastLine = -1;

    /** Where an embedded expression ends (its closing '}'), or -1 for a whole file. */
    private final int embeddedEnd;

    Listener(Source source, Diagnostics diags, int embeddedEnd) {
      this.embeddedEnd = embeddedEnd;
      this.source = source;
      this.diags = diags;
    }

    @Override
    public void syntaxError(Recognizer<?, ?> recognizer, Object offending, int line, int col, String msg,
        RecognitionException e) {
      Token t = (Token) offending;
      // One error per line: after recovery, later errors on the same line are almost always echoes of the first.
      if (t.getType() != Token.EOF && line == lastLine) return;
      lastLine = line;
      IntervalSet expected = e != null ? e.getExpectedTokens()
          : ((org.antlr.v4.runtime.Parser) recognizer).getExpectedTokens();
      boolean braceEnd = embeddedEnd >= 0 && t.getType() == Token.EOF;
      String found = braceEnd ? "'}'" : describe(t);
      String message;
      if (e instanceof NoViableAltException nva) {
        IntervalSet viable = viableAfterPrefix(recognizer, nva);
        message = viable.isNil() ? "unexpected " + found + expectedSuffix(expected)
            : "expected " + TokenNames.describe(viable) + ", found " + found;
      } else if (e instanceof InputMismatchException || e == null) {
        message = expected == null || expected.isNil() ? "unexpected " + found
            : "expected " + TokenNames.describe(expected) + ", found " + found;
      } else {
        message = "unexpected " + found;
      }
      Span at = braceEnd ? new Span(source, embeddedEnd, embeddedEnd + 1) : span(source, t);
      diags.add(Diagnostic.error(Code.NET001, at, message));
    }

    /**
     * What could have come instead of the offending token. For a failed prediction ANTLR's "expected tokens" are
     * those of the decision's start, which may lie tokens before the error ({@code let = 3} fails at '=' on a
     * decision made at 'let'); the dead-end configurations say what was viable right at the error.
     */
    private static IntervalSet viableAfterPrefix(Recognizer<?, ?> recognizer, NoViableAltException e) {
      IntervalSet out = new IntervalSet();
      if (e.getDeadEndConfigs() == null) return out;
      for (ATNConfig c : e.getDeadEndConfigs()) out.addAll(recognizer.getATN().nextTokens(c.state));
      out.remove(Token.EPSILON);
      return out;
    }

    private static String expectedSuffix(IntervalSet expected) {
      return expected == null || expected.isNil() || expected.size() > 8 ? ""
          : " (expected " + TokenNames.describe(expected) + ")";
    }
  }

  static String describe(Token t) {
    if (t.getType() == Token.EOF) return "end of file";
    String text = t.getText();
    if (text.length() > 40) text = text.substring(0, 37) + "...";
    return TokenNames.isWord(t.getType()) ? "'" + text + "'" : TokenNames.kind(t.getType(), text);
  }

  private static String describeChar(String text) {
    int cp = text.codePointAt(0);
    return cp < 0x20 || cp == 0x7f || Character.isWhitespace(cp)
        ? String.format("U+%04X", cp) : String.format("'%s' (U+%04X)", text, cp);
  }

  static Span span(Source source, Token t) {
    if (t.getType() == Token.EOF) {
      int end = source.text().length();
      return new Span(source, end, end);
    }
    int start = Math.max(0, t.getStartIndex());
    return new Span(source, start, Math.max(start, t.getStopIndex() + 1));
  }

  /** For tests and tools: all diagnostics a source would produce in parsing, without throwing. */
  public static List<Diagnostic> check(Source source) {
    try {
      parse(source);
      return List.of();
    } catch (UserError e) {
      return new ArrayList<>(e.diagnostics());
    }
  }
}

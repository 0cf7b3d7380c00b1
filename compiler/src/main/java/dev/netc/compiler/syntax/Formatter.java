package dev.netc.compiler.syntax;

import dev.netc.compiler.diag.Code;
import dev.netc.compiler.diag.Diagnostic;
import dev.netc.compiler.diag.Diagnostics;
import dev.netc.compiler.diag.Source;
import dev.netc.compiler.diag.Span;
import dev.netc.compiler.diag.UserError;
import dev.netc.grammar.NetParser;
import java.util.BitSet;
import java.util.List;
import org.antlr.v4.runtime.BailErrorStrategy;
import org.antlr.v4.runtime.CommonTokenStream;
import org.antlr.v4.runtime.Token;
import org.antlr.v4.runtime.atn.PredictionMode;
import org.antlr.v4.runtime.misc.ParseCancellationException;

/**
 * {@code netc fmt}: the canonical text of a .net file. The style, in full:
 * <ul>
 *   <li>Two spaces per indentation level; no tabs, no trailing whitespace; the file ends with one newline.</li>
 *   <li>Imports one per line; exactly one empty line after them and between top-level declarations.</li>
 *   <li>One statement per line, <code>{</code> on the line of what it opens. Between statements, one empty line
 *       where the source had one or more, none otherwise.</li>
 *   <li>A body that is not a declaration's and holds a single simple statement (one with no braces of its own)
 *       stays on one line if it fits: {@code layer1: stage { repeat 3: Bottleneck(64) }}. So does one of two to six
 *       such layers that was written on one line: {@code concat { @a; @b; @c }} (kept as written). Every other body
 *       has one statement per line, and declaration bodies always do.</li>
 *   <li>Argument, parameter, tuple and list brackets print on one line when they fit in 100 columns, else one item
 *       per line with a trailing comma (tuple types, which the grammar gives no trailing comma, excepted). A call
 *       whose only argument is a list or tuple hugs it: {@code f([}, the items, {@code ])}.
 *       Expressions never break across lines.</li>
 *   <li>{@code label: layer}, {@code name: type = default}, {@code name: value}, {@code , } between items, one space
 *       around binary operators, {@code -x} and {@code not x}, {@code -> name}.</li>
 *   <li>No {@code ;}, except before a statement that starts with {@code [} where the {@code [} would otherwise
 *       continue the statement before it as an index: after a {@code let}, {@code @x} or {@code -> x}. No empty
 *       {@code ()} after a network's name.</li>
 *   <li>Parentheses exactly where precedence needs them; literals exactly as written ({@code 1_000}, {@code 1e-5}).
 *       Kept as written too: {@code else { if ... }} versus {@code else if}, {@code relu} versus {@code relu()}.</li>
 *   <li>Comments are all kept, in order, with their text (trailing whitespace aside): a comment that ends a line
 *       stays at the end of that line, one on a line of its own stays on a line of its own, an inline block
 *       comment stays inline (see {@link FormatComments}).</li>
 * </ul>
 * Guarantees: {@code format(format(x)) == format(x)}; {@code format(x)} parses to the same AST as {@code x} and has
 * the same comments, which every call checks before returning (a failure is an {@link InternalError}, never a
 * damaged file).
 */
public final class Formatter {
  private Formatter() {}

  /** The canonical text of {@code source}; throws {@link UserError} with its diagnostics if it does not parse. */
  public static String format(Source source) {
    Ast.File ast = Parser.parse(source);
    try {
      CommonTokenStream tokens = Parser.lex(source, new Diagnostics());
      NetParser.FileContext tree = parseTree(tokens);
      // First pass: which tokens are left out. Comments are then attached around them, never to them.
      FormatPrinter dry = new FormatPrinter(FormatComments.none(), tokens.getTokens());
      dry.file(tree);
      FormatPrinter printer = new FormatPrinter(FormatComments.of(tokens.getTokens(), dry.dropped()),
          tokens.getTokens());
      String out = FormatRenderer.render(printer.file(tree));
      checkEveryTokenVisited(tokens.getTokens(), printer);
      FormatVerifier.verify(source, ast, out);
      return out;
    } catch (StackOverflowError e) {
      throw new UserError(Diagnostic.error(Code.NET003, new Span(source, 0, 0),
          "the program is nested too deeply to format"));
    }
  }

  private static NetParser.FileContext parseTree(CommonTokenStream tokens) {
    NetParser parser = new NetParser(tokens);
    parser.removeErrorListeners();
    parser.setErrorHandler(new BailErrorStrategy());
    parser.getInterpreter().setPredictionMode(PredictionMode.SLL);
    try {
      return parser.file();
    } catch (ParseCancellationException e) {
      // SLL can fail on valid input; full LL cannot, since Parser.parse accepted the file.
      tokens.seek(0);
      parser.reset();
      parser.getInterpreter().setPredictionMode(PredictionMode.LL);
      return parser.file();
    }
  }

  /** Each significant token printed or dropped exactly once: its comments were printed exactly once. */
  private static void checkEveryTokenVisited(List<Token> tokens, FormatPrinter printer) {
    BitSet visited = printer.visited();
    for (Token t : tokens) {
      if (t.getChannel() == Token.DEFAULT_CHANNEL && !visited.get(t.getTokenIndex())) {
        throw new InternalError("formatter bug: token '" + t.getText() + "' at " + t.getLine() + ":"
            + (t.getCharPositionInLine() + 1) + " was not visited");
      }
    }
    if (!printer.visitedTwice().isEmpty()) {
      throw new InternalError("formatter bug: a token was visited twice");
    }
  }
}

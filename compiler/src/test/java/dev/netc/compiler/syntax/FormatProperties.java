package dev.netc.compiler.syntax;

import static org.junit.jupiter.api.Assertions.assertEquals;

import dev.netc.compiler.diag.Diagnostics;
import dev.netc.compiler.diag.Source;
import dev.netc.compiler.diag.Span;
import dev.netc.compiler.diag.UserError;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Random;
import net.jqwik.api.Arbitraries;
import net.jqwik.api.Arbitrary;
import net.jqwik.api.ForAll;
import net.jqwik.api.Property;
import net.jqwik.api.Provide;
import org.antlr.v4.runtime.Token;

/**
 * {@code fmt} on random well-formed programs ({@link NetProgramGen}): idempotent, the same AST (positions aside) and
 * the same comments in the same order. The AST and comment comparisons here are the test's own, independent of
 * the formatter's built-in check.
 */
class FormatProperties {
  private static final Path FILE = Path.of("gen.net");

  @Provide
  Arbitrary<String> programs() {
    return Arbitraries.randomValue(r -> NetProgramGen.program(r, false));
  }

  @Provide
  Arbitrary<String> commentedPrograms() {
    return Arbitraries.randomValue(r -> NetProgramGen.program(r, true));
  }

  @Property(tries = 400)
  void formatIsIdempotentAndKeepsTheAst(@ForAll("programs") String program) {
    check(program);
  }

  @Property(tries = 400)
  void formatKeepsCommentsWherever(@ForAll("commentedPrograms") String program) {
    check(program);
  }

  static void check(String program) {
    Source source = new Source(FILE, program);
    Ast.File before = parseOrFail(source, "the generated program");
    String once = Formatter.format(source);
    Source formatted = new Source(FILE, once);
    Ast.File after = parseOrFail(formatted, "the formatted program");
    assertEquals(shape(before), shape(after), () -> "AST changed by formatting:\n" + program + "\n----\n" + once);
    assertEquals(comments(source), comments(formatted), () -> "comments changed:\n" + program + "\n----\n" + once);
    String twice = Formatter.format(formatted);
    assertEquals(once, twice, () -> "not idempotent; input:\n" + program);
  }

  private static Ast.File parseOrFail(Source s, String what) {
    try {
      return Parser.parse(s);
    } catch (UserError e) {
      throw new AssertionError(what + " does not parse: " + e.diagnostics().getFirst().headline() + "\n" + s.text());
    }
  }

  /** Comment texts in order, trailing whitespace and line endings aside (the formatter normalizes those). */
  static List<String> comments(Source s) {
    List<String> out = new ArrayList<>();
    for (Token t : Parser.lex(s, new Diagnostics()).getTokens()) {
      if (t.getChannel() == Token.HIDDEN_CHANNEL && !t.getText().isBlank()) {
        out.add(t.getText().replace("\r\n", "\n").replace('\r', '\n').replaceAll("[ \t\f]+\n", "\n").stripTrailing());
      }
    }
    return out;
  }

  /** A node's components without spans, recursively: equal for two parses that differ only in layout. */
  static Object shape(Object node) {
    if (node instanceof List<?> list) return list.stream().map(FormatProperties::shape).toList();
    if (!(node instanceof Record rec)) return node;
    List<Object> out = new ArrayList<>();
    out.add(rec.getClass().getSimpleName());
    for (var c : rec.getClass().getRecordComponents()) {
      if (c.getType() == Span.class || c.getType() == Source.class) continue;
      try {
        out.add(shape(c.getAccessor().invoke(rec)));
      } catch (ReflectiveOperationException e) {
        throw new AssertionError(e);
      }
    }
    return out;
  }

  /** For reproducing a failure by hand: prints one generated program. */
  public static void main(String[] args) {
    System.out.println(NetProgramGen.program(new Random(Long.parseLong(args[0])), true));
  }
}

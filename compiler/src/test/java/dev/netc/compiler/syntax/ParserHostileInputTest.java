package dev.netc.compiler.syntax;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.netc.compiler.diag.Code;
import dev.netc.compiler.diag.Diagnostic;
import dev.netc.compiler.diag.DiagnosticRenderer;
import dev.netc.compiler.diag.Source;
import dev.netc.compiler.diag.UserError;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.util.List;
import java.util.concurrent.Callable;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

/**
 * The hostile inputs of the front end: empty and binary files, invalid UTF-8, megabyte lines, nesting 10,000 deep,
 * unterminated strings and comments, stray characters, many errors in one file. Each must end in diagnostics with
 * a code and a valid position, never in another exception, and never in a stack overflow: everything runs on a
 * 512 KiB stack ({@link SmallStack}).
 */
class ParserHostileInputTest {
  private static final int DEEP = 10_000;
  private static final int MEGABYTE = 1 << 20;
  private static final Path FILE = Path.of("hostile.net");

  /** The diagnostics of parsing {@code text} (none if it parses), each checked for a valid position. */
  static List<Diagnostic> parse(String text) {
    Source source = new Source(FILE, text);
    List<Diagnostic> diags = onSmallStack(() -> {
      try {
        Parser.parse(source);
        return List.of();
      } catch (UserError e) {
        return e.diagnostics();
      }
    });
    diags.forEach(d -> assertValidPosition(d, source));
    return diags;
  }

  /** The formatted text, or the diagnostics' headlines, of {@code text}, on a small stack. */
  static String format(String text) {
    Source source = new Source(FILE, text);
    return onSmallStack(() -> {
      try {
        return Formatter.format(source);
      } catch (UserError e) {
        e.diagnostics().forEach(d -> assertValidPosition(d, source));
        return "error: " + e.diagnostics().getFirst().headline();
      }
    });
  }

  private static <T> T onSmallStack(Callable<T> body) {
    SmallStack.Outcome<T> o = SmallStack.run(body);
    if (o.thrown() != null) throw new AssertionError("not a diagnostic: " + o.thrown(), o.thrown());
    return o.value();
  }

  /** The span lies in the file, its line and column exist, and the diagnostic renders. */
  static void assertValidPosition(Diagnostic d, Source source) {
    assertTrue(d.span().source() == source, () -> "span of another source: " + d.headline());
    int length = source.text().length();
    assertTrue(0 <= d.span().start() && d.span().start() <= d.span().end() && d.span().end() <= length,
        () -> "span " + d.span().start() + ".." + d.span().end() + " outside 0.." + length + ": " + d.headline());
    int line = d.span().line();
    assertTrue(1 <= line && line <= source.lineCount(), () -> "line " + line + " of " + source.lineCount());
    int column = d.span().column();
    int lineStart = source.offsetOf(line, 1);
    int lineEnd = source.text().indexOf('\n', lineStart);
    int lineLength = (lineEnd < 0 ? length : lineEnd) - lineStart; // with a '\r' before the '\n', if any
    assertTrue(1 <= column && column <= lineLength + 1,
        () -> "column " + column + " on a line of " + lineLength + ": " + d.headline());
    assertFalse(new DiagnosticRenderer(false).render(d).isEmpty());
  }

  private static Diagnostic only(List<Diagnostic> diags) {
    assertEquals(1, diags.size(), () -> "expected one diagnostic, got " + diags);
    return diags.getFirst();
  }

  // ---- not text ----

  @Test
  void emptyFileIsAnEmptyProgram() {
    assertEquals(List.of(), parse(""));
    assertEquals(List.of(), parse(" \n\t\r\n"));
    assertEquals("", format(""));
    assertEquals("# only a comment\n", format("\n\n# only a comment   \n\n"));
  }

  @Test
  void binaryFileIsRefusedAtItsFirstNulByte() {
    byte[] bytes = "network N {\n  relu\u0000\u0001\u0002 }".getBytes(StandardCharsets.UTF_8);
    Diagnostic d = decodeError(bytes);
    assertEquals(Code.NET002, d.code());
    assertEquals("hostile.net:2:7", d.span().location());
    assertTrue(d.message().contains("NUL byte at offset 18"), d.message());

    // Positions count characters, not bytes: 'é' is two bytes before the NUL.
    assertEquals("hostile.net:1:4", decodeError("# é\u0000".getBytes(StandardCharsets.UTF_8)).span().location());

    byte[] png = {(byte) 0x89, 'P', 'N', 'G', '\r', '\n', 0x1a, '\n', 0, 0, 0, 13};
    assertEquals(Code.NET002, decodeError(png).code());
  }

  @ParameterizedTest
  @ValueSource(strings = {"80", "c3", "c3 28", "c0 af", "ed a0 80", "ff", "f4 90 80 80", "e2 82"})
  void invalidUtf8IsRefusedAtItsFirstBadByte(String hex) {
    byte[] prefix = "network N {\n  relu # é\n  ".getBytes(StandardCharsets.UTF_8);
    byte[] bad = java.util.HexFormat.ofDelimiter(" ").parseHex(hex);
    byte[] bytes = new byte[prefix.length + bad.length + 3];
    System.arraycopy(prefix, 0, bytes, 0, prefix.length);
    System.arraycopy(bad, 0, bytes, prefix.length, bad.length);
    bytes[bytes.length - 3] = ' ';
    bytes[bytes.length - 2] = '}';
    bytes[bytes.length - 1] = '\n';
    Diagnostic d = decodeError(bytes);
    assertEquals(Code.NET002, d.code());
    assertEquals("hostile.net:3:3", d.span().location());
    assertTrue(d.message().contains("invalid UTF-8 at byte offset " + prefix.length), d.message());
  }

  @Test
  void byteOrderMarkIsAccepted() {
    byte[] text = "network N { relu }".getBytes(StandardCharsets.UTF_8);
    byte[] bytes = new byte[text.length + 3];
    bytes[0] = (byte) 0xEF;
    bytes[1] = (byte) 0xBB;
    bytes[2] = (byte) 0xBF;
    System.arraycopy(text, 0, bytes, 3, text.length);
    assertEquals("network N { relu }", SourceReader.decode(FILE, bytes).text());
  }

  private static Diagnostic decodeError(byte[] bytes) {
    try {
      SourceReader.decode(FILE, bytes);
    } catch (UserError e) {
      Diagnostic d = only(e.diagnostics());
      assertValidPosition(d, d.span().source());
      return d;
    }
    throw new AssertionError("decoded without a diagnostic");
  }

  // ---- size and depth ----

  @Test
  void megabyteLineOfOneNameIsOneSyntaxError() {
    Diagnostic d = only(parse("x".repeat(MEGABYTE)));
    assertEquals(Code.NET001, d.code());
    assertEquals("hostile.net:1:1", d.span().location());
    assertTrue(d.message().startsWith("expected one of end of file, 'import', 'block', 'network', found name 'xxx"),
        d.message());
    assertTrue(d.message().length() < 200, "the message quotes a bounded excerpt");
    assertTrue(new DiagnosticRenderer(false).render(d).length() < 1000, "the rendered line is a bounded window");
  }

  @Test
  void megabyteLineOfAdditionsIsSafe() {
    String text = "network N { let a = " + "1+".repeat(MEGABYTE / 2) + "1 }";
    List<Diagnostic> diags = parse(text);
    // 500,000 operators nest 500,000 deep: parsed, or refused as too deep, but never a crash.
    diags.forEach(d -> assertEquals(Code.NET003, d.code(), d.headline()));
    assertTrue(format(text).startsWith(diags.isEmpty() ? "network N {" : "error: "));
  }

  @ParameterizedTest
  @ValueSource(strings = {"(", "[", "{ stage "})
  void bracketsNestedTenThousandDeepAreRefused(String open) {
    String close = switch (open) {
      case "(" -> ")";
      case "[" -> "]";
      default -> "}";
    };
    String prefix = "network N { let a = ";
    String text = prefix + open.repeat(DEEP) + "1" + close.repeat(DEEP) + " }";
    Diagnostic d = only(parse(text));
    assertEquals(Code.NET003, d.code());
    assertEquals("brackets nested more than " + Parser.MAX_NESTING + " deep", d.message());
    // At the first bracket past the limit: the network's own brace counts as one.
    int column = prefix.length() + open.length() * (Parser.MAX_NESTING - 1) + 1;
    assertEquals("hostile.net:1:" + column, d.span().location());
    assertTrue(format(text).startsWith("error: hostile.net:1:" + column));
  }

  @ParameterizedTest
  @ValueSource(strings = {"- ", "-", "+ ", "not ", "if c then 1 else ", "2 ** ", "a and ", "x < "})
  void prefixAndOperatorChainsTenThousandDeepAreSafe(String link) {
    String text = "network N { let a = " + link.repeat(DEEP) + "1 }";
    List<Diagnostic> diags = parse(text);
    diags.forEach(d -> assertEquals(Code.NET003, d.code(), d.headline()));
    assertFalse(format(text).isEmpty());
  }

  @ParameterizedTest
  @ValueSource(strings = {".y", "[0]", "(1)"})
  void postfixChainsTenThousandLongAreSafe(String link) {
    String text = "network N { let a = x" + link.repeat(DEEP) + " }";
    List<Diagnostic> diags = parse(text);
    diags.forEach(d -> assertTrue(d.code() == Code.NET003 || d.code() == Code.NET001, d.headline()));
    assertFalse(format(text).isEmpty());
  }

  @Test
  void elseIfChainTenThousandLongIsSafe() {
    String text = "network N { " + "if a {} else ".repeat(DEEP) + "{} }";
    parse(text).forEach(d -> assertEquals(Code.NET003, d.code(), d.headline()));
    assertFalse(format(text).isEmpty());
  }

  @Test
  void deepButReasonableProgramsParseAndFormat() {
    String text = "network N {\n  let a = " + "-(".repeat(150) + "1" + ")".repeat(150) + "\n}\n";
    assertEquals(List.of(), parse(text));
    assertEquals("network N {\n  let a = " + "- ".repeat(149) + "-1\n}\n", format(text));
    String stages = "network N " + "{ stage ".repeat(100) + "{ relu }" + " }".repeat(100);
    assertEquals(List.of(), parse(stages));
  }

  // ---- unterminated and stray ----

  @Test
  void unterminatedStringIsReportedWhereItStarts() {
    Diagnostic d = only(parse("network N {\n  let s = \"abc\n}\n"));
    assertEquals(Code.NET004, d.code());
    assertEquals("hostile.net:2:11", d.span().location());
    assertEquals("string is not closed: expected '\"' before the end of the line", d.message());
  }

  @Test
  void unterminatedCommentIsReportedWhereItStarts() {
    Diagnostic d = only(parse("network N {\n  relu /* never closed\n}\n"));
    assertEquals(Code.NET004, d.code());
    assertEquals("hostile.net:2:8", d.span().location());
    assertEquals("comment is not closed: expected '*/'", d.message());
  }

  @Test
  void closedBlockCommentIsAComment() {
    assertEquals(List.of(), parse("network N { /* a comment */ relu /* another\n one */ }"));
    assertEquals(List.of(), parse("network N { /** stars * inside **/ relu /***/ }"));
  }

  @Test
  void unterminatedBlockCommentAfterAClosedOneIsReported() {
    Diagnostic d = only(parse("network N { /* closed */ relu }\n/* open * to the end"));
    assertEquals(Code.NET004, d.code());
    assertEquals("hostile.net:2:1", d.span().location());
  }

  @Test
  void strayCharacterIsNamedWithItsPosition() {
    Diagnostic d = only(parse("network N {\n  relu $\n}\n"));
    assertEquals(Code.NET001, d.code());
    assertEquals("hostile.net:2:8", d.span().location());
    assertEquals("unexpected character '$' (U+0024)", d.message());

    Diagnostic bell = only(parse("network N {\n  relu \u0007\n}\n"));
    assertEquals("unexpected character U+0007", bell.message());
  }

  @Test
  void positionsCountUtf16UnitsAfterCharactersBeyondTheBmp() {
    String line = "network N { let s = \"😀 and 😀\"; relu $ }";
    Diagnostic d = only(parse("# 😀😀 in a comment\n" + line));
    assertEquals("hostile.net:2:" + (line.indexOf('$') + 1), d.span().location());
    Diagnostic e = only(parse("network N { let s = \"😀\" + }"));
    assertEquals("hostile.net:1:" + ("network N { let s = \"😀\" + }".indexOf('}') + 1), e.span().location());
  }

  // ---- many errors ----

  @Test
  void severalSyntaxErrorsAreEachReportedAtTheirToken() {
    String text = """
        block Conv(c: int) {
          conv(c, 3
          relu
        }

        network N(a: int = ) {
          input image: [3, 224, 224]
          let = 3
          relu
          conv(1,, 2)
          relu
          Conv(64) -> 3
          relu
          residual when { relu }
          relu
          x: [relu,, conv]
          let y = 3 +
        }
        """;
    List<String> got = parse(text).stream().map(d -> d.span().line() + ":" + d.span().column() + " " + d.message())
        .toList();
    assertEquals(List.of(
        "3:3 expected ')', found name 'relu'",
        "6:20 expected an expression, found ')'",
        "8:7 expected one of a name, '[', ':', found '='",
        "10:10 expected ')', found ','",
        "12:15 expected a name, found integer 3",
        "14:17 expected an expression, found '{'",
        "16:12 expected one of a name, a string, '[', ']', '@', found ','",
        "18:1 expected an expression, found '}'"), got);
  }
}

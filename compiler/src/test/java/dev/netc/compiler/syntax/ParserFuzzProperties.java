package dev.netc.compiler.syntax;

import dev.netc.compiler.diag.Diagnostic;
import dev.netc.compiler.diag.Source;
import dev.netc.compiler.diag.UserError;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Random;
import java.util.stream.Stream;
import net.jqwik.api.Arbitraries;
import net.jqwik.api.Arbitrary;
import net.jqwik.api.ForAll;
import net.jqwik.api.Property;
import net.jqwik.api.Provide;
import net.jqwik.api.constraints.Size;
import net.jqwik.api.constraints.StringLength;
import org.antlr.v4.runtime.Token;

/**
 * The front end never throws anything but {@link UserError} on any input, and every diagnostic it gives points
 * into the file: random strings (ASCII, printable, any UTF-16), random bytes through {@link SourceReader#decode},
 * soups of the language's own tokens, and mutations of valid programs (characters and tokens deleted, inserted,
 * duplicated, swapped). Mutants that still parse must format, idempotently.
 */
class ParserFuzzProperties {
  private static final Path FILE = Path.of("fuzz.net");
  private static final String[] TOKENS = {"network", "block", "import", "let", "input", "head", "if", "then",
      "else", "repeat", "as", "residual", "shortcut", "when", "stage", "seq", "gate", "in", "true", "false", "and",
      "or", "not", "->", "(", ")", "{", "}", "[", "]", ",", ":", ";", ".", "@", "=", "==", "!=", "<", "<=", "**",
      "*", "/", "//", "%", "+", "-", "x", "conv", "64", "1e-5", "1_000", "\"s\"", "# c\n", "/* c */", "\n", "\"",
      "/*", "$", "\u0000", "😀", "\uD800", "99999999999999999999", "1e999"};
  private static final String INSERTS = "()[]{},;:.@=-+*/#\"\n\t\u0000é😀\uD800x1 ";

  @Property(tries = 300)
  void asciiStrings(@ForAll @StringLength(max = 300) String text) {
    check(text);
  }

  @Provide
  Arbitrary<String> printable() {
    return Arbitraries.strings().withCharRange(' ', '~').withChars('\n', '\t').ofMaxLength(300);
  }

  @Property(tries = 300)
  void printableStrings(@ForAll("printable") String text) {
    check(text);
  }

  @Provide
  Arbitrary<String> anyChars() {
    return Arbitraries.strings().all().ofMaxLength(200);
  }

  @Property(tries = 300)
  void anyUtf16Strings(@ForAll("anyChars") String text) {
    check(text);
  }

  @Property(tries = 300)
  void randomBytes(@ForAll @Size(max = 300) byte[] bytes) {
    Source source;
    try {
      source = SourceReader.decode(FILE, bytes);
    } catch (UserError e) {
      e.diagnostics().forEach(d -> ParserHostileInputTest.assertValidPosition(d, d.span().source()));
      return;
    }
    check(source.text());
  }

  @Provide
  Arbitrary<String> tokenSoup() {
    return Arbitraries.of(TOKENS).list().ofMaxSize(80).map(ts -> String.join(" ", ts));
  }

  @Property(tries = 400)
  void soupsOfTokens(@ForAll("tokenSoup") String text) {
    check(text);
  }

  @Provide
  Arbitrary<String> mutants() {
    return Arbitraries.randomValue(r -> mutate(seed(r), r));
  }

  @Property(tries = 500)
  void mutationsOfValidPrograms(@ForAll("mutants") String text) {
    check(text);
  }

  /** Parses {@code text}; a diagnostic must be valid, a success must format idempotently. */
  static void check(String text) {
    Source source = new Source(FILE, text);
    try {
      Parser.parse(source);
    } catch (UserError e) {
      for (Diagnostic d : e.diagnostics()) ParserHostileInputTest.assertValidPosition(d, source);
      return;
    }
    String once = Formatter.format(source);
    String twice = Formatter.format(new Source(FILE, once));
    if (!once.equals(twice)) throw new AssertionError("not idempotent on:\n" + text);
  }

  // ---- mutation ----

  private static List<String> corpus;

  /** The golden inputs of the formatter and a generated program: valid programs to mutate. */
  private static String seed(Random r) {
    if (corpus == null) {
      try (Stream<Path> files = Files.list(Path.of("src/test/resources/fmt"))) {
        List<String> texts = new ArrayList<>();
        for (Path p : files.filter(f -> f.toString().endsWith(".in.net")).sorted().toList()) {
          texts.add(Files.readString(p));
        }
        corpus = texts;
      } catch (IOException e) {
        throw new UncheckedIOException(e);
      }
    }
    return r.nextInt(3) == 0 || corpus.isEmpty() ? NetProgramGen.program(r, r.nextBoolean())
        : corpus.get(r.nextInt(corpus.size()));
  }

  private static String mutate(String text, Random r) {
    String out = text;
    for (int n = 1 + r.nextInt(4); n > 0; n--) out = r.nextBoolean() ? mutateChars(out, r) : mutateTokens(out, r);
    return out;
  }

  private static String mutateChars(String s, Random r) {
    if (s.isEmpty()) return String.valueOf(INSERTS.charAt(r.nextInt(INSERTS.length())));
    int i = r.nextInt(s.length());
    int j = Math.min(s.length(), i + 2 + r.nextInt(8));
    if (j - i < 2) return s.substring(0, i);
    return switch (r.nextInt(4)) {
      case 0 -> s.substring(0, i) + s.substring(j);
      case 1 -> s.substring(0, i) + INSERTS.charAt(r.nextInt(INSERTS.length())) + s.substring(i);
      case 2 -> s.substring(0, j) + s.substring(i, j) + s.substring(j);
      default -> s.substring(0, i) + s.charAt(j - 1) + s.substring(i + 1, j - 1) + s.charAt(i) + s.substring(j);
    };
  }

  /** Deletes, duplicates, swaps or inserts whole tokens (comments and whitespace included). */
  private static String mutateTokens(String s, Random r) {
    List<String> toks = new ArrayList<>();
    for (Token t : Parser.lex(new Source(FILE, s), new dev.netc.compiler.diag.Diagnostics()).getTokens()) {
      if (t.getType() != Token.EOF) toks.add(t.getText());
    }
    if (toks.isEmpty()) return TOKENS[r.nextInt(TOKENS.length)];
    int i = r.nextInt(toks.size());
    int j = r.nextInt(toks.size());
    switch (r.nextInt(4)) {
      case 0 -> toks.remove(i);
      case 1 -> toks.add(i, toks.get(j));
      case 2 -> {
        String t = toks.get(i);
        toks.set(i, toks.get(j));
        toks.set(j, t);
      }
      default -> toks.add(i, TOKENS[r.nextInt(TOKENS.length)]);
    }
    return String.join("", toks);
  }
}

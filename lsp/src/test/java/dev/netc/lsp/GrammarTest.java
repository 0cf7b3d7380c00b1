package dev.netc.lsp;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.google.gson.Gson;
import com.google.gson.JsonObject;
import com.google.gson.JsonParser;
import dev.netc.compiler.diag.Diagnostics;
import dev.netc.compiler.diag.Source;
import dev.netc.compiler.ops.OpCatalogue;
import dev.netc.compiler.syntax.Parser;
import dev.netc.grammar.NetLexer;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.TreeMap;
import java.util.TreeSet;
import java.util.concurrent.TimeUnit;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import java.util.stream.Stream;
import org.antlr.v4.runtime.Token;
import org.junit.jupiter.api.Assumptions;
import org.junit.jupiter.api.Test;

/**
 * The TextMate grammar of the VS Code extension (editors/vscode/syntaxes/net.tmLanguage.json) against the real
 * lexer, on every file of the standard library and a small file of the token kinds the library does not use.
 * Each token the compiler's lexer finds is classified by its kind and the tokens around it (an op name, a label,
 * an argument name, a tensor, a keyword, a number, ...), and the grammar, run by node with vscode-textmate and
 * vscode-oniguruma exactly as VS Code runs it, must give every overlapping piece of text a scope of that class.
 * No non-blank text may be left with no scope, and every class must be seen. Needs node and npm: the extension's
 * node_modules are installed with {@code npm ci} when missing; without node the test is skipped (and says so).
 */
class GrammarTest {
  static final Path VSCODE = Path.of("editors", "vscode").toAbsolutePath();
  static final Path STDLIB = Path.of("..", "stdlib-models").toAbsolutePath().normalize();
  static final Path FIXTURE = Path.of("src", "test", "resources", "grammar", "rare-tokens.net").toAbsolutePath();

  private static final Set<String> TYPES = Set.of("int", "float", "bool", "string", "layer", "tensor", "list");
  private static final Set<String> BUILTINS = Set.of("min", "max", "abs", "int", "float", "round", "floor", "ceil",
      "len", "make_divisible");

  /** One expectation for the checker: on a line, the columns {@code [start, end)} have a scope of this class. */
  record Expect(int line, int start, int end, String type, String scope) {}

  @Test
  void theGrammarScopesEveryTokenAsTheLexerSeesIt() throws Exception {
    ensureNode();
    List<Path> files = new ArrayList<>();
    try (Stream<Path> s = Files.walk(STDLIB)) {
      s.filter(p -> p.toString().endsWith(".net")).sorted().forEach(files::add);
    }
    assertTrue(files.size() > 30, "standard library files: " + files.size());
    Parser.parse(new Source(FIXTURE, Files.readString(FIXTURE))); // the fixture is a real program
    files.add(FIXTURE);

    List<Map<String, Object>> input = new ArrayList<>();
    Map<String, Integer> library = new TreeMap<>();
    Map<String, Integer> all = new TreeMap<>();
    Set<String> kinds = new TreeSet<>();
    for (Path f : files) {
      List<Expect> expect = expectations(f);
      for (Expect e : expect) {
        all.merge(e.scope(), 1, Integer::sum);
        kinds.add(e.type());
        if (!f.equals(FIXTURE)) library.merge(e.scope(), 1, Integer::sum);
      }
      Map<String, Object> m = new LinkedHashMap<>();
      m.put("path", f.toString());
      m.put("expect", expect);
      input.add(m);
    }
    Path json = Path.of("target", "grammar-check", "tokens.json").toAbsolutePath();
    Files.createDirectories(json.getParent());
    Files.writeString(json, new Gson().toJson(Map.of("files", input)));
    JsonObject r = JsonParser.parseString(run(List.of("node", VSCODE.resolve("test/check-grammar.js").toString(),
        json.toString()))).getAsJsonObject();

    assertEquals("[]", r.get("failures").toString(), "tokens the grammar scopes wrongly");
    assertEquals("[]", r.get("unscoped").toString(), "text the grammar leaves without a scope");
    int checked = r.get("checked").getAsInt();
    assertEquals(all.values().stream().mapToInt(Integer::intValue).sum(), checked);
    // Every lexer token kind occurs (bar the error kinds), and so every class of scope.
    Set<String> missing = new TreeSet<>();
    for (int t = 1; t <= NetLexer.VOCABULARY.getMaxTokenType(); t++) {
      String name = NetLexer.VOCABULARY.getSymbolicName(t);
      if (name != null && !Set.of("WS", "BAD_CHAR", "UNTERMINATED_STRING", "UNTERMINATED_COMMENT").contains(name)
          && !kinds.contains(name)) {
        missing.add(name);
      }
    }
    assertEquals(Set.of(), missing, "lexer token kinds seen in no file");
    Set<String> onlyInFixture = new TreeSet<>(all.keySet());
    onlyInFixture.removeAll(library.keySet());
    System.out.printf("grammar check: %d tokens of %d files (%d of the standard library), %d classes of scope;"
        + " seen only in %s: %s%n", checked, files.size(), files.size() - 1, all.size(), FIXTURE.getFileName(),
        onlyInFixture);
  }

  /** The extension's client loads against the installed vscode-languageclient and starts {@code netc lsp}. */
  @Test
  void theExtensionStartsTheServer() throws Exception {
    ensureNode();
    String out = run(List.of("node", "--test", "test/extension.test.js"));
    assertTrue(out.contains("# pass 1") && out.contains("# fail 0"), out);
  }

  /** The grammar names every op of the catalogue, and nothing else, as an op. */
  @Test
  void theGrammarKnowsEveryOp() throws IOException {
    String grammar = Files.readString(VSCODE.resolve("syntaxes/net.tmLanguage.json"));
    Matcher m = Pattern.compile("\"match\": \"\\\\\\\\b\\(([a-z0-9_|]+)\\)\\\\\\\\b\",\\s*\"captures\": \\{\\s*\"1\": "
        + "\\{\\s*\"name\": \"support.function.op.netc\"").matcher(grammar);
    assertTrue(m.find(), "no op rule in the grammar");
    assertEquals(new TreeSet<>(OpCatalogue.names()), new TreeSet<>(List.of(m.group(1).split("\\|"))));
  }

  /** What scope each token of a file should have, from its kind and the tokens around it. */
  static List<Expect> expectations(Path file) throws IOException {
    String text = Files.readString(file, StandardCharsets.UTF_8);
    List<Token> all = Parser.lex(new Source(file, text), new Diagnostics()).getTokens();
    List<Token> t = all.stream().filter(x -> x.getChannel() == Token.DEFAULT_CHANNEL && x.getType() != Token.EOF)
        .toList();
    LineMap lines = new LineMap(text);
    List<Expect> out = new ArrayList<>();
    for (Token c : all) {
      if (c.getType() == NetLexer.LINE_COMMENT) add(out, lines, c, "comment.line.number-sign.netc");
      if (c.getType() == NetLexer.BLOCK_COMMENT) add(out, lines, c, "comment.block.netc");
    }
    int parens = 0;
    for (int i = 0; i < t.size(); i++) {
      Token k = t.get(i);
      int type = k.getType();
      if (type == NetLexer.RPAREN) parens--;
      add(out, lines, k, scope(t, i, parens > 0));
      if (type == NetLexer.LPAREN) parens++;
    }
    return out;
  }

  private static int type(List<Token> t, int i) { return i < 0 || i >= t.size() ? Token.EOF : t.get(i).getType(); }

  private static String scope(List<Token> t, int i, boolean inParens) {
    int type = type(t, i);
    String fixed = switch (type) {
      case NetLexer.STRING -> "string.quoted.double.netc";
      case NetLexer.INT -> "constant.numeric.integer.netc";
      case NetLexer.FLOAT -> "constant.numeric.float.netc";
      case NetLexer.LPAREN, NetLexer.RPAREN -> "punctuation.section.parens";
      case NetLexer.LBRACE, NetLexer.RBRACE -> "punctuation.section.braces";
      case NetLexer.LBRACK, NetLexer.RBRACK -> "punctuation.section.brackets";
      case NetLexer.COMMA -> "punctuation.separator.comma";
      case NetLexer.COLON -> "punctuation.separator.colon";
      case NetLexer.SEMI -> "punctuation.terminator";
      case NetLexer.DOT -> "punctuation.accessor";
      case NetLexer.AT -> "punctuation.definition.tensor";
      case NetLexer.ARROW -> "keyword.operator.arrow";
      case NetLexer.ASSIGN -> "keyword.operator.assignment";
      case NetLexer.EQ, NetLexer.NE, NetLexer.LE, NetLexer.GE, NetLexer.LT, NetLexer.GT -> "keyword.operator.comparison";
      case NetLexer.PLUS, NetLexer.MINUS, NetLexer.POW, NetLexer.STAR, NetLexer.DSLASH, NetLexer.SLASH,
          NetLexer.PERCENT -> "keyword.operator.arithmetic";
      default -> null;
    };
    if (fixed != null) return fixed;
    String word = word(t, i, inParens);
    if (word != null) return word;
    return switch (type) {
      case NetLexer.IMPORT -> "keyword.control.import";
      case NetLexer.BLOCK -> "storage.type.block";
      case NetLexer.NETWORK -> "storage.type.network";
      case NetLexer.LET -> "storage.type.let";
      case NetLexer.INPUT -> "keyword.other.input";
      case NetLexer.HEAD -> "keyword.other.head";
      case NetLexer.IF, NetLexer.THEN, NetLexer.ELSE, NetLexer.REPEAT, NetLexer.AS, NetLexer.WHEN -> "keyword.control";
      case NetLexer.RESIDUAL, NetLexer.SHORTCUT, NetLexer.STAGE, NetLexer.SEQ, NetLexer.GATE, NetLexer.REUSE ->
          "keyword.other.structure";
      case NetLexer.AND, NetLexer.OR, NetLexer.NOT -> "keyword.operator.logical";
      case NetLexer.TRUE, NetLexer.FALSE -> "constant.language.boolean";
      case NetLexer.IN -> "variable.language.in";
      default -> ident(t, i, inParens);
    };
  }

  /** A name where the language takes any word (keywords too): after @, ->, a dot, input, head; before a colon. */
  private static String word(List<Token> t, int i, boolean inParens) {
    int prev = type(t, i - 1);
    if (prev == NetLexer.AT) return "variable.other.tensor";
    if (prev == NetLexer.ARROW) return "variable.other.tensor.binding";
    if (prev == NetLexer.DOT) return "variable.other.member";
    if (prev == NetLexer.INPUT && type(t, i + 1) == NetLexer.COLON) return "variable.other.tensor.input";
    if (prev == NetLexer.HEAD && type(t, i + 1) == NetLexer.LBRACE) return "entity.name.section.head";
    if (type(t, i) != NetLexer.IDENT && type(t, i + 1) == NetLexer.COLON) return inParens ? "variable.parameter"
        : "entity.name.label";
    return null;
  }

  private static String ident(List<Token> t, int i, boolean inParens) {
    String text = t.get(i).getText();
    int prev = type(t, i - 1);
    int next = type(t, i + 1);
    if (prev == NetLexer.BLOCK) return "entity.name.function.block";
    if (prev == NetLexer.NETWORK) return "entity.name.type.network";
    if (prev == NetLexer.LET) return "variable.other.constant";
    if (prev == NetLexer.AS) return "variable.other.index";
    if (prev == NetLexer.REPEAT && next == NetLexer.COLON) return "variable.other";
    if (next == NetLexer.COLON || !inParens && labelWithIndex(t, i)) return inParens ? "variable.parameter"
        : "entity.name.label";
    if (prev == NetLexer.COLON && type(t, i - 3) == NetLexer.INPUT) return "storage.modifier.unbatched";
    if (inParens && prev == NetLexer.COLON && TYPES.contains(text) && next != NetLexer.LPAREN) return "support.type";
    // min( and max( are the functions on numbers in expressions and the reductions as layers; the editor cannot tell
    // the two apart and shows the function.
    if (BUILTINS.contains(text) && next == NetLexer.LPAREN) return "support.function.builtin";
    if (OpCatalogue.lookup(text) != null) return "support.function.op";
    if (next == NetLexer.LPAREN || Character.isUpperCase(text.charAt(0))) return "entity.name.function.call";
    return "variable.other";
  }

  /** {@code filt[i]:}: a name, an index, a colon. */
  private static boolean labelWithIndex(List<Token> t, int i) {
    if (type(t, i + 1) != NetLexer.LBRACK) return false;
    for (int j = i + 2; j < t.size() && t.get(j).getLine() == t.get(i).getLine(); j++) {
      if (type(t, j) == NetLexer.RBRACK) return type(t, j + 1) == NetLexer.COLON;
    }
    return false;
  }

  /** One expectation per line the token covers. */
  private static void add(List<Expect> out, LineMap lines, Token k, String scope) {
    String name = NetLexer.VOCABULARY.getSymbolicName(k.getType());
    int start = k.getStartIndex(), end = k.getStopIndex() + 1;
    var a = lines.position(start);
    var b = lines.position(end);
    for (int line = a.getLine(); line <= b.getLine(); line++) {
      int from = line == a.getLine() ? a.getCharacter() : 0;
      int to = line == b.getLine() ? b.getCharacter() : Integer.MAX_VALUE;
      if (to > from) out.add(new Expect(line, from, to, name, scope));
    }
  }

  /** node, with the extension's packages installed (npm ci from the lock file when they are missing). */
  private static void ensureNode() throws Exception {
    try {
      run(List.of("node", "--version"));
    } catch (IOException e) {
      Assumptions.abort("node is not installed: the grammar check needs node and npm (" + e.getMessage() + ")");
    }
    if (!Files.isDirectory(VSCODE.resolve("node_modules/vscode-textmate"))) {
      run(List.of("npm", "ci", "--no-audit", "--no-fund"));
    }
  }

  private static String run(List<String> command) throws Exception {
    Process p = new ProcessBuilder(command).directory(VSCODE.toFile()).redirectErrorStream(false).start();
    p.getOutputStream().close();
    var out = new java.io.ByteArrayOutputStream();
    var err = new java.io.ByteArrayOutputStream();
    Thread e = Thread.ofVirtual().start(() -> {
      try {
        p.getErrorStream().transferTo(err);
      } catch (IOException ignored) {
        // the process is gone
      }
    });
    p.getInputStream().transferTo(out);
    if (!p.waitFor(300, TimeUnit.SECONDS)) {
      p.destroyForcibly();
      throw new AssertionError(command + " did not finish in 300 s");
    }
    e.join();
    if (p.exitValue() != 0) {
      throw new AssertionError(command + " failed with exit code " + p.exitValue() + ":\n" + err + out);
    }
    return out.toString(StandardCharsets.UTF_8);
  }
}

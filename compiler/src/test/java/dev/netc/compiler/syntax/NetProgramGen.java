package dev.netc.compiler.syntax;

import java.util.ArrayList;
import java.util.List;
import java.util.Random;

/**
 * Random well-formed .net programs, generated from the rules of Net.g4: imports, blocks and networks with typed
 * parameters and defaults, every statement and layer form, and expressions of every operator, nested a few levels.
 * The text gets random layout (spaces, tabs, newlines, CRLF, blank lines), optional {@code ;}, trailing commas,
 * redundant parentheses, and comments of both kinds at random token boundaries. Names avoid keywords; literals stay
 * in range; a statement followed by one that starts with {@code [} ends with {@code ;}, as it must.
 */
final class NetProgramGen {
  private static final String[] NAMES = {"a", "b", "x", "y", "conv", "relu", "Bottleneck", "layer1", "_t", "in_ch",
      "If", "stages", "planes", "e5"};
  /** Keywords are names too where a name cannot be mistaken for a statement: labels, bindings, inputs, tensors. */
  private static final String[] KEYWORDS = {"block", "head", "gate", "input", "in", "if", "and", "not", "else",
      "shortcut", "repeat", "let", "true", "stage", "as"};
  private static final String[] TYPES = {"int", "float", "bool", "layer", "tensor", "string"};
  private static final String[] INTS = {"0", "1", "64", "1_000", "224", "9223372036854775807"};
  private static final String[] FLOATS = {"0.5", "1e-5", "2.5E3", "1_0.0_1", "3.0", "1e+2"};
  private static final String[] STRINGS = {"\"bilinear\"", "\"\"", "\"a\\\"b\"", "\"tab\\t\"", "\"é😀\"", "\"#/*\""};
  private static final String[] BINARY = {"**", "*", "/", "//", "%", "+", "-", "<", "<=", ">", ">=", "==", "!=",
      "and", "or"};
  private static final String[] COMMENT_WORDS = {"note", "TODO later", "é😀", "# not a second comment", "/ * x",
      "a:b", "", "  spaced  "};
  /** Tokens that never fuse with a neighbour, so they may be written without a space beside them. */
  private static final String PUNCT = "()[]{},;:.";

  /**
   * Whether the lexer accepts a closed block comment. Net.g4's UNTERMINATED_COMMENT rule currently out-matches
   * BLOCK_COMMENT on every block comment (see ParserHostileInputTest#closedBlockCommentIsAComment); until the
   * grammar is fixed, generated programs use line comments only, so these properties test everything else.
   */
  static final boolean BLOCK_COMMENTS_LEX = Parser.check(
      new dev.netc.compiler.diag.Source(java.nio.file.Path.of("probe.net"), "/* probe */")).isEmpty();

  private final Random r;
  private final boolean comments;
  private int depth;

  private NetProgramGen(Random r, boolean comments) {
    this.r = r;
    this.comments = comments;
  }

  /** A program as text; {@code comments} chooses whether comments are sprinkled in. */
  static String program(Random r, boolean comments) {
    NetProgramGen g = new NetProgramGen(r, comments);
    List<String> toks = g.file();
    return g.layout(toks);
  }

  // ---- layout ----

  private String layout(List<String> toks) {
    StringBuilder b = new StringBuilder();
    if (comments && r.nextInt(4) == 0) b.append("# header\n\n");
    for (int i = 0; i < toks.size(); i++) {
      String t = toks.get(i);
      if (i > 0) b.append(separator(toks.get(i - 1), t));
      b.append(t);
      if (comments && r.nextInt(6) == 0) b.append(comment(t, i + 1 < toks.size() ? toks.get(i + 1) : ""));
    }
    if (comments && r.nextBoolean()) {
      b.append(r.nextBoolean() || !BLOCK_COMMENTS_LEX ? "\n# the end" : "\n/* the end */\n");
    }
    return b.toString();
  }

  private String separator(String prev, String next) {
    boolean glue = PUNCT.contains(prev) || PUNCT.contains(next);
    return switch (r.nextInt(10)) {
      case 0, 1, 2 -> glue ? "" : " ";
      case 3 -> "\n";
      case 4 -> "\n\n";
      case 5 -> "\r\n  ";
      case 6 -> "\t";
      case 7 -> "\n\n\n    ";
      default -> " ";
    };
  }

  private String comment(String prev, String next) {
    String word = COMMENT_WORDS[r.nextInt(COMMENT_WORDS.length)];
    String before = prev.endsWith("/") || prev.endsWith("*") || r.nextBoolean() ? " " : "";
    return switch (BLOCK_COMMENTS_LEX ? r.nextInt(4) : 3 * r.nextInt(2)) {
      case 0 -> before + "#" + word + (r.nextBoolean() ? "\n" : "\n\n");
      case 1 -> before + "/*" + word.replace("/", "") + "*/" + (r.nextBoolean() ? "\n" : "");
      case 2 -> before + "/* multi\n   line " + word.replace("/", "") + " */ ";
      default -> "\n" + (r.nextBoolean() ? "\n" : "") + "  # own line " + word + "\n";
    };
  }

  // ---- declarations ----

  private List<String> file() {
    List<String> t = new ArrayList<>();
    for (int i = r.nextInt(3); i > 0; i--) {
      t.add("import");
      t.add(STRINGS[0].replace("bilinear", "lib/" + name() + ".net"));
      if (r.nextBoolean()) t.add(";");
    }
    for (int i = 1 + r.nextInt(3); i > 0; i--) decl(t);
    return t;
  }

  private void decl(List<String> t) {
    boolean block = r.nextBoolean();
    t.add(block ? "block" : "network");
    t.add(name());
    if (block || r.nextBoolean()) {
      t.add("(");
      int n = r.nextInt(4);
      for (int i = 0; i < n; i++) {
        if (i > 0) t.add(",");
        param(t);
      }
      if (n > 0 && r.nextInt(4) == 0) t.add(",");
      t.add(")");
    }
    body(t);
  }

  private void param(List<String> t) {
    t.add(name());
    t.add(":");
    type(t, 0);
    if (r.nextBoolean()) {
      t.add("=");
      expr(t);
    }
  }

  private void type(List<String> t, int d) {
    if (d > 1 || r.nextInt(4) > 0) {
      t.add(TYPES[r.nextInt(TYPES.length)]);
      return;
    }
    t.add("(");
    int n = 1 + r.nextInt(3);
    for (int i = 0; i < n; i++) {
      if (i > 0) t.add(",");
      type(t, d + 1);
    }
    t.add(")");
  }

  // ---- statements ----

  private void body(List<String> t) {
    depth++;
    t.add("{");
    int n = r.nextInt(depth > 3 ? 2 : 5);
    List<List<String>> stmts = new ArrayList<>();
    List<Boolean> semiOk = new ArrayList<>();
    for (int i = 0; i < n; i++) {
      List<String> s = new ArrayList<>();
      semiOk.add(stmt(s));
      stmts.add(s);
    }
    for (int i = 0; i < n; i++) {
      List<String> s = stmts.get(i);
      boolean nextIsList = i + 1 < n && stmts.get(i + 1).getFirst().equals("[");
      if (semiOk.get(i) && !s.getLast().equals(";") && (nextIsList || r.nextInt(4) == 0)) s.add(";");
      t.addAll(s);
    }
    t.add("}");
    depth--;
  }

  /** Appends one statement; returns whether it may end with {@code ;}. */
  private boolean stmt(List<String> t) {
    int pick = r.nextInt(depth > 3 ? 3 : 9);
    switch (pick) {
      case 0 -> {
        t.addAll(List.of("let", name(), "="));
        expr(t);
        return true;
      }
      case 1 -> {
        t.addAll(List.of("input", word(), ":"));
        if (r.nextInt(3) == 0) t.add("unbatched");
        listExpr(t);
        return true;
      }
      case 3 -> {
        t.addAll(List.of("head", word()));
        body(t);
        return false;
      }
      case 4 -> {
        ifStmt(t);
        return false;
      }
      case 5 -> {
        t.add("repeat");
        expr(t);
        if (r.nextBoolean()) t.addAll(List.of("as", name()));
        if (r.nextBoolean()) {
          t.add(":");
          element(t);
          return true;
        }
        body(t);
        return false;
      }
      default -> {
        element(t);
        return true;
      }
    }
  }

  private void ifStmt(List<String> t) {
    t.add("if");
    expr(t);
    body(t);
    switch (r.nextInt(3)) {
      case 0 -> {
        t.add("else");
        body(t);
      }
      case 1 -> {
        t.add("else");
        ifStmt(t);
      }
      default -> {}
    }
  }

  private void element(List<String> t) {
    if (r.nextInt(3) == 0) {
      if (r.nextInt(5) == 0) {
        t.add(quotedLabel());
      } else {
        t.add(word());
        if (r.nextInt(3) == 0) index(t);
      }
      t.add(":");
    }
    layer(t);
    if (r.nextInt(4) == 0) {
      t.addAll(List.of("->", word()));
      if (r.nextInt(3) == 0) index(t);
    }
  }

  private void index(List<String> t) {
    t.add("[");
    expr(t);
    t.add("]");
  }

  private void layer(List<String> t) {
    int pick = r.nextInt(depth > 3 ? 2 : 9);
    switch (pick) {
      case 0 -> call(t, false);
      case 1 -> {
        t.addAll(List.of("@", word()));
        if (r.nextInt(3) == 0) index(t);
      }
      case 2 -> {
        t.add(r.nextBoolean() ? "stage" : "seq");
        body(t);
      }
      case 3 -> {
        t.add("[");
        int n = r.nextInt(4);
        for (int i = 0; i < n; i++) {
          if (i > 0) t.add(",");
          element(t);
          if (r.nextInt(8) == 0) t.add(";");
        }
        if (n > 0 && r.nextInt(4) == 0) t.add(",");
        t.add("]");
      }
      case 4 -> {
        t.add("residual");
        if (r.nextBoolean()) when(t);
        body(t);
        if (r.nextBoolean()) {
          t.add("shortcut");
          if (r.nextBoolean()) when(t);
          body(t);
        }
      }
      case 5 -> {
        t.add("gate");
        body(t);
      }
      case 6 -> call(t, true);
      default -> call(t, false);
    }
  }

  private void when(List<String> t) {
    t.add("when");
    expr(t);
  }

  private void call(List<String> t, boolean branches) {
    t.add(name());
    if (r.nextBoolean()) args(t);
    if (branches) body(t);
  }

  private void args(List<String> t) {
    t.add("(");
    int n = r.nextInt(4);
    for (int i = 0; i < n; i++) {
      if (i > 0) t.add(",");
      if (r.nextBoolean()) t.addAll(List.of(name(), ":"));
      expr(t);
    }
    if (n > 0 && r.nextInt(4) == 0) t.add(",");
    t.add(")");
  }

  // ---- expressions ----

  private void expr(List<String> t) {
    depth++;
    int pick = r.nextInt(depth > 5 ? 8 : 20);
    switch (pick) {
      case 0 -> t.add(INTS[r.nextInt(INTS.length)]);
      case 1 -> t.add(FLOATS[r.nextInt(FLOATS.length)]);
      case 2 -> t.add(r.nextBoolean() ? "true" : "false");
      case 3 -> t.add(STRINGS[r.nextInt(STRINGS.length)]);
      case 4 -> t.add("in");
      case 5 -> t.addAll(List.of("@", word()));
      case 6, 7 -> t.add(name());
      case 8 -> {
        t.add(name());
        args(t);
      }
      case 9 -> {
        t.add("(");
        expr(t);
        t.add(")");
      }
      case 10 -> tuple(t);
      case 11 -> listExpr(t);
      case 12 -> {
        expr(t);
        t.addAll(List.of(".", name()));
      }
      case 13 -> {
        expr(t);
        index(t);
      }
      case 14 -> {
        t.add(r.nextBoolean() ? "-" : "+");
        expr(t);
      }
      case 15 -> {
        t.add("not");
        expr(t);
      }
      case 16 -> {
        t.add("if");
        expr(t);
        t.add("then");
        expr(t);
        t.add("else");
        expr(t);
      }
      default -> {
        expr(t);
        t.add(BINARY[r.nextInt(BINARY.length)]);
        expr(t);
      }
    }
    depth--;
  }

  private void tuple(List<String> t) {
    t.add("(");
    expr(t);
    t.add(",");
    int more = r.nextInt(3);
    for (int i = 0; i < more; i++) {
      if (i > 0) t.add(",");
      expr(t);
    }
    if (more > 0 && r.nextBoolean()) t.add(",");
    t.add(")");
  }

  private void listExpr(List<String> t) {
    t.add("[");
    int n = r.nextInt(4);
    for (int i = 0; i < n; i++) {
      if (i > 0) t.add(",");
      expr(t);
    }
    if (n > 0 && r.nextInt(4) == 0) t.add(",");
    t.add("]");
  }

  /** A quoted label: text with dashes and expressions in braces ({@code "block{i + 1}-{j}"}); one token. */
  private String quotedLabel() {
    StringBuilder b = new StringBuilder("\"").append(name());
    for (int i = r.nextInt(3); i > 0; i--) {
      b.append(r.nextBoolean() ? "-" : "_");
      b.append(r.nextBoolean() ? "{" + name() + (r.nextBoolean() ? " + 1" : "") + "}" : Integer.toString(r.nextInt(9)));
    }
    return b.append('"').toString();
  }

  private String name() { return NAMES[r.nextInt(NAMES.length)]; }

  private String word() { return r.nextInt(4) == 0 ? KEYWORDS[r.nextInt(KEYWORDS.length)] : name(); }
}

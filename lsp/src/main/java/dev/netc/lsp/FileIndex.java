package dev.netc.lsp;

import dev.netc.grammar.NetLexer;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;

/**
 * What the tokens of one file declare, found without parsing so that it is there while the file is being edited:
 * its imports and its blocks and networks with their parameters and the comment above them.
 */
final class FileIndex {
  /** {@code import "path"}: the string's offsets and the file it names (resolved as the compiler does). */
  record ImportRef(String path, int start, int end, Path target) {}

  /** A parameter as written: name, type text, default text (null when required), offsets of the name. */
  record Param(String name, String type, String defaultText, int start, int end) {
    String show() { return name + ": " + type + (defaultText == null ? "" : " = " + defaultText); }
  }

  /** A block or network declaration. */
  record Decl(boolean block, String name, int nameStart, int nameEnd, List<Param> params, String doc,
      int tokenStart, int tokenEnd) {
    String signature() {
      StringBuilder b = new StringBuilder(block ? "block " : "network ").append(name);
      if (block || !params.isEmpty()) {
        b.append('(');
        for (int i = 0; i < params.size(); i++) b.append(i == 0 ? "" : ", ").append(params.get(i).show());
        b.append(')');
      }
      return b.toString();
    }
  }

  private final Path path;
  private final Tokens tokens;
  private final LineMap lines;
  private final List<ImportRef> imports = new ArrayList<>();
  private final List<Decl> decls = new ArrayList<>();

  FileIndex(Path path, String text) {
    this.path = path;
    this.tokens = Tokens.of(path, text);
    this.lines = new LineMap(text);
    scan();
  }

  Path path() { return path; }

  Tokens tokens() { return tokens; }

  LineMap lines() { return lines; }

  String text() { return tokens.text(); }

  List<ImportRef> imports() { return imports; }

  List<Decl> decls() { return decls; }

  Decl decl(String name) {
    for (Decl d : decls) if (d.name().equals(name)) return d;
    return null;
  }

  private void scan() {
    List<Tokens.Tok> ts = tokens.all();
    Path dir = path.getParent();
    for (int i = 0; i + 1 < ts.size(); i++) {
      Tokens.Tok t = ts.get(i);
      if (t.braceDepth() != 0) continue;
      if (t.type() == NetLexer.IMPORT && ts.get(i + 1).type() == NetLexer.STRING) {
        Tokens.Tok s = ts.get(i + 1);
        String p = unquote(s.text());
        Path target = (dir == null ? Path.of(p) : dir.resolve(p)).normalize();
        imports.add(new ImportRef(p, s.start(), s.end(), target));
      }
    }
    List<Integer> starts = tokens.declStarts();
    for (int k = 0; k < starts.size(); k++) {
      int i = starts.get(k);
      int end = k + 1 < starts.size() ? starts.get(k + 1) : ts.size();
      Tokens.Tok kw = ts.get(i);
      Tokens.Tok name = tokens.get(i + 1);
      if (name == null || name.type() != NetLexer.IDENT) continue;
      decls.add(new Decl(kw.type() == NetLexer.BLOCK, name.text(), name.start(), name.end(), params(i + 2, end),
          tokens.docAbove(kw), i, end));
    }
  }

  /** Parameters from {@code (} at token {@code i}: {@code name: type (= default)?} separated by commas. */
  private List<Param> params(int i, int end) {
    List<Param> out = new ArrayList<>();
    if (tokens.type(i) != NetLexer.LPAREN) return out;
    int depth = 0;
    int itemStart = i + 1;
    for (int j = i; j < end; j++) {
      int type = tokens.type(j);
      if (type == NetLexer.LPAREN || type == NetLexer.LBRACK) depth++;
      else if (type == NetLexer.RPAREN || type == NetLexer.RBRACK) depth--;
      boolean close = depth == 0 && type == NetLexer.RPAREN;
      if (close || depth == 1 && type == NetLexer.COMMA) {
        param(itemStart, j).ifPresent(out::add);
        itemStart = j + 1;
      }
      if (close || type == NetLexer.LBRACE) break;
    }
    return out;
  }

  private Optional<Param> param(int from, int to) {
    if (to - from < 3 || tokens.type(from) != NetLexer.IDENT || tokens.type(from + 1) != NetLexer.COLON) {
      return Optional.empty();
    }
    int assign = -1;
    for (int j = from + 2; j < to; j++) {
      if (tokens.type(j) == NetLexer.ASSIGN) {
        assign = j;
        break;
      }
    }
    Tokens.Tok name = tokens.get(from);
    String type = tokens.slice(from + 2, (assign < 0 ? to : assign) - 1);
    String dflt = assign < 0 ? null : tokens.slice(assign + 1, to - 1);
    return Optional.of(new Param(name.text(), type, dflt, name.start(), name.end()));
  }

  static String unquote(String s) {
    String body = s.length() >= 2 && s.startsWith("\"") && s.endsWith("\"") ? s.substring(1, s.length() - 1) : s;
    return body.replace("\\\"", "\"").replace("\\\\", "\\");
  }
}

package dev.netc.lsp;

import dev.netc.grammar.NetLexer;
import java.nio.file.Files;
import java.util.ArrayList;
import java.util.List;
import org.eclipse.lsp4j.Location;
import org.eclipse.lsp4j.Range;

/**
 * Go to definition, from tokens (so it works while the text does not parse): an import's string goes to the
 * file; {@code @name} to the input, binding ({@code -> name}) or tensor parameter that defines it in the same
 * declaration (the closest one before, as a later binding replaces an earlier); a name to the parameter,
 * {@code let} or loop index of its declaration, else to the block or network of that name in the file or its
 * imports; an argument name to the block's parameter.
 */
final class Definitions {
  private Definitions() {}

  /** A name defined in a declaration, at token {@code index}. */
  record Binding(String name, int index) {}

  static List<Location> definition(FileIndex index, List<FileIndex> closure, int offset) {
    Tokens t = index.tokens();
    Tokens.Tok tok = t.at(offset);
    List<Location> out = new ArrayList<>();
    if (tok == null) return out;
    int i = tok.index();
    if (tok.type() == NetLexer.STRING && t.type(i - 1) == NetLexer.IMPORT) {
      for (FileIndex.ImportRef imp : index.imports()) {
        if (imp.start() == tok.start() && Files.isRegularFile(imp.target())) {
          out.add(new Location(Workspace.uri(imp.target()), new Range(new org.eclipse.lsp4j.Position(0, 0),
              new org.eclipse.lsp4j.Position(0, 0))));
        }
      }
      return out;
    }
    if (!tok.isWord()) return out;
    int[] decl = t.declAround(i);
    if (t.type(i - 1) == NetLexer.AT) {
      if (decl != null) nearest(index, tensorBindings(t, decl), tok.text(), i, out);
      return out;
    }
    if (tok.type() != NetLexer.IDENT || t.type(i - 1) == NetLexer.DOT) return out;
    if (t.type(i + 1) == NetLexer.COLON) {
      CallContext call = CallContext.at(t, tok.start());
      if (call.callee() != null && !call.header() && call.argStart()) {
        for (FileIndex f : closure) {
          FileIndex.Decl d = f.decl(call.callee());
          if (d == null) continue;
          for (FileIndex.Param p : d.params()) {
            if (p.name().equals(tok.text())) out.add(location(f, p.start(), p.end()));
          }
          break;
        }
      }
      return out;
    }
    if (decl != null) {
      nearest(index, localBindings(t, decl), tok.text(), i, out);
      if (!out.isEmpty()) return out;
    }
    for (FileIndex f : closure) {
      FileIndex.Decl d = f.decl(tok.text());
      if (d != null) {
        out.add(location(f, d.nameStart(), d.nameEnd()));
        break;
      }
    }
    return out;
  }

  /** The binding of {@code name} closest before token {@code at}, else the first after it (bound in a loop). */
  private static void nearest(FileIndex f, List<Binding> bindings, String name, int at, List<Location> out) {
    Binding before = null, after = null;
    for (Binding b : bindings) {
      if (!b.name().equals(name)) continue;
      if (b.index() <= at) before = b;
      else if (after == null) after = b;
    }
    Binding b = before != null ? before : after;
    if (b != null) {
      Tokens.Tok tok = f.tokens().get(b.index());
      out.add(location(f, tok.start(), tok.end()));
    }
  }

  /** Inputs ({@code input x:}), bindings ({@code -> x}) and tensor parameters of the declaration {@code [from, to)}. */
  static List<Binding> tensorBindings(Tokens t, int[] decl) {
    List<Binding> out = new ArrayList<>();
    for (Binding p : parameters(t, decl)) {
      int typeTok = p.index() + 2;
      if (t.get(typeTok) != null && t.get(typeTok).text().equals("tensor")) out.add(p);
    }
    for (int i = decl[0]; i < decl[1]; i++) {
      int type = t.type(i);
      Tokens.Tok next = t.get(i + 1);
      if (next == null || !next.isWord()) continue;
      if (type == NetLexer.ARROW || type == NetLexer.INPUT && t.type(i + 2) == NetLexer.COLON && statementStart(t, i)) {
        out.add(new Binding(next.text(), i + 1));
      }
    }
    return out;
  }

  /** Parameters, {@code let} names and loop indices of the declaration {@code [from, to)}. */
  private static List<Binding> localBindings(Tokens t, int[] decl) {
    List<Binding> out = new ArrayList<>(parameters(t, decl));
    for (int i = decl[0]; i < decl[1]; i++) {
      int type = t.type(i);
      if ((type == NetLexer.LET || type == NetLexer.AS) && t.type(i + 1) == NetLexer.IDENT) {
        out.add(new Binding(t.get(i + 1).text(), i + 1));
      }
    }
    return out;
  }

  private static List<Binding> parameters(Tokens t, int[] decl) {
    List<Binding> out = new ArrayList<>();
    int open = decl[0] + 2;
    if (t.type(open) != NetLexer.LPAREN) return out;
    int depth = 0;
    for (int i = open; i < decl[1]; i++) {
      int type = t.type(i);
      if (type == NetLexer.LPAREN || type == NetLexer.LBRACK) depth++;
      else if (type == NetLexer.RPAREN || type == NetLexer.RBRACK) {
        if (--depth == 0) break;
      } else if (depth == 1 && type == NetLexer.IDENT && t.type(i + 1) == NetLexer.COLON
          && (t.type(i - 1) == NetLexer.LPAREN || t.type(i - 1) == NetLexer.COMMA)) {
        out.add(new Binding(t.get(i).text(), i));
      }
    }
    return out;
  }

  /** Whether token {@code i} begins a statement (after a brace, a semicolon or a statement's end). */
  private static boolean statementStart(Tokens t, int i) {
    int prev = t.type(i - 1);
    return prev != NetLexer.LPAREN && prev != NetLexer.COMMA && prev != NetLexer.COLON && prev != NetLexer.AT
        && prev != NetLexer.ARROW && prev != NetLexer.DOT;
  }

  private static Location location(FileIndex f, int start, int end) {
    return new Location(Workspace.uri(f.path()), f.lines().range(start, end));
  }
}

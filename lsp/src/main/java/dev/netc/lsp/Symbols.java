package dev.netc.lsp;

import dev.netc.compiler.diag.Span;
import dev.netc.compiler.syntax.Ast;
import java.util.ArrayList;
import java.util.List;
import org.eclipse.lsp4j.DocumentSymbol;
import org.eclipse.lsp4j.SymbolKind;

/**
 * The outline: networks and blocks, and in them inputs, heads, stages and sequences, residuals and gates, labeled
 * layers and block calls, nested as written ({@code if} and {@code repeat} are see-through).
 */
final class Symbols {
  private Symbols() {}

  static List<DocumentSymbol> of(Ast.File file, LineMap lines) {
    List<DocumentSymbol> out = new ArrayList<>();
    for (Ast.Decl d : file.decls()) {
      boolean block = d instanceof Ast.BlockDecl;
      DocumentSymbol s = symbol(d.name(), block ? SymbolKind.Function : SymbolKind.Class, block ? "block" : "network",
          d.span(), d.nameSpan(), lines);
      s.setChildren(children(d.body(), lines));
      out.add(s);
    }
    return out;
  }

  private static List<DocumentSymbol> children(List<Ast.Stmt> stmts, LineMap lines) {
    List<DocumentSymbol> out = new ArrayList<>();
    for (Ast.Stmt s : stmts) {
      switch (s) {
        case Ast.Input in -> out.add(symbol(in.name(), SymbolKind.Variable, "input", in.span(), in.span(), lines));
        case Ast.Head h -> {
          DocumentSymbol d = symbol(h.name(), SymbolKind.Interface, "head", h.span(), h.nameSpan(), lines);
          d.setChildren(children(h.body(), lines));
          out.add(d);
        }
        case Ast.If i -> {
          out.addAll(children(i.then(), lines));
          out.addAll(children(i.otherwise(), lines));
        }
        case Ast.Repeat r -> out.addAll(children(r.body(), lines));
        case Ast.Element e -> element(e, lines, out);
        case Ast.Let l -> { }
      }
    }
    return out;
  }

  private static void element(Ast.Element e, LineMap lines, List<DocumentSymbol> out) {
    String label = e.label() == null ? null : lines.text().substring(e.label().span().start(), e.label().span().end());
    Span select = e.label() != null ? e.label().span() : e.layer().span();
    List<DocumentSymbol> inner = new ArrayList<>();
    for (List<Ast.Stmt> body : AstWalk.children(e)) inner.addAll(children(body, lines));
    DocumentSymbol d = switch (e.layer()) {
      case Ast.Sequence q -> {
        String kind = switch (q.kind()) {
          case STAGE -> "stage";
          case SEQ -> "seq";
          case LIST -> "list";
        };
        yield symbol(label != null ? label : kind, SymbolKind.Namespace, kind, e.span(), select, lines);
      }
      case Ast.Residual r -> symbol(label != null ? label : "residual", SymbolKind.Struct, "residual", e.span(),
          select, lines);
      case Ast.Gate g -> symbol(label != null ? label : "gate", SymbolKind.Struct, "gate", e.span(), select, lines);
      case Ast.Call c -> {
        boolean op = dev.netc.compiler.ops.OpCatalogue.lookup(c.name()) != null;
        if (label == null && op && inner.isEmpty()) yield null;
        yield symbol(label != null ? label : c.name(), op ? SymbolKind.Field : SymbolKind.Object, c.name(), e.span(),
            label != null ? select : c.nameSpan(), lines);
      }
      case Ast.TensorLayer t -> null;
      case Ast.Reuse r -> null;
    };
    if (d == null) {
      out.addAll(inner);
      return;
    }
    d.setChildren(inner);
    out.add(d);
  }

  private static DocumentSymbol symbol(String name, SymbolKind kind, String detail, Span range, Span select,
      LineMap lines) {
    return new DocumentSymbol(name.isBlank() ? "?" : name, kind, lines.range(range), lines.range(select), detail);
  }
}

package dev.netc.lsp;

import dev.netc.compiler.syntax.Ast;
import java.util.ArrayList;
import java.util.List;
import java.util.function.Consumer;

/** Walks the statements of a parsed file: every statement nested in another, parents before children. */
final class AstWalk {
  private AstWalk() {}

  /** Every statement of {@code stmts} and inside them, in source order, parents first. */
  static void stmts(List<Ast.Stmt> stmts, Consumer<Ast.Stmt> visit) {
    for (Ast.Stmt s : stmts) {
      visit.accept(s);
      for (List<Ast.Stmt> inner : children(s)) stmts(inner, visit);
    }
  }

  /** The statement lists directly inside a statement (bodies, branches, else parts). */
  static List<List<Ast.Stmt>> children(Ast.Stmt s) {
    List<List<Ast.Stmt>> out = new ArrayList<>(2);
    switch (s) {
      case Ast.Head h -> out.add(h.body());
      case Ast.If i -> {
        out.add(i.then());
        out.add(i.otherwise());
      }
      case Ast.Repeat r -> out.add(r.body());
      case Ast.Element e -> {
        switch (e.layer()) {
          case Ast.Sequence q -> out.add(q.body());
          case Ast.Residual r -> {
            out.add(r.body());
            if (r.shortcut() != null) out.add(r.shortcut());
          }
          case Ast.Gate g -> out.add(g.body());
          case Ast.Call c -> {
            if (c.branches() != null) out.add(c.branches());
          }
          case Ast.TensorLayer t -> { }
          case Ast.Reuse r -> { }
        }
      }
      case Ast.Let l -> { }
      case Ast.Input in -> { }
    }
    return out;
  }

  /** Every element of a file, parents before children. */
  static List<Ast.Element> elements(Ast.File file) {
    List<Ast.Element> out = new ArrayList<>();
    for (Ast.Decl d : file.decls()) {
      stmts(d.body(), s -> {
        if (s instanceof Ast.Element e) out.add(e);
      });
    }
    return out;
  }

  /** The names a subtree uses as layers or values: calls, call expressions and plain names. */
  static void names(Ast.Stmt s, Consumer<String> use) {
    switch (s) {
      case Ast.Let l -> expr(l.value(), use);
      case Ast.Input in -> { }
      case Ast.Head h -> { }
      case Ast.If i -> expr(i.cond(), use);
      case Ast.Repeat r -> expr(r.count(), use);
      case Ast.Element e -> {
        switch (e.layer()) {
          case Ast.Call c -> {
            use.accept(c.name());
            for (Ast.Arg a : c.args()) expr(a.value(), use);
          }
          case Ast.Residual r -> {
            if (r.when() != null) expr(r.when(), use);
            if (r.shortcutWhen() != null) expr(r.shortcutWhen(), use);
          }
          default -> { }
        }
      }
    }
    for (List<Ast.Stmt> inner : children(s)) for (Ast.Stmt c : inner) names(c, use);
  }

  static void expr(Ast.Expr e, Consumer<String> use) {
    if (e == null) return;
    switch (e) {
      case Ast.Name n -> use.accept(n.name());
      case Ast.CallExpr c -> {
        use.accept(c.name());
        for (Ast.Arg a : c.args()) expr(a.value(), use);
      }
      case Ast.Member m -> expr(m.target(), use);
      case Ast.Index i -> {
        expr(i.target(), use);
        expr(i.index(), use);
      }
      case Ast.Unary u -> expr(u.operand(), use);
      case Ast.Binary b -> {
        expr(b.left(), use);
        expr(b.right(), use);
      }
      case Ast.Cond c -> {
        expr(c.cond(), use);
        expr(c.then(), use);
        expr(c.otherwise(), use);
      }
      case Ast.TupleLit t -> t.elements().forEach(x -> expr(x, use));
      case Ast.ListLit l -> l.elements().forEach(x -> expr(x, use));
      default -> { }
    }
  }
}

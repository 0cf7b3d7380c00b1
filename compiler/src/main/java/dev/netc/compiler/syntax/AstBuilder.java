package dev.netc.compiler.syntax;

import dev.netc.compiler.diag.Code;
import dev.netc.compiler.diag.Diagnostic;
import dev.netc.compiler.diag.Source;
import dev.netc.compiler.diag.Span;
import dev.netc.compiler.diag.UserError;
import dev.netc.grammar.NetParser;
import dev.netc.grammar.NetParser.*;
import java.util.ArrayList;
import java.util.List;
import org.antlr.v4.runtime.ParserRuleContext;
import org.antlr.v4.runtime.Token;

/** Parse tree to AST; the only place spans are created from tokens. Runs only on trees without syntax errors. */
final class AstBuilder {
  private final Source source;
  private final dev.netc.compiler.diag.Diagnostics diags;

  /** Literal errors (a number too large) go to {@code diags}; the literal becomes 0 so building goes on. */
  AstBuilder(Source source, dev.netc.compiler.diag.Diagnostics diags) {
    this.source = source;
    this.diags = diags;
  }

  Ast.File file(FileContext ctx) {
    List<Ast.Import> imports = new ArrayList<>();
    for (ImportDeclContext i : ctx.importDecl()) {
      imports.add(new Ast.Import(unquote(i.STRING().getSymbol()), span(i)));
    }
    List<Ast.Decl> decls = new ArrayList<>();
    for (DeclContext d : ctx.decl()) decls.add(decl(d));
    return new Ast.File(source, List.copyOf(imports), List.copyOf(decls), span(ctx));
  }

  private Ast.Decl decl(DeclContext ctx) {
    return switch (ctx) {
      case BlockDeclContext b -> new Ast.BlockDecl(b.name.getText(), span(b.name), params(b.paramList()),
          body(b.body()), span(b));
      case NetworkDeclContext n -> new Ast.NetworkDecl(n.name.getText(), span(n.name), params(n.paramList()),
          body(n.body()), span(n));
      default -> throw new IllegalStateException("unknown declaration " + ctx.getClass());
    };
  }

  private List<Ast.Param> params(ParamListContext ctx) {
    if (ctx == null) return List.of();
    List<Ast.Param> out = new ArrayList<>();
    for (ParamContext p : ctx.param()) {
      out.add(new Ast.Param(p.name.getText(), type(p.type()), p.expr() == null ? null : expr(p.expr()), span(p)));
    }
    return List.copyOf(out);
  }

  private Ast.TypeRef type(TypeContext ctx) {
    return switch (ctx) {
      case NamedTypeContext n -> new Ast.NamedType(n.IDENT().getText(), span(n));
      case TupleTypeContext t -> new Ast.TupleType(t.type().stream().map(this::type).toList(), span(t));
      default -> throw new IllegalStateException("unknown type " + ctx.getClass());
    };
  }

  private List<Ast.Stmt> body(BodyContext ctx) {
    List<Ast.Stmt> out = new ArrayList<>(ctx.stmt().size());
    for (StmtContext s : ctx.stmt()) out.add(stmt(s));
    return List.copyOf(out);
  }

  private Ast.Stmt stmt(StmtContext ctx) {
    return switch (ctx) {
      case LetStmtContext l -> new Ast.Let(l.name.getText(), expr(l.expr()), span(l));
      case InputStmtContext i -> new Ast.Input(i.name.getText(), i.modifier == null ? null : i.modifier.getText(),
          i.modifier == null ? null : span(i.modifier), listLit(i.shape), span(i));
      case HeadStmtContext h -> new Ast.Head(h.name.getText(), span(h.name), body(h.body()), span(h));
      case IfStatementContext i -> ifStmt(i.ifStmt());
      case RepeatStmtContext r -> new Ast.Repeat(expr(r.count), r.index == null ? null : r.index.getText(),
          r.element() != null ? List.of(element(r.element())) : body(r.body()), span(r));
      case ElementStmtContext e -> element(e.element());
      default -> throw new IllegalStateException("unknown statement " + ctx.getClass());
    };
  }

  private Ast.If ifStmt(IfStmtContext ctx) {
    List<Ast.Stmt> otherwise = ctx.otherwise != null ? body(ctx.otherwise)
        : ctx.elseIf != null ? List.of(ifStmt(ctx.elseIf)) : List.of();
    return new Ast.If(expr(ctx.cond), body(ctx.then), otherwise, span(ctx));
  }

  private Ast.Element element(ElementContext ctx) {
    Ast.Label label = null;
    if (ctx.label() != null) {
      LabelContext l = ctx.label();
      label = l.quoted != null ? new Ast.Label(l.quoted.getText(), null, quotedLabel(l.quoted), span(l))
          : new Ast.Label(l.word().getText(), l.expr() == null ? null : expr(l.expr()), span(l));
    }
    return new Ast.Element(label, layer(ctx.layer()), ctx.bind == null ? null : ctx.bind.getText(),
        ctx.bindIndex == null ? null : expr(ctx.bindIndex), ctx.bind == null ? null : span(ctx.bind), span(ctx));
  }

  private Ast.Layer layer(LayerContext ctx) {
    return switch (ctx) {
      case SequenceLayerContext s -> new Ast.Sequence(
          s.STAGE() != null ? Ast.Sequence.Kind.STAGE : Ast.Sequence.Kind.SEQ, body(s.body()), span(s));
      case ListLayerContext l -> new Ast.Sequence(Ast.Sequence.Kind.LIST,
          l.element().stream().map(e -> (Ast.Stmt) element(e)).toList(), span(l));
      case ResidualLayerContext r -> new Ast.Residual(r.cond == null ? null : expr(r.cond), body(r.main),
          r.scond == null ? null : expr(r.scond), r.shortcut == null ? null : body(r.shortcut), span(r));
      case GateLayerContext g -> new Ast.Gate(body(g.body()), span(g));
      case TensorLayerContext t -> new Ast.TensorLayer(t.word().getText(),
          t.expr() == null ? null : expr(t.expr()),
          span(t));
      case FamilyLayerContext f -> new Ast.TensorLayer(f.word().getText() + Ast.TensorRef.FAMILY, null, span(f));
      case ReuseLayerContext r -> new Ast.Reuse(r.word().getText(), r.expr() == null ? null : expr(r.expr()),
          span(r.word()), span(r));
      case CallLayerContext c -> new Ast.Call(c.IDENT().getText(), span(c.IDENT().getSymbol()), args(c.argList()),
          c.LPAREN() != null, c.body() == null ? null : body(c.body()), span(c));
      default -> throw new IllegalStateException("unknown layer " + ctx.getClass());
    };
  }

  private List<Ast.Arg> args(ArgListContext ctx) {
    if (ctx == null) return List.of();
    List<Ast.Arg> out = new ArrayList<>();
    for (ArgContext a : ctx.arg()) {
      Ast.Expr value = a.ARROW() != null
          ? new Ast.Bind(a.bind.getText(), a.bindIndex == null ? null : expr(a.bindIndex), span(a.bind), span(a))
          : expr(a.value);
      out.add(new Ast.Arg(a.name == null ? null : a.name.getText(), a.name == null ? null : span(a.name), value,
          span(a)));
    }
    return List.copyOf(out);
  }

  Ast.Expr expr(ExprContext ctx) {
    return switch (ctx) {
      case PrimaryExprContext p -> primary(p.primary());
      case MemberExprContext m -> new Ast.Member(expr(m.expr()), m.IDENT().getText(), span(m.IDENT().getSymbol()),
          span(m));
      case IndexExprContext i -> new Ast.Index(expr(i.expr(0)), expr(i.expr(1)), span(i));
      case PowExprContext p -> new Ast.Binary("**", expr(p.expr(0)), expr(p.expr(1)), span(p.POW().getSymbol()),
          span(p));
      case UnaryExprContext u -> new Ast.Unary(u.op.getText(), expr(u.expr()), span(u));
      case MulExprContext m -> binary(m.op, m.expr(0), m.expr(1), m);
      case AddExprContext a -> binary(a.op, a.expr(0), a.expr(1), a);
      case CompareExprContext c -> binary(c.op, c.expr(0), c.expr(1), c);
      case NotExprContext n -> new Ast.Unary("not", expr(n.expr()), span(n));
      case AndExprContext a -> binary(a.AND().getSymbol(), a.expr(0), a.expr(1), a);
      case OrExprContext o -> binary(o.OR().getSymbol(), o.expr(0), o.expr(1), o);
      case CondExprContext c -> new Ast.Cond(expr(c.cond), expr(c.a), expr(c.b), span(c));
      default -> throw new IllegalStateException("unknown expression " + ctx.getClass());
    };
  }

  private Ast.Expr binary(Token op, ExprContext l, ExprContext r, ParserRuleContext whole) {
    return new Ast.Binary(op.getText(), expr(l), expr(r), span(op), span(whole));
  }

  private Ast.Expr primary(PrimaryContext ctx) {
    return switch (ctx) {
      case IntLitContext i -> new Ast.IntLit(parseInt(i.INT().getSymbol()), span(i));
      case FloatLitContext f -> floatLit(f.FLOAT().getSymbol());
      case BoolLitContext b -> new Ast.BoolLit(b.TRUE() != null, span(b));
      case StringLitContext s -> new Ast.StringLit(unquote(s.STRING().getSymbol()), span(s));
      case InRefContext i -> new Ast.InRef(span(i));
      case TensorRefContext t -> new Ast.TensorRef(t.word().getText(), span(t));
      case FamilyRefContext f -> new Ast.TensorRef(f.word().getText() + Ast.TensorRef.FAMILY, span(f));
      case CallExprContext c -> new Ast.CallExpr(c.IDENT().getText(), span(c.IDENT().getSymbol()),
          args(c.argList()), span(c));
      case NameRefContext n -> new Ast.Name(n.IDENT().getText(), span(n));
      case ParenExprContext p -> expr(p.expr());
      case TupleExprContext t -> new Ast.TupleLit(t.expr().stream().map(this::expr).toList(), span(t));
      case ListLitContext l -> listLit(l.listExpr());
      default -> throw new IllegalStateException("unknown primary " + ctx.getClass());
    };
  }

  private Ast.ListLit listLit(ListExprContext ctx) {
    return new Ast.ListLit(ctx.expr().stream().map(this::expr).toList(), span(ctx));
  }

  private long parseInt(Token t) {
    try {
      return Long.parseLong(t.getText().replace("_", ""));
    } catch (NumberFormatException e) {
      diags.add(Diagnostic.error(Code.NET021, span(t), "integer literal " + t.getText() + " does not fit in 64 bits"));
      return 0;
    }
  }

  private Ast.FloatLit floatLit(Token t) {
    double v = Double.parseDouble(t.getText().replace("_", ""));
    if (Double.isInfinite(v)) {
      diags.add(Diagnostic.error(Code.NET021, span(t), "number " + t.getText() + " is too large"));
      v = 0;
    }
    return new Ast.FloatLit(v, t.getText(), span(t));
  }

  /**
   * The pieces of a quoted label: its text (escapes resolved) as string literals and each {@code {expr}} as the
   * expression, parsed where it stands in the file. A brace without its partner is a syntax error.
   */
  private List<Ast.Expr> quotedLabel(Token t) {
    String raw = t.getText();
    int base = t.getStartIndex();
    List<Ast.Expr> parts = new ArrayList<>();
    StringBuilder text = new StringBuilder();
    int textStart = 1;
    for (int i = 1; i < raw.length() - 1; i++) {
      char c = raw.charAt(i);
      if (c == '\\' && i + 1 < raw.length() - 1) {
        text.append(unescape(raw.charAt(++i)));
      } else if (c == '{') {
        int close = raw.indexOf('}', i + 1);
        if (close < 0 || close >= raw.length() - 1) {
          diags.add(Diagnostic.error(Code.NET001, new Span(source, base + i, base + i + 1),
              "'{' in a quoted label is not closed: expected '}' after the expression"));
          return List.of();
        }
        String inner = raw.substring(i + 1, close);
        if (inner.isBlank()) {
          diags.add(Diagnostic.error(Code.NET001, new Span(source, base + i, base + close + 1),
              "empty '{}' in a quoted label: expected an expression, like \"block{i}\""));
          return List.of();
        }
        if (!text.isEmpty()) parts.add(new Ast.StringLit(text.toString(), new Span(source, base + textStart, base + i)));
        text.setLength(0);
        ExprContext e = Parser.parseEmbedded(source, inner, base + i + 1, diags);
        if (e == null) return List.of();
        parts.add(expr(e));
        i = close;
        textStart = close + 1;
      } else if (c == '}') {
        diags.add(Diagnostic.error(Code.NET001, new Span(source, base + i, base + i + 1),
            "'}' in a quoted label without its '{': expressions are written in braces, like \"block{i}\""));
        return List.of();
      } else {
        text.append(c);
      }
    }
    if (!text.isEmpty() || parts.isEmpty()) {
      parts.add(new Ast.StringLit(text.toString(), new Span(source, base + textStart, base + raw.length() - 1)));
    }
    return List.copyOf(parts);
  }

  private static char unescape(char n) {
    return switch (n) { case 'n' -> '\n'; case 't' -> '\t'; default -> n; };
  }

  private static String unquote(Token t) {
    String s = t.getText();
    StringBuilder b = new StringBuilder(s.length());
    for (int i = 1; i < s.length() - 1; i++) {
      char c = s.charAt(i);
      if (c == '\\' && i + 1 < s.length() - 1) {
        b.append(unescape(s.charAt(++i)));
      } else {
        b.append(c);
      }
    }
    return b.toString();
  }

  private Span span(ParserRuleContext ctx) {
    int start = ctx.getStart().getStartIndex();
    Token stop = ctx.getStop();
    int end = stop == null || stop.getStopIndex() < start ? start : stop.getStopIndex() + 1;
    return new Span(source, Math.max(0, start), Math.max(0, end));
  }

  private Span span(Token t) { return Parser.span(source, t); }
}

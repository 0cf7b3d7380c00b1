package dev.netc.compiler.syntax;

import static dev.netc.compiler.syntax.FormatDoc.EMPTY;
import static dev.netc.compiler.syntax.FormatDoc.HARDLINE;
import static dev.netc.compiler.syntax.FormatDoc.LINE;
import static dev.netc.compiler.syntax.FormatDoc.SOFTLINE;
import static dev.netc.compiler.syntax.FormatDoc.SPACE;
import static dev.netc.compiler.syntax.FormatDoc.concat;
import static dev.netc.compiler.syntax.FormatDoc.group;
import static dev.netc.compiler.syntax.FormatDoc.indent;
import static dev.netc.compiler.syntax.FormatDoc.text;

import dev.netc.grammar.NetParser;
import dev.netc.grammar.NetParser.*;
import java.util.ArrayList;
import java.util.BitSet;
import java.util.HashSet;
import java.util.List;
import java.util.Set;
import org.antlr.v4.runtime.Token;
import org.antlr.v4.runtime.tree.TerminalNode;

/**
 * Parse tree to {@link FormatDoc}. Every significant token of the source passes through {@link #tok} (printed) or
 * {@link #drop} (left out: optional {@code ;}, redundant parentheses, trailing commas, empty network parameter
 * lists), and both print the token's comments, so no comment can be lost or doubled; {@link #visited} records it.
 */
final class FormatPrinter {
  // Expression precedence, lowest first, exactly as the alternatives of Net.g4's `expr` rule are ordered.
  private static final int COND = 1, OR = 2, AND = 3, NOT = 4, COMPARE = 5, ADD = 6, MUL = 7, UNARY = 8, POW = 9,
      POSTFIX = 10, PRIMARY = 11;

  private enum Trailing { IF_BROKEN, ALWAYS, NEVER }

  private final FormatComments comments;
  private final List<Token> tokens;
  private final Set<Integer> blankOk = new HashSet<>();
  private final Set<Integer> dropped = new HashSet<>();
  private final BitSet visited = new BitSet();
  private final BitSet visitedTwice = new BitSet();

  /** {@code tokens}: the whole token stream, hidden channel included. */
  FormatPrinter(FormatComments comments, List<Token> tokens) {
    this.comments = comments;
    this.tokens = tokens;
  }

  /** Indices of the tokens left out of the output. */
  Set<Integer> dropped() { return dropped; }

  /** Tokens printed or dropped; each significant token must be here exactly once. */
  BitSet visited() { return visited; }

  BitSet visitedTwice() { return visitedTwice; }

  // ---- tokens and their comments ----

  private FormatDoc tok(TerminalNode n) { return tok(n.getSymbol()); }

  /** A name, which may be a keyword used as a name (a word is always a single token). */
  private FormatDoc tok(dev.netc.grammar.NetParser.WordContext w) { return tok(w.getStart()); }

  private FormatDoc tok(Token t) {
    Opener o = opener(t);
    return concat(o.before(), o.doc());
  }

  /**
   * An opening bracket: what goes before it (its own-line comments, an empty line) is kept apart, to be placed
   * outside the group the bracket opens, so that it cannot force that group to break.
   */
  private record Opener(FormatDoc before, FormatDoc doc) {}

  private Opener opener(Token t) {
    boolean blank = blankOk.contains(t.getTokenIndex()) && comments.blankBefore(t);
    return new Opener(concat(leading(t), blank ? new FormatDoc.BlankLine() : EMPTY),
        concat(text(t.getText()), trailing(t)));
  }

  private FormatDoc drop(TerminalNode n) {
    if (n == null) return EMPTY;
    dropped.add(n.getSymbol().getTokenIndex());
    return concat(leading(n.getSymbol()), trailing(n.getSymbol()));
  }

  private FormatDoc leading(Token t) {
    if (visited.get(t.getTokenIndex())) visitedTwice.set(t.getTokenIndex());
    visited.set(t.getTokenIndex());
    List<FormatDoc> parts = new ArrayList<>();
    for (FormatComments.Leading c : comments.leading(t)) {
      if (c.ownLine()) {
        if (c.blankBefore()) parts.add(new FormatDoc.BlankLine());
        parts.add(new FormatDoc.LineStart());
        parts.add(text(c.text()));
        parts.add(new FormatDoc.BreakAfter());
      } else {
        parts.add(text(c.text() + " "));
      }
    }
    return concat(parts);
  }

  private FormatDoc trailing(Token t) {
    List<FormatDoc> parts = new ArrayList<>();
    // Inline comments before a closing bracket. In empty brackets they stay inline: `f(/* none */)`. Otherwise
    // they end the line, `f(\n  a, /* note */\n)`, so that a trailing comma added by the layout goes before them
    // however often the file is formatted. A multi-line comment ends its line anyway, and so do the comments
    // beside it: they all end the opener's line, `{ /* a */ /* b` ... `*/`, as trailing comments of the opener,
    // which is what the formatted text then reads as.
    boolean opener = t.getType() == NetParser.LPAREN || t.getType() == NetParser.LBRACK
        || t.getType() == NetParser.LBRACE;
    List<String> inline = comments.trailingInline(t);
    boolean endsLine = !opener || inline.stream().anyMatch(c -> c.indexOf('\n') >= 0);
    for (String c : inline) {
      if (endsLine) parts.add(new FormatDoc.LineSuffix(" " + c));
      else parts.add(text(t.getType() != NetParser.LBRACE && parts.isEmpty() ? c : " " + c));
    }
    for (String c : comments.trailingEol(t)) parts.add(new FormatDoc.LineSuffix(" " + c));
    return concat(parts);
  }

  /**
   * A closing bracket: its own-line comments go inside the indented block, the bracket after them, and its
   * trailing comments after the group it closes, so that they do not force that group to break: they are printed
   * after the bracket either way.
   */
  private record Closer(FormatDoc inner, FormatDoc text, FormatDoc after) {}

  private Closer closer(TerminalNode n) {
    Token t = n.getSymbol();
    return new Closer(leading(t), text(t.getText()), trailing(t));
  }

  private FormatDoc semi(TerminalNode semi, boolean needed) {
    if (needed) return semi != null ? tok(semi) : text(";");
    return drop(semi);
  }

  // ---- declarations ----

  FormatDoc file(FileContext f) {
    List<FormatDoc> parts = new ArrayList<>();
    boolean first = true;
    for (ImportDeclContext i : f.importDecl()) {
      if (!first) parts.add(HARDLINE);
      first = false;
      blankOk.add(i.getStart().getTokenIndex());
      parts.add(concat(tok(i.IMPORT()), SPACE, tok(i.STRING()), drop(i.SEMI())));
    }
    for (DeclContext d : f.decl()) {
      if (!first) parts.add(concat(HARDLINE, new FormatDoc.BlankLine()));
      first = false;
      blankOk.add(d.getStart().getTokenIndex());
      parts.add(decl(d));
    }
    parts.add(leading(f.EOF().getSymbol())); // the comments after the last declaration
    return concat(parts);
  }

  private FormatDoc decl(DeclContext d) {
    return switch (d) {
      case BlockDeclContext b -> concat(tok(b.BLOCK()), SPACE, tok(b.name), params(b.LPAREN(), b.paramList(),
          b.RPAREN()), SPACE, body(b.body(), false));
      case NetworkDeclContext n -> {
        // `network N {`, unless the empty parentheses hold comments
        boolean empty = n.paramList() == null && n.LPAREN() != null
            && !commentBetween(n.LPAREN().getSymbol(), n.RPAREN().getSymbol());
        FormatDoc params = n.LPAREN() == null ? EMPTY
            : empty ? concat(drop(n.LPAREN()), drop(n.RPAREN()))
            : params(n.LPAREN(), n.paramList(), n.RPAREN());
        yield concat(tok(n.NETWORK()), SPACE, tok(n.name), params, SPACE, body(n.body(), false));
      }
      default -> throw new IllegalStateException("unknown declaration " + d.getClass().getSimpleName());
    };
  }

  private boolean commentBetween(Token a, Token b) {
    for (int i = a.getTokenIndex() + 1; i < b.getTokenIndex(); i++) {
      if (FormatComments.isComment(tokens.get(i))) return true;
    }
    return false;
  }

  private FormatDoc params(TerminalNode open, ParamListContext list, TerminalNode close) {
    List<FormatDoc> items = new ArrayList<>();
    List<TerminalNode> commas = List.of();
    if (list != null) {
      for (ParamContext p : list.param()) {
        FormatDoc type = type(p.type());
        FormatDoc dflt = p.expr() == null ? EMPTY : concat(SPACE, tok(p.ASSIGN()), SPACE, expr(p.expr(), 0));
        items.add(concat(tok(p.name), tok(p.COLON()), SPACE, type, dflt));
      }
      commas = list.COMMA();
    }
    return delimited(open, items, commas, close, Trailing.IF_BROKEN);
  }

  private FormatDoc type(TypeContext t) {
    return switch (t) {
      case NamedTypeContext n -> tok(n.IDENT());
      case TupleTypeContext u -> {
        List<FormatDoc> items = new ArrayList<>();
        for (TypeContext e : u.type()) items.add(type(e));
        yield delimited(u.LPAREN(), items, u.COMMA(), u.RPAREN(), Trailing.NEVER);
      }
      default -> throw new IllegalStateException("unknown type " + t.getClass().getSimpleName());
    };
  }

  /**
   * {@code (a, b)}, {@code [a, b]}: one line when it fits, else one item per line with a trailing comma. The
   * source's trailing comma, if any, is dropped and re-added by the layout.
   */
  private FormatDoc delimited(TerminalNode open, List<FormatDoc> items, List<TerminalNode> commas,
      TerminalNode close, Trailing trailing) {
    Opener o = opener(open.getSymbol());
    FormatDoc openDoc = o.doc();
    List<FormatDoc> inner = new ArrayList<>();
    if (!items.isEmpty()) inner.add(SOFTLINE);
    for (int i = 0; i < items.size(); i++) {
      inner.add(items.get(i));
      if (i + 1 < items.size()) inner.add(concat(tok(commas.get(i)), LINE));
    }
    switch (trailing) {
      case ALWAYS -> inner.add(tok(commas.getLast()));
      case IF_BROKEN -> {
        if (commas.size() == items.size() && !items.isEmpty()) inner.add(drop(commas.getLast()));
        if (!items.isEmpty()) inner.add(new FormatDoc.IfBreak(text(","), EMPTY));
      }
      case NEVER -> {}
    }
    Closer c = closer(close);
    inner.add(c.inner());
    if (items.isEmpty() && !openDoc.hard() && FormatDoc.isEmpty(c.inner())) {
      return concat(o.before(), openDoc, c.text(), c.after());
    }
    return concat(o.before(), group(concat(openDoc, indent(concat(inner)), SOFTLINE, c.text())), c.after());
  }

  // ---- statements ----

  /**
   * A braced body: one statement per line. A non-declaration body whose single statement is simple (no braces
   * inside) stays on the line of its opening brace when it fits: {@code stage { repeat 3: Bottleneck(64) }}.
   */
  private FormatDoc body(BodyContext b, boolean mayInline) {
    List<StmtContext> stmts = b.stmt();
    Opener o = opener(b.LBRACE().getSymbol());
    FormatDoc open = o.doc();
    boolean row = mayInline && isRow(b);
    List<FormatDoc> inner = new ArrayList<>();
    boolean semi = false;
    for (int i = 0; i < stmts.size(); i++) {
      if (i > 0) {
        if (row) {
          inner.add(concat(semi ? EMPTY : new FormatDoc.IfBreak(EMPTY, text(";")), LINE));
        } else {
          inner.add(HARDLINE);
          // Not for the first statement: an empty line after `{` is never printed, and must not break the group.
          blankOk.add(stmts.get(i).getStart().getTokenIndex());
        }
      }
      semi = i + 1 < stmts.size() && stmts.get(i + 1).getStart().getType() == NetParser.LBRACK
          && takesIndex(stmts.get(i));
      inner.add(stmt(stmts.get(i), semi));
    }
    Closer c = closer(b.RBRACE());
    if (stmts.isEmpty()) {
      if (open.hard() || !FormatDoc.isEmpty(c.inner())) {
        return concat(o.before(), open, indent(c.inner()), HARDLINE, c.text(), c.after());
      }
      // `{ /* nothing yet */ }`
      return concat(o.before(), open, comments.trailingInline(b.LBRACE().getSymbol()).isEmpty() ? EMPTY : SPACE,
          c.text(), c.after());
    }
    inner.add(c.inner());
    FormatDoc sep = row || mayInline && stmts.size() == 1 && simple(stmts.getFirst()) ? LINE : HARDLINE;
    return concat(o.before(), group(concat(open, indent(concat(sep, concat(inner))), sep, c.text())), c.after());
  }

  /**
   * Whether a {@code [} after the statement would continue it as an index: a {@code let}'s expression, a tensor
   * layer {@code @x} or a binding {@code -> x} without an index of its own. Such a statement keeps a {@code ;}
   * before a statement that starts with {@code [} ({@code let x = a; [conv, relu]}).
   */
  private static boolean takesIndex(StmtContext s) {
    ElementContext e = switch (s) {
      case LetStmtContext l -> null;
      case ElementStmtContext el -> el.element();
      case RepeatStmtContext r -> r.element();
      default -> null;
    };
    if (e == null) return s instanceof LetStmtContext;
    if (e.ARROW() != null) return e.bindIndex == null;
    return e.layer() instanceof TensorLayerContext t && t.expr() == null;
  }

  /** {@code nextIsList}: the statement must end with {@code ;} (see {@link #takesIndex}). */
  private FormatDoc stmt(StmtContext s, boolean nextIsList) {
    return switch (s) {
      case LetStmtContext l -> concat(tok(l.LET()), SPACE, tok(l.name), SPACE, tok(l.ASSIGN()), SPACE,
          expr(l.expr(), 0), semi(l.SEMI(), nextIsList));
      case InputStmtContext in -> concat(tok(in.INPUT()), SPACE, tok(in.name), tok(in.COLON()), SPACE,
          in.modifier == null ? EMPTY : concat(tok(in.modifier), SPACE), listExpr(in.shape),
          semi(in.SEMI(), nextIsList));
      case HeadStmtContext h -> concat(tok(h.HEAD()), SPACE, tok(h.name), SPACE, body(h.body(), true));
      case IfStatementContext i -> ifStmt(i.ifStmt());
      case RepeatStmtContext r -> {
        FormatDoc index = r.index == null ? EMPTY : concat(SPACE, tok(r.AS()), SPACE, tok(r.index));
        FormatDoc rest = r.element() != null ? concat(tok(r.COLON()), SPACE, element(r.element(), nextIsList, true))
            : concat(SPACE, body(r.body(), true));
        yield concat(tok(r.REPEAT()), SPACE, expr(r.count, 0), index, rest);
      }
      case ElementStmtContext e -> element(e.element(), nextIsList, true);
      default -> throw new IllegalStateException("unknown statement " + s.getClass().getSimpleName());
    };
  }

  /**
   * A row: a body of two to {@value #MAX_ROW} layers without braces of their own, written on one line —
   * {@code concat { @a; @b; @c }}. It stays on one line if it fits (kept as written, like {@code else if}).
   */
  private static boolean isRow(BodyContext b) {
    List<StmtContext> stmts = b.stmt();
    if (stmts.size() < 2 || stmts.size() > MAX_ROW) return false;
    if (b.LBRACE().getSymbol().getLine() != b.RBRACE().getSymbol().getLine()) return false;
    return stmts.stream().allMatch(st -> st instanceof ElementStmtContext e && simple(e.element()));
  }

  private static final int MAX_ROW = 6;

  /**
   * An {@code if} chain's branches print all on one line each ({@code if c { a } else { b }}) only when every
   * branch could; one multi-statement branch breaks them all, so the branches line up.
   */
  private FormatDoc ifStmt(IfStmtContext i) {
    return ifStmt(i, branchesInline(i));
  }

  private FormatDoc ifStmt(IfStmtContext i, boolean inline) {
    FormatDoc head = concat(tok(i.IF()), SPACE, expr(i.cond, 0), SPACE, body(i.then, inline));
    if (i.ELSE() == null) return head;
    FormatDoc otherwise = i.otherwise != null ? body(i.otherwise, inline) : ifStmt(i.elseIf, inline);
    return concat(head, SPACE, tok(i.ELSE()), SPACE, otherwise);
  }

  private static boolean branchesInline(IfStmtContext i) {
    for (IfStmtContext c = i; c != null; c = c.elseIf) {
      if (!inlineable(c.then) || (c.otherwise != null && !inlineable(c.otherwise))) return false;
    }
    return true;
  }

  private static boolean inlineable(BodyContext b) {
    return b.stmt().size() == 1 && simple(b.stmt().getFirst());
  }

  private static boolean simple(StmtContext s) {
    return switch (s) {
      case LetStmtContext l -> true;
      case InputStmtContext i -> true;
      case ElementStmtContext e -> simple(e.element());
      case RepeatStmtContext r -> r.element() != null && simple(r.element());
      default -> false;
    };
  }

  private static boolean simple(ElementContext e) {
    return switch (e.layer()) {
      case CallLayerContext c -> c.body() == null;
      case TensorLayerContext t -> true;
      case ReuseLayerContext r -> true;
      case FamilyLayerContext f -> true;
      case ListLayerContext l -> l.element().stream().allMatch(FormatPrinter::simple);
      default -> false;
    };
  }

  // ---- elements and layers ----

  /** {@code inSequence}: a statement of a body (may need its {@code ;}) rather than an item of a list layer. */
  private FormatDoc element(ElementContext e, boolean nextIsList, boolean inSequence) {
    List<FormatDoc> parts = new ArrayList<>();
    if (e.label() != null) {
      LabelContext l = e.label();
      parts.add(l.quoted != null ? tok(l.quoted) : tok(l.word()));
      if (l.expr() != null) parts.add(concat(tok(l.LBRACK()), expr(l.expr(), 0), tok(l.RBRACK())));
      parts.add(tok(e.COLON()));
      parts.add(SPACE);
    }
    parts.add(layer(e.layer()));
    if (e.ARROW() != null) {
      parts.add(concat(SPACE, tok(e.ARROW()), SPACE, tok(e.bind)));
      if (e.bindIndex != null) parts.add(concat(tok(e.LBRACK()), expr(e.bindIndex, 0), tok(e.RBRACK())));
    }
    parts.add(inSequence ? semi(e.SEMI(), nextIsList) : drop(e.SEMI()));
    return concat(parts);
  }

  private FormatDoc layer(LayerContext l) {
    return switch (l) {
      case SequenceLayerContext s -> concat(tok(s.getStart()), SPACE, body(s.body(), true));
      case ListLayerContext list -> {
        List<FormatDoc> items = new ArrayList<>();
        for (ElementContext e : list.element()) items.add(element(e, false, false));
        yield delimited(list.LBRACK(), items, list.COMMA(), list.RBRACK(), Trailing.IF_BROKEN);
      }
      case ResidualLayerContext r -> residual(r);
      case GateLayerContext g -> concat(tok(g.GATE()), SPACE, body(g.body(), true));
      case TensorLayerContext t -> concat(tok(t.AT()), tok(t.word()),
          t.expr() == null ? EMPTY : concat(tok(t.LBRACK()), expr(t.expr(), 0), tok(t.RBRACK())));
      case FamilyLayerContext f -> concat(tok(f.AT()), tok(f.word()), tok(f.LBRACK()), tok(f.STAR()), tok(f.RBRACK()));
      case ReuseLayerContext r -> concat(tok(r.REUSE()), SPACE, tok(r.word()),
          r.expr() == null ? EMPTY : concat(tok(r.LBRACK()), expr(r.expr(), 0), tok(r.RBRACK())));
      case CallLayerContext c -> concat(tok(c.IDENT()),
          c.LPAREN() == null ? EMPTY : args(c.LPAREN(), c.argList(), c.RPAREN()),
          c.body() == null ? EMPTY : concat(SPACE, body(c.body(), true)));
      default -> throw new IllegalStateException("unknown layer " + l.getClass().getSimpleName());
    };
  }

  private FormatDoc residual(ResidualLayerContext r) {
    List<TerminalNode> whens = r.WHEN();
    int w = 0;
    List<FormatDoc> parts = new ArrayList<>();
    parts.add(tok(r.RESIDUAL()));
    if (r.cond != null) parts.add(concat(SPACE, tok(whens.get(w++)), SPACE, expr(r.cond, 0)));
    parts.add(concat(SPACE, body(r.main, true)));
    if (r.SHORTCUT() != null) {
      parts.add(concat(SPACE, tok(r.SHORTCUT())));
      if (r.scond != null) parts.add(concat(SPACE, tok(whens.get(w)), SPACE, expr(r.scond, 0)));
      parts.add(concat(SPACE, body(r.shortcut, true)));
    }
    return concat(parts);
  }

  private FormatDoc args(TerminalNode open, ArgListContext list, TerminalNode close) {
    if (hugs(open, list, close)) {
      // `f([` ... `])`: the only argument is a bracketed literal, which does the breaking itself.
      ArgContext a = list.arg().getFirst();
      FormatDoc value = expr(a.value, 0);
      FormatDoc arg = a.name == null ? value : concat(tok(a.name), tok(a.COLON()), SPACE, value);
      list.COMMA().forEach(c -> drop(c));
      Closer c = closer(close);
      return concat(tok(open), arg, c.inner(), c.text(), c.after());
    }
    List<FormatDoc> items = new ArrayList<>();
    List<TerminalNode> commas = List.of();
    if (list != null) {
      for (ArgContext a : list.arg()) items.add(arg(a));
      commas = list.COMMA();
    }
    return delimited(open, items, commas, close, Trailing.IF_BROKEN);
  }

  /** {@code value}, {@code name: value}, or an output bound to a tensor name, {@code name: -> idx[i]}. */
  private FormatDoc arg(ArgContext a) {
    if (a.ARROW() != null) {
      FormatDoc bind = concat(tok(a.name), tok(a.COLON()), SPACE, tok(a.ARROW()), SPACE, tok(a.bind));
      return a.bindIndex == null ? bind
          : concat(bind, tok(a.LBRACK()), expr(a.bindIndex, 0), tok(a.RBRACK()));
    }
    return a.name == null ? expr(a.value, 0) : concat(tok(a.name), tok(a.COLON()), SPACE, expr(a.value, 0));
  }

  /** One argument, a list or tuple literal, and no comments between it and the parentheses. */
  private boolean hugs(TerminalNode open, ArgListContext list, TerminalNode close) {
    if (list == null || list.arg().size() != 1) return false;
    if (list.arg().getFirst().ARROW() != null) return false;
    ExprContext e = unwrap(list.arg().getFirst().value);
    boolean literal = e instanceof PrimaryExprContext p
        && (p.primary() instanceof ListLitContext || p.primary() instanceof TupleExprContext);
    return literal && !commentBetween(open.getSymbol(), e.getStart())
        && !commentBetween(e.getStop(), close.getSymbol());
  }

  // ---- expressions ----

  /**
   * An expression in a position that needs precedence {@code min} or higher. Parentheses are printed exactly where
   * the precedence requires them: the user's redundant ones are dropped, missing ones (e.g. {@code a * (not b)},
   * legal without them but misleading) are added. Prefix operators share no level with binary ones, which is what
   * makes this simple rule exact.
   */
  private FormatDoc expr(ExprContext e, int min) {
    if (e instanceof PrimaryExprContext p && p.primary() instanceof ParenExprContext paren) {
      if (level(paren.expr()) >= min) {
        return concat(drop(paren.LPAREN()), expr(paren.expr(), min), drop(paren.RPAREN()));
      }
      return concat(tok(paren.LPAREN()), expr(paren.expr(), 0), tok(paren.RPAREN()));
    }
    if (level(e) < min) return concat(text("("), bare(e), text(")"));
    return bare(e);
  }

  private static int level(ExprContext e) {
    while (e instanceof PrimaryExprContext p && p.primary() instanceof ParenExprContext paren) e = paren.expr();
    return switch (e) {
      case PrimaryExprContext p -> PRIMARY;
      case MemberExprContext m -> POSTFIX;
      case IndexExprContext i -> POSTFIX;
      case PowExprContext p -> POW;
      case UnaryExprContext u -> UNARY;
      case MulExprContext m -> MUL;
      case AddExprContext a -> ADD;
      case CompareExprContext c -> COMPARE;
      case NotExprContext n -> NOT;
      case AndExprContext a -> AND;
      case OrExprContext o -> OR;
      case CondExprContext c -> COND;
      default -> throw new IllegalStateException("unknown expression " + e.getClass().getSimpleName());
    };
  }

  private FormatDoc bare(ExprContext e) {
    return switch (e) {
      case PrimaryExprContext p -> primary(p.primary());
      case MemberExprContext m -> concat(expr(m.expr(), POSTFIX), tok(m.DOT()), tok(m.IDENT()));
      case IndexExprContext i -> concat(expr(i.expr(0), POSTFIX), tok(i.LBRACK()), expr(i.expr(1), 0), tok(i.RBRACK()));
      case PowExprContext p -> binary(p.expr(0), p.POW().getSymbol(), p.expr(1), POW + 1, POW);
      case UnaryExprContext u -> {
        // `- -x`, not `--x`: two signs read as one operator otherwise.
        boolean signed = unwrap(u.expr()) instanceof UnaryExprContext;
        yield concat(tok(u.op), signed ? SPACE : EMPTY, expr(u.expr(), UNARY));
      }
      case MulExprContext m -> binary(m.expr(0), m.op, m.expr(1), MUL, MUL + 1);
      case AddExprContext a -> binary(a.expr(0), a.op, a.expr(1), ADD, ADD + 1);
      case CompareExprContext c -> binary(c.expr(0), c.op, c.expr(1), COMPARE, COMPARE + 1);
      case NotExprContext n -> concat(tok(n.NOT()), SPACE, expr(n.expr(), NOT));
      case AndExprContext a -> binary(a.expr(0), a.AND().getSymbol(), a.expr(1), AND, AND + 1);
      case OrExprContext o -> binary(o.expr(0), o.OR().getSymbol(), o.expr(1), OR, OR + 1);
      case CondExprContext c -> concat(tok(c.IF()), SPACE, expr(c.cond, 0), SPACE, tok(c.THEN()), SPACE,
          expr(c.a, 0), SPACE, tok(c.ELSE()), SPACE, expr(c.b, COND));
      default -> throw new IllegalStateException("unknown expression " + e.getClass().getSimpleName());
    };
  }

  private static ExprContext unwrap(ExprContext e) {
    while (e instanceof PrimaryExprContext p && p.primary() instanceof ParenExprContext paren) e = paren.expr();
    return e;
  }

  private FormatDoc binary(ExprContext left, Token op, ExprContext right, int leftMin, int rightMin) {
    return concat(expr(left, leftMin), SPACE, tok(op), SPACE, expr(right, rightMin));
  }

  private FormatDoc primary(PrimaryContext p) {
    return switch (p) {
      case TensorRefContext t -> concat(tok(t.AT()), tok(t.word()));
      case FamilyRefContext f -> concat(tok(f.AT()), tok(f.word()), tok(f.LBRACK()), tok(f.STAR()), tok(f.RBRACK()));
      case CallExprContext c -> concat(tok(c.IDENT()), args(c.LPAREN(), c.argList(), c.RPAREN()));
      case ParenExprContext q -> concat(tok(q.LPAREN()), expr(q.expr(), 0), tok(q.RPAREN()));
      case TupleExprContext t -> {
        List<FormatDoc> items = new ArrayList<>();
        for (ExprContext e : t.expr()) items.add(expr(e, 0));
        yield delimited(t.LPAREN(), items, t.COMMA(), t.RPAREN(), items.size() == 1 ? Trailing.ALWAYS
            : Trailing.IF_BROKEN);
      }
      case ListLitContext l -> listExpr(l.listExpr());
      // literals, names, `in`: one token each, printed as written (1_000 and 1e-5 stay as they are)
      default -> tok(p.getStart());
    };
  }

  private FormatDoc listExpr(ListExprContext l) {
    List<FormatDoc> items = new ArrayList<>();
    for (ExprContext e : l.expr()) items.add(expr(e, 0));
    return delimited(l.LBRACK(), items, l.COMMA(), l.RBRACK(), Trailing.IF_BROKEN);
  }
}

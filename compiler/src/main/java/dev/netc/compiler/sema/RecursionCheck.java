package dev.netc.compiler.sema;

import dev.netc.compiler.diag.Code;
import dev.netc.compiler.diag.Diagnostic;
import dev.netc.compiler.diag.Diagnostics;
import dev.netc.compiler.diag.Span;
import dev.netc.compiler.syntax.Ast;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.HashSet;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;

/**
 * Rejects blocks that call themselves, directly or through others, even under a condition: a network's
 * structure must be finite by construction. Reports each cycle once, at the call that closes it.
 */
public final class RecursionCheck {
  private final Program program;
  private final Diagnostics diags;
  private final Map<String, Map<String, Span>> calls = new HashMap<>();
  private final Map<String, Integer> state = new HashMap<>(); // 1 = on stack, 2 = done
  private final List<String> stack = new ArrayList<>();
  private final Set<String> onCycles = new HashSet<>();

  private RecursionCheck(Program program, Diagnostics diags) {
    this.program = program;
    this.diags = diags;
  }

  public static void check(Program program, Diagnostics diags) {
    run(program, diags);
  }

  /** The blocks on a cycle of calls by name: those {@link #check} reports. */
  static Set<String> blocksOnCycles(Program program) {
    return run(program, new Diagnostics()).onCycles;
  }

  private static RecursionCheck run(Program program, Diagnostics diags) {
    RecursionCheck rc = new RecursionCheck(program, diags);
    for (Ast.Decl d : program.decls().values()) {
      if (d instanceof Ast.BlockDecl b) rc.calls.put(b.name(), rc.callsOf(b));
    }
    program.decls().keySet().stream().sorted().forEach(name -> {
      if (rc.calls.containsKey(name)) rc.visit(name);
    });
    return rc;
  }

  private void visit(String block) {
    state.put(block, 1);
    stack.add(block);
    for (Map.Entry<String, Span> call : calls.get(block).entrySet()) {
      String callee = call.getKey();
      Integer s = state.get(callee);
      if (s != null && s == 1) {
        List<String> chain = new ArrayList<>(stack.subList(stack.indexOf(callee), stack.size()));
        onCycles.addAll(chain);
        chain.add(callee);
        diags.add(Diagnostic.error(Code.NET017, call.getValue(), (chain.size() == 2 ? "block " + callee + " calls itself"
            : "recursive blocks: " + String.join(" -> ", chain)) + "; a network's structure must be finite"));
      } else if (s == null) {
        visit(callee);
      }
    }
    stack.removeLast();
    state.put(block, 2);
  }

  private Map<String, Span> callsOf(Ast.BlockDecl b) {
    Map<String, Span> out = new LinkedHashMap<>();
    for (Ast.Param p : b.params()) if (p.defaultValue() != null) expr(p.defaultValue(), out);
    stmts(b.body(), out);
    return out;
  }

  private void stmts(List<Ast.Stmt> stmts, Map<String, Span> out) {
    for (Ast.Stmt s : stmts) {
      switch (s) {
        case Ast.Let l -> expr(l.value(), out);
        case Ast.Input i -> {}
        case Ast.Head h -> stmts(h.body(), out);
        case Ast.If i -> {
          stmts(i.then(), out);
          stmts(i.otherwise(), out);
        }
        case Ast.Repeat r -> stmts(r.body(), out);
        case Ast.Element e -> layer(e.layer(), out);
      }
    }
  }

  private void layer(Ast.Layer l, Map<String, Span> out) {
    switch (l) {
      case Ast.Call c -> {
        if (program.block(c.name()) != null) out.putIfAbsent(c.name(), c.nameSpan());
        for (Ast.Arg a : c.args()) expr(a.value(), out);
        if (c.branches() != null) stmts(c.branches(), out);
      }
      case Ast.Sequence s -> stmts(s.body(), out);
      case Ast.Residual r -> {
        stmts(r.body(), out);
        if (r.shortcut() != null) stmts(r.shortcut(), out);
      }
      case Ast.Gate g -> stmts(g.body(), out);
      case Ast.TensorLayer t -> {}
      case Ast.Reuse r -> {}
    }
  }

  /** Block names used as layer values in expressions ({@code block: Bottleneck}) count as calls too. */
  private void expr(Ast.Expr e, Map<String, Span> out) {
    switch (e) {
      case Ast.Name n -> {
        if (program.block(n.name()) != null) out.putIfAbsent(n.name(), n.span());
      }
      case Ast.CallExpr c -> {
        if (program.block(c.name()) != null) out.putIfAbsent(c.name(), c.nameSpan());
        for (Ast.Arg a : c.args()) expr(a.value(), out);
      }
      case Ast.Member m -> expr(m.target(), out);
      case Ast.Index i -> {
        expr(i.target(), out);
        expr(i.index(), out);
      }
      case Ast.Unary u -> expr(u.operand(), out);
      case Ast.Binary b -> {
        expr(b.left(), out);
        expr(b.right(), out);
      }
      case Ast.Cond c -> {
        expr(c.cond(), out);
        expr(c.then(), out);
        expr(c.otherwise(), out);
      }
      case Ast.TupleLit t -> t.elements().forEach(x -> expr(x, out));
      case Ast.ListLit t -> t.elements().forEach(x -> expr(x, out));
      default -> {}
    }
  }
}

package dev.netc.compiler.sema;

import dev.netc.compiler.diag.Code;
import dev.netc.compiler.diag.Span;
import dev.netc.compiler.ir.TensorType;
import dev.netc.compiler.ops.Value;
import dev.netc.compiler.syntax.Ast;
import java.util.ArrayList;
import java.util.List;
import java.util.Set;

/**
 * Evaluates expressions at compile time. Integers are 64-bit with overflow checks; {@code /} gives a float,
 * {@code //} and {@code %} follow Python. Errors are {@link SemaError}s at the offending subexpression.
 */
final class ExpressionEvaluator {
  /** What expressions can see besides variables: tensors, the block input, and which names are layers. */
  interface Context {
    Value.Tensor tensor(String name, Span span);

    Value.Tensor in(Span span);

    /** {@code @name[*]}: the tensors {@code name[0]}, {@code name[1]}, ... as a tuple. */
    Value.Tuple family(String name, Span span);

    TensorType typeOf(int node);

    boolean isLayerName(String name);

    List<String> layerNames();
  }

  static final Set<String> FUNCTIONS = Set.of("min", "max", "abs", "int", "float", "round", "floor", "ceil", "len",
      "make_divisible");

  private final Context ctx;

  ExpressionEvaluator(Context ctx) { this.ctx = ctx; }

  Value eval(Ast.Expr e, Env env) {
    return switch (e) {
      case Ast.IntLit i -> new Value.Int(i.value());
      case Ast.FloatLit f -> new Value.Float(f.value());
      case Ast.BoolLit b -> new Value.Bool(b.value());
      case Ast.StringLit s -> new Value.Str(s.value());
      case Ast.Name n -> name(n, env);
      case Ast.TensorRef t when t.family() -> ctx.family(t.name().substring(0, t.name().length() - 3), t.span());
      case Ast.TensorRef t -> ctx.tensor(t.name(), t.span());
      case Ast.InRef i -> ctx.in(i.span());
      case Ast.Member m -> member(m, env);
      case Ast.Index i -> index(i, env);
      case Ast.Unary u -> unary(u, env);
      case Ast.Binary b -> binary(b, env);
      case Ast.Cond c -> bool(c.cond(), env) ? eval(c.then(), env) : eval(c.otherwise(), env);
      case Ast.CallExpr c -> call(c, env);
      case Ast.TupleLit t -> new Value.Tuple(t.elements().stream().map(x -> eval(x, env)).toList());
      case Ast.ListLit l -> new Value.Tuple(l.elements().stream().map(x -> eval(x, env)).toList());
      case Ast.Bind b -> throw SemaError.of(Code.NET025, b.span(), "-> " + b.name() + " binds an output of an op, "
          + "as the value of that op's output argument in a layer, e.g. maxpool(2, indices: -> idx); it is not a value");
    };
  }

  boolean bool(Ast.Expr e, Env env) {
    Value v = eval(e, env);
    if (v instanceof Value.Bool b) return b.value();
    throw SemaError.of(Code.NET012, e.span(), "expected a bool condition, found " + v.typeName() + " " + v.show());
  }

  long integer(Ast.Expr e, Env env) {
    Value v = eval(e, env);
    if (v instanceof Value.Int i) return i.value();
    throw SemaError.of(Code.NET012, e.span(), "expected int, found " + v.typeName() + " " + v.show()
        + (v instanceof Value.Float ? " (use // for integer division, or int(...))" : ""));
  }

  private Value name(Ast.Name n, Env env) {
    Value v = env.lookup(n.name());
    if (v != null) return v;
    if (ctx.isLayerName(n.name())) return new Value.Layer(n.name(), List.of(), n.span());
    List<String> candidates = new ArrayList<>(env.allNames());
    throw SemaError.of(Code.NET010, n.span(), "unknown name '" + n.name() + "'" + Suggest.hint(n.name(), candidates));
  }

  private Value member(Ast.Member m, Env env) {
    Value target = eval(m.target(), env);
    if (!(target instanceof Value.Tensor t)) {
      throw SemaError.of(Code.NET027, m.memberSpan(), "'." + m.member() + "' needs a tensor (like in or @x), found "
          + target.typeName());
    }
    TensorType type = ctx.typeOf(t.node());
    int r = type.rank();
    Integer dim = switch (m.member()) {
      case "channels" -> r >= 1 ? type.dim(0) : null;
      case "height" -> r >= 3 ? type.dim(r - 2) : null;
      case "width" -> r >= 3 ? type.dim(r - 1) : null;
      case "depth" -> r == 4 ? type.dim(1) : null;
      case "length", "features" -> r >= 1 ? type.dim(r - 1) : null;
      case "rank" -> r;
      case "shape" -> -1;
      default -> throw SemaError.of(Code.NET027, m.memberSpan(), "tensors have no member '" + m.member() + "'"
          + Suggest.hint(m.member(), List.of("channels", "height", "width", "depth", "length", "features", "rank", "shape")));
    };
    if (dim == null) {
      throw SemaError.of(Code.NET027, m.memberSpan(), "'" + m.member() + "' is not defined for " + t.show() + " of type "
          + type);
    }
    if (dim == -1 && m.member().equals("shape")) {
      List<Value> dims = new ArrayList<>();
      for (int i = 0; i < r; i++) dims.add(new Value.Int(type.dim(i)));
      return new Value.Tuple(dims);
    }
    return new Value.Int(dim);
  }

  private Value index(Ast.Index ix, Env env) {
    if (ix.target() instanceof Ast.TensorRef t && !t.family()) {
      long i = integer(ix.index(), env);
      return ctx.tensor(t.name() + "[" + i + "]", ix.span());
    }
    Value target = eval(ix.target(), env);
    if (!(target instanceof Value.Tuple tuple)) {
      throw SemaError.of(Code.NET012, ix.target().span(), "only tuples and lists can be indexed, found " + target.typeName());
    }
    long i = integer(ix.index(), env);
    int n = tuple.elements().size();
    long k = i < 0 ? n + i : i;
    if (k < 0 || k >= n) {
      throw SemaError.of(Code.NET027, ix.index().span(), "index " + i + " is out of range for " + tuple.show()
          + " (length " + n + ")");
    }
    return tuple.elements().get((int) k);
  }

  private Value unary(Ast.Unary u, Env env) {
    Value v = eval(u.operand(), env);
    return switch (u.op()) {
      case "not" -> {
        if (v instanceof Value.Bool b) yield new Value.Bool(!b.value());
        throw SemaError.of(Code.NET012, u.operand().span(), "'not' needs a bool, found " + v.typeName());
      }
      case "-" -> switch (v) {
        case Value.Int i -> {
          if (i.value() == Long.MIN_VALUE) throw SemaError.of(Code.NET021, u.span(), "integer overflow in -" + i.show());
          yield new Value.Int(-i.value());
        }
        case Value.Float f -> new Value.Float(-f.value());
        default -> throw SemaError.of(Code.NET012, u.operand().span(), "'-' needs a number, found " + v.typeName());
      };
      default -> {
        if (v instanceof Value.Int || v instanceof Value.Float) yield v;
        throw SemaError.of(Code.NET012, u.operand().span(), "'+' needs a number, found " + v.typeName());
      }
    };
  }

  private Value binary(Ast.Binary b, Env env) {
    if (b.op().equals("and") || b.op().equals("or")) {
      boolean l = bool(b.left(), env);
      if (b.op().equals("and") ? !l : l) return new Value.Bool(l); // short-circuit, as users expect
      return new Value.Bool(bool(b.right(), env));
    }
    Value l = eval(b.left(), env), r = eval(b.right(), env);
    return switch (b.op()) {
      case "==" -> new Value.Bool(equal(l, r));
      case "!=" -> new Value.Bool(!equal(l, r));
      case "<", "<=", ">", ">=" -> compare(b, l, r);
      default -> Arithmetic.apply(b, l, r);
    };
  }

  private static boolean equal(Value l, Value r) {
    if (l instanceof Value.Int a && r instanceof Value.Float f) return a.value() == f.value();
    if (l instanceof Value.Float f && r instanceof Value.Int a) return a.value() == f.value();
    return l.equals(r);
  }

  private static Value compare(Ast.Binary b, Value l, Value r) {
    int c;
    if (l instanceof Value.Int x && r instanceof Value.Int y) c = Long.compare(x.value(), y.value());
    else if (Arithmetic.isNumber(l) && Arithmetic.isNumber(r)) c = Double.compare(Arithmetic.asDouble(l), Arithmetic.asDouble(r));
    else if (l instanceof Value.Str x && r instanceof Value.Str y) c = x.value().compareTo(y.value());
    else {
      throw SemaError.of(Code.NET012, b.opSpan(), "cannot compare " + l.typeName() + " " + l.show() + " with "
          + r.typeName() + " " + r.show());
    }
    boolean result = switch (b.op()) {
      case "<" -> c < 0;
      case "<=" -> c <= 0;
      case ">" -> c > 0;
      default -> c >= 0;
    };
    return new Value.Bool(result);
  }

  private Value call(Ast.CallExpr c, Env env) {
    if (FUNCTIONS.contains(c.name()) && env.lookup(c.name()) == null) {
      List<Value> args = new ArrayList<>();
      for (Ast.Arg a : c.args()) {
        if (a.name() != null) throw SemaError.of(Code.NET011, a.nameSpan(), c.name() + "() takes no named arguments");
        args.add(eval(a.value(), env));
      }
      return Builtins.apply(c, args);
    }
    List<Value.Arg> args = evalArgs(c.args(), env);
    Value v = env.lookup(c.name());
    if (v instanceof Value.Layer layer) return new Value.Layer(layer.name(), Binder.partial(layer.args(), args), c.span());
    if (v == null && ctx.isLayerName(c.name())) return new Value.Layer(c.name(), args, c.span());
    if (v != null) {
      throw SemaError.of(Code.NET012, c.nameSpan(), "'" + c.name() + "' is a " + v.typeName() + ", not a layer or function");
    }
    List<String> candidates = new ArrayList<>(FUNCTIONS);
    candidates.addAll(ctx.layerNames());
    throw SemaError.of(Code.NET010, c.nameSpan(), "unknown function, op or block '" + c.name() + "'"
        + Suggest.hint(c.name(), candidates));
  }

  List<Value.Arg> evalArgs(List<Ast.Arg> args, Env env) {
    List<Value.Arg> out = new ArrayList<>(args.size());
    for (Ast.Arg a : args) out.add(new Value.Arg(a.name(), eval(a.value(), env), a.span(), a.nameSpan()));
    return out;
  }
}

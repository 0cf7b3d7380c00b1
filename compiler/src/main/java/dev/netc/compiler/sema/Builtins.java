package dev.netc.compiler.sema;

import dev.netc.compiler.diag.Code;
import dev.netc.compiler.ops.Value;
import dev.netc.compiler.syntax.Ast;
import java.util.List;

/** The language's built-in functions: min, max, abs, int, float, round, floor, ceil, len, make_divisible. */
final class Builtins {
  private Builtins() {}

  static Value apply(Ast.CallExpr c, List<Value> args) {
    return switch (c.name()) {
      case "min", "max" -> extremum(c, args);
      case "abs" -> {
        Value v = number(c, args, 1).getFirst();
        if (v instanceof Value.Int i && i.value() == Long.MIN_VALUE) {
          throw SemaError.of(Code.NET021, c.span(), "abs(" + i.value() + ") does not fit in a 64-bit integer");
        }
        yield v instanceof Value.Int i ? new Value.Int(Math.abs(i.value())) : new Value.Float(Math.abs(Arithmetic.asDouble(v)));
      }
      case "int" -> new Value.Int(toLong(c, truncate(Arithmetic.asDouble(number(c, args, 1).getFirst()), args)));
      case "float" -> new Value.Float(Arithmetic.asDouble(number(c, args, 1).getFirst()));
      case "round" -> new Value.Int(toLong(c, Math.rint(Arithmetic.asDouble(number(c, args, 1).getFirst()))));
      case "floor" -> new Value.Int(toLong(c, Math.floor(Arithmetic.asDouble(number(c, args, 1).getFirst()))));
      case "ceil" -> new Value.Int(toLong(c, Math.ceil(Arithmetic.asDouble(number(c, args, 1).getFirst()))));
      case "len" -> {
        arity(c, args, 1);
        if (args.getFirst() instanceof Value.Tuple t) yield new Value.Int(t.elements().size());
        throw SemaError.of(Code.NET012, c.span(), "len() needs a tuple or list, found " + args.getFirst().typeName());
      }
      case "make_divisible" -> makeDivisible(c, args);
      default -> throw new IllegalStateException("builtin " + c.name());
    };
  }

  private static double truncate(double d, List<Value> args) {
    return args.getFirst() instanceof Value.Int i ? i.value() : (d < 0 ? Math.ceil(d) : Math.floor(d));
  }

  /** torchvision's _make_divisible: round to the nearest multiple of divisor, never below 90 % of v. */
  private static Value makeDivisible(Ast.CallExpr c, List<Value> args) {
    if (args.size() < 2 || args.size() > 3) {
      throw SemaError.of(Code.NET014, c.span(), "make_divisible(v, divisor[, min]) takes 2 or 3 arguments, got " + args.size());
    }
    List<Value> nums = number(c, args, args.size());
    double v = Arithmetic.asDouble(nums.get(0));
    if (!(Math.abs(v) <= 1L << 53)) {
      throw SemaError.of(Code.NET021, c.span(), "make_divisible: " + v + " is too large (at most 2^53)");
    }
    long divisor = toLong(c, Arithmetic.asDouble(nums.get(1)));
    if (divisor <= 0 || divisor > 1L << 53) {
      throw SemaError.of(Code.NET022, c.span(), "make_divisible: divisor must be in [1, 2^53], got " + divisor);
    }
    long min = args.size() == 3 ? toLong(c, Arithmetic.asDouble(nums.get(2))) : divisor;
    long newV = Math.max(min, (long) (v + divisor / 2.0) / divisor * divisor);
    if (newV < 0.9 * v) newV += divisor;
    return new Value.Int(newV);
  }

  private static Value extremum(Ast.CallExpr c, List<Value> args) {
    List<Value> xs = args.size() == 1 && args.getFirst() instanceof Value.Tuple t ? t.elements() : args;
    if (xs.isEmpty()) throw SemaError.of(Code.NET013, c.span(), c.name() + "() needs at least one value");
    Value best = null;
    for (Value v : xs) {
      if (!Arithmetic.isNumber(v)) throw SemaError.of(Code.NET012, c.span(), c.name() + "() needs numbers, found " + v.typeName());
      if (best == null) best = v;
      else {
        int cmp = Double.compare(Arithmetic.asDouble(v), Arithmetic.asDouble(best));
        if (c.name().equals("min") ? cmp < 0 : cmp > 0) best = v;
      }
    }
    return best;
  }

  private static List<Value> number(Ast.CallExpr c, List<Value> args, int n) {
    arity(c, args, n);
    for (Value v : args) {
      if (!Arithmetic.isNumber(v)) {
        throw SemaError.of(Code.NET012, c.span(), c.name() + "() needs a number, found " + v.typeName() + " " + v.show());
      }
    }
    return args;
  }

  private static void arity(Ast.CallExpr c, List<Value> args, int n) {
    if (args.size() != n) {
      throw SemaError.of(args.size() < n ? Code.NET013 : Code.NET014, c.span(),
          c.name() + "() takes " + n + " argument" + (n == 1 ? "" : "s") + ", got " + args.size());
    }
  }

  private static long toLong(Ast.CallExpr c, double d) {
    if (Double.isNaN(d) || d > Long.MAX_VALUE || d < Long.MIN_VALUE) {
      throw SemaError.of(Code.NET021, c.span(), c.name() + "(): " + d + " does not fit in a 64-bit integer");
    }
    return (long) d;
  }
}

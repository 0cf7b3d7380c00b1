package dev.netc.compiler.sema;

import dev.netc.compiler.diag.Code;
import dev.netc.compiler.ops.Value;
import dev.netc.compiler.syntax.Ast;

/** Arithmetic operators on compile-time numbers: exact 64-bit integers, Python's division and modulo rules. */
final class Arithmetic {
  private Arithmetic() {}

  static boolean isNumber(Value v) { return v instanceof Value.Int || v instanceof Value.Float; }

  static double asDouble(Value v) { return v instanceof Value.Int i ? i.value() : ((Value.Float) v).value(); }

  static Value apply(Ast.Binary b, Value l, Value r) {
    if (b.op().equals("+") && l instanceof Value.Str x && r instanceof Value.Str y) return new Value.Str(x.value() + y.value());
    if (b.op().equals("+") && l instanceof Value.Tuple x && r instanceof Value.Tuple y) {
      java.util.List<Value> all = new java.util.ArrayList<>(x.elements());
      all.addAll(y.elements());
      return new Value.Tuple(all);
    }
    if (!isNumber(l) || !isNumber(r)) {
      throw SemaError.of(Code.NET012, b.opSpan(), "'" + b.op() + "' needs numbers, found " + l.typeName() + " "
          + l.show() + " and " + r.typeName() + " " + r.show());
    }
    if (l instanceof Value.Int x && r instanceof Value.Int y) return ints(b, x.value(), y.value());
    return floats(b, asDouble(l), asDouble(r));
  }

  private static Value ints(Ast.Binary b, long x, long y) {
    try {
      return switch (b.op()) {
        case "+" -> new Value.Int(Math.addExact(x, y));
        case "-" -> new Value.Int(Math.subtractExact(x, y));
        case "*" -> new Value.Int(Math.multiplyExact(x, y));
        case "/" -> {
          nonZero(b, y == 0);
          yield new Value.Float((double) x / y);
        }
        case "//" -> {
          nonZero(b, y == 0);
          if (x == Long.MIN_VALUE && y == -1) throw new ArithmeticException();
          yield new Value.Int(Math.floorDiv(x, y));
        }
        case "%" -> {
          nonZero(b, y == 0);
          yield new Value.Int(Math.floorMod(x, y));
        }
        case "**" -> {
          nonZero(b, x == 0 && y < 0);
          yield y < 0 ? floats(b, x, y) : new Value.Int(pow(x, y));
        }
        default -> throw new IllegalStateException("operator " + b.op());
      };
    } catch (ArithmeticException e) {
      throw SemaError.of(Code.NET021, b.span(), "integer overflow: " + x + " " + b.op() + " " + y
          + " does not fit in 64 bits");
    }
  }

  /** {@code base ** exp} for {@code exp >= 0} by squaring: 64 steps at most, whatever the exponent. */
  private static long pow(long base, long exp) {
    if (base == 0 || base == 1) return exp == 0 ? 1 : base;
    if (base == -1) return (exp & 1) == 0 ? 1 : -1;
    long result = 1;
    long square = base;
    for (long e = exp; e > 0; e >>= 1) {
      if ((e & 1) != 0) result = Math.multiplyExact(result, square);
      if (e > 1) square = Math.multiplyExact(square, square);
    }
    return result;
  }

  private static Value floats(Ast.Binary b, double x, double y) {
    double r = switch (b.op()) {
      case "+" -> x + y;
      case "-" -> x - y;
      case "*" -> x * y;
      case "/" -> {
        nonZero(b, y == 0);
        yield x / y;
      }
      case "//" -> {
        nonZero(b, y == 0);
        yield Math.floor(x / y);
      }
      case "%" -> {
        nonZero(b, y == 0);
        yield x - Math.floor(x / y) * y;
      }
      case "**" -> {
        nonZero(b, x == 0 && y < 0);
        yield Math.pow(x, y);
      }
      default -> throw new IllegalStateException("operator " + b.op());
    };
    if (Double.isNaN(r) || Double.isInfinite(r)) {
      throw SemaError.of(Code.NET021, b.span(), "'" + b.op() + "' on " + x + " and " + y + " is not a finite number");
    }
    return new Value.Float(r);
  }

  private static void nonZero(Ast.Binary b, boolean zero) {
    if (zero) {
      throw SemaError.of(Code.NET020, b.right().span(), b.op().equals("**") ? "zero to a negative power in '**'"
          : "division by zero in '" + b.op() + "'");
    }
  }
}

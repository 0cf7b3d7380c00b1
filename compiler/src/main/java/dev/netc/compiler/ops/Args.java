package dev.netc.compiler.ops;

import dev.netc.compiler.diag.Code;
import dev.netc.compiler.ir.TensorType;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;

/**
 * Arguments bound to an op's {@link ArgSpec}s (positional resolved to names, defaults filled, types checked),
 * with typed accessors that validate values and throw {@link ArgException} naming the argument.
 */
public final class Args {
  private final String op;
  private final Map<String, Value> values;
  private final Map<String, TensorType> tensorTypes;

  private final Map<String, Source> sources;

  /**
   * Where a tensor argument comes from: the op of the node that makes it and that node's input types (max unpooling
   * reads the max pooling its indices come from).
   */
  public record Source(dev.netc.compiler.ir.Op op, List<TensorType> inputs) {}

  public Args(String op, Map<String, Value> values, Map<String, TensorType> tensorTypes) {
    this(op, values, tensorTypes, Map.of());
  }

  public Args(String op, Map<String, Value> values, Map<String, TensorType> tensorTypes, Map<String, Source> sources) {
    this.op = op;
    this.values = values;
    this.tensorTypes = tensorTypes;
    this.sources = sources;
  }

  /** The node behind tensor argument {@code name}, or null. */
  public Source source(String name) { return sources.get(name); }

  public boolean has(String name) { return values.get(name) != null; }

  public Value get(String name) { return values.get(name); }

  public long integer(String name) { return ((Value.Int) values.get(name)).value(); }

  public int smallInt(String name) {
    long v = integer(name);
    if (v > Integer.MAX_VALUE || v < Integer.MIN_VALUE) throw invalid(name, name + " " + v + " is out of range");
    return (int) v;
  }

  /** A count or size: must be at least 1. */
  public int positive(String name) {
    long v = integer(name);
    if (v < 1) throw invalid(name, op + ": " + name + " must be positive, got " + v);
    if (v > Integer.MAX_VALUE) throw new ArgException(name, Code.NET023, op + ": " + name + " " + v + " is too large");
    return (int) v;
  }

  public int nonNegative(String name) {
    long v = integer(name);
    if (v < 0) throw invalid(name, op + ": " + name + " must not be negative, got " + v);
    if (v > Integer.MAX_VALUE) throw new ArgException(name, Code.NET023, op + ": " + name + " " + v + " is too large");
    return (int) v;
  }

  /** A number argument; it must be a finite float32 value, since every kernel computes in float32. */
  public double number(String name) {
    return float32(name, asDouble(values.get(name)));
  }

  private double float32(String name, double d) {
    if (!Double.isFinite(d) || Math.abs(d) > Float.MAX_VALUE) {
      throw invalid(name, op + ": " + name + " must be a finite 32-bit float (|x| <= 3.4028235e38), got " + d);
    }
    return d;
  }

  public boolean bool(String name) { return ((Value.Bool) values.get(name)).value(); }

  public String string(String name) { return ((Value.Str) values.get(name)).value(); }

  /** One of the allowed strings. */
  public String choice(String name, String... allowed) {
    String s = string(name);
    for (String a : allowed) if (a.equals(s)) return s;
    throw invalid(name, op + ": " + name + " must be one of " + String.join(", ", quoted(allowed)) + ", got \"" + s + "\"");
  }

  private static List<String> quoted(String[] xs) {
    List<String> out = new ArrayList<>();
    for (String x : xs) out.add('"' + x + '"');
    return out;
  }

  /** All ints of an INTS argument (an int is a one-element list). */
  public List<Integer> intList(String name) {
    Value v = values.get(name);
    List<Integer> out = new ArrayList<>();
    if (v instanceof Value.Int i) out.add(toInt(name, i.value()));
    else for (Value e : ((Value.Tuple) v).elements()) out.add(toInt(name, ((Value.Int) e).value()));
    return out;
  }

  /** An INTS argument as one value per spatial dim: an int is repeated, a tuple must have {@code dims} values. */
  public List<Integer> perDim(String name, int dims, int min) {
    List<Integer> xs = intList(name);
    if (xs.size() == 1 && dims > 1) xs = java.util.Collections.nCopies(dims, xs.getFirst());
    if (xs.size() != dims) {
      throw invalid(name, op + ": " + name + " needs 1 or " + dims + " values for " + dims + "-D input, got " + xs.size());
    }
    for (int x : xs) {
      if (x < min) throw invalid(name, op + ": " + name + " must be at least " + min + ", got " + x);
    }
    return List.copyOf(xs);
  }

  /** The float values of a NUMBERS argument. */
  public List<Double> numbers(String name) {
    Value v = values.get(name);
    List<Double> out = new ArrayList<>();
    if (v instanceof Value.Tuple t) for (Value e : t.elements()) out.add(float32(name, asDouble(e)));
    else out.add(float32(name, asDouble(v)));
    return out;
  }

  private static double asDouble(Value v) {
    return v instanceof Value.Int i ? i.value() : ((Value.Float) v).value();
  }

  /**
   * Padding as (begin, end) per spatial dim. Accepts an int, one value per dim, 2 × dims values in ONNX order
   * (all begins, then all ends), or "valid" (none) / "same" (PyTorch's rule, stride 1: the extra on the end).
   */
  public Padding padding(String name, int dims, List<Integer> kernel, List<Integer> dilation, List<Integer> stride) {
    Value v = values.get(name);
    if (v instanceof Value.Str s) {
      List<Integer> zeros = java.util.Collections.nCopies(dims, 0);
      if (s.value().equals("valid")) return new Padding(zeros, zeros);
      if (stride.stream().anyMatch(x -> x != 1)) {
        throw invalid(name, op + ": pad \"same\" needs stride 1 (as in PyTorch); give explicit padding");
      }
      List<Integer> begin = new ArrayList<>(), end = new ArrayList<>();
      for (int d = 0; d < dims; d++) {
        int total = dilation.get(d) * (kernel.get(d) - 1);
        begin.add(total / 2);
        end.add(total - total / 2);
      }
      return new Padding(begin, end);
    }
    List<Integer> xs = intList(name);
    for (int x : xs) if (x < 0) throw invalid(name, op + ": padding must not be negative, got " + x);
    if (xs.size() == 1) xs = java.util.Collections.nCopies(dims, xs.getFirst());
    if (xs.size() == dims) return new Padding(xs, xs);
    if (xs.size() == 2 * dims) return new Padding(xs.subList(0, dims), xs.subList(dims, 2 * dims));
    throw invalid(name, op + ": " + name + " needs 1, " + dims + " or " + (2 * dims) + " values for " + dims
        + "-D input, got " + xs.size());
  }

  /** Begin and end padding per spatial dim. */
  public record Padding(List<Integer> begin, List<Integer> end) {
    public Padding {
      begin = List.copyOf(begin);
      end = List.copyOf(end);
    }
  }

  /** The type of a shape-only tensor argument ({@code like: @x}). */
  public TensorType tensorType(String name) { return tensorTypes.get(name); }

  private int toInt(String name, long v) {
    if (v > Integer.MAX_VALUE || v < Integer.MIN_VALUE) throw invalid(name, op + ": " + name + " value " + v + " is out of range");
    return (int) v;
  }

  public ArgException invalid(String name, String message) { return new ArgException(name, Code.NET022, message); }
}

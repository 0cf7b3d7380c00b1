package dev.netc.compiler.ops;

import dev.netc.compiler.diag.Span;
import java.util.List;
import java.util.stream.Collectors;

/** A compile-time value of the language: what expressions evaluate to and what arguments carry. */
public sealed interface Value {
  /** The type's name as the user writes it, for "expected int, found float". */
  String typeName();

  /** The value as the user would write it. */
  String show();

  record Int(long value) implements Value {
    public String typeName() { return "int"; }

    public String show() { return Long.toString(value); }
  }

  record Float(double value) implements Value {
    public String typeName() { return "float"; }

    public String show() {
      return value == Math.rint(value) && Math.abs(value) < 1e15 ? String.format("%.1f", value) : Double.toString(value);
    }
  }

  record Bool(boolean value) implements Value {
    public String typeName() { return "bool"; }

    public String show() { return Boolean.toString(value); }
  }

  record Str(String value) implements Value {
    public String typeName() { return "string"; }

    public String show() { return '"' + value + '"'; }
  }

  /** A tuple {@code (3, 1)} or a list {@code [1, 2, 3]}: the same value, written two ways. */
  record Tuple(List<Value> elements) implements Value {
    public Tuple { elements = List.copyOf(elements); }

    public String typeName() {
      return "(" + elements.stream().map(Value::typeName).collect(Collectors.joining(", ")) + ")";
    }

    public String show() {
      return "(" + elements.stream().map(Value::show).collect(Collectors.joining(", "))
          + (elements.size() == 1 ? ",)" : ")");
    }
  }

  /** An op or block with arguments bound so far: {@code relu}, {@code leaky_relu(0.1)}, {@code Bottleneck}. */
  record Layer(String name, List<Arg> args, Span span) implements Value {
    public Layer { args = List.copyOf(args); }

    public String typeName() { return "layer"; }

    public String show() {
      return args.isEmpty() ? name : name + "(" + args.stream().map(Arg::show).collect(Collectors.joining(", ")) + ")";
    }
  }

  /** A tensor of the graph being built, by node id; {@code label} is how the user referred to it. */
  record Tensor(int node, String label) implements Value {
    public String typeName() { return "tensor"; }

    public String show() { return label; }
  }

  /** An evaluated argument: positional when {@code name} is null. */
  record Arg(String name, Value value, Span span, Span nameSpan) {
    public String show() { return name == null ? value.show() : name + ": " + value.show(); }
  }
}

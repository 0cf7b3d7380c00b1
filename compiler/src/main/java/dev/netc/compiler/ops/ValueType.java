package dev.netc.compiler.ops;

import java.util.List;
import java.util.stream.Collectors;

/**
 * The declared type of a parameter, op argument or block parameter. Besides the language's types it has the
 * forms op arguments need: {@code INTS} (an int, or a tuple of ints, one per spatial dim), {@code PADDING}
 * (INTS or "same"/"valid"), {@code TENSORS} (any number of tensors, positional), {@code NUMBERS}.
 */
public record ValueType(Base base, List<ValueType> elements) {
  public enum Base { INT, FLOAT, BOOL, STRING, LAYER, TENSOR, TUPLE, ANY_TUPLE, INTS, NUMBERS, PADDING, TENSORS, ANY, OUTPUT }

  public ValueType { elements = List.copyOf(elements); }

  public static final ValueType INT = of(Base.INT);
  public static final ValueType FLOAT = of(Base.FLOAT);
  public static final ValueType BOOL = of(Base.BOOL);
  public static final ValueType STRING = of(Base.STRING);
  public static final ValueType LAYER = of(Base.LAYER);
  public static final ValueType TENSOR = of(Base.TENSOR);
  public static final ValueType INTS = of(Base.INTS);
  public static final ValueType NUMBERS = of(Base.NUMBERS);
  public static final ValueType PADDING = of(Base.PADDING);
  public static final ValueType TENSORS = of(Base.TENSORS);
  public static final ValueType ANY = of(Base.ANY);
  /** An output of the op bound to a tensor name, {@code indices: -> idx}: written as a binding, never a value. */
  public static final ValueType OUTPUT = of(Base.OUTPUT);
  /** A tuple or list of any length and element types ({@code list} in block parameters). */
  public static final ValueType ANY_TUPLE = of(Base.ANY_TUPLE);

  private static ValueType of(Base b) { return new ValueType(b, List.of()); }

  public static ValueType tuple(List<ValueType> elements) { return new ValueType(Base.TUPLE, elements); }

  /** Whether {@code v} is acceptable; an int is accepted for a float (widened by {@link #coerce}). */
  public boolean accepts(Value v) {
    return switch (base) {
      case INT -> v instanceof Value.Int;
      case FLOAT -> v instanceof Value.Float || v instanceof Value.Int;
      case BOOL -> v instanceof Value.Bool;
      case STRING -> v instanceof Value.Str;
      case LAYER -> v instanceof Value.Layer;
      case TENSOR, TENSORS -> v instanceof Value.Tensor;
      case TUPLE -> v instanceof Value.Tuple t && t.elements().size() == elements.size()
          && allAccept(t.elements());
      case INTS -> v instanceof Value.Int
          || v instanceof Value.Tuple t && t.elements().stream().allMatch(e -> e instanceof Value.Int);
      case NUMBERS -> v instanceof Value.Int || v instanceof Value.Float || v instanceof Value.Tuple t
          && t.elements().stream().allMatch(e -> e instanceof Value.Int || e instanceof Value.Float);
      case PADDING -> INTS.accepts(v) || v instanceof Value.Str s && (s.value().equals("same") || s.value().equals("valid"));
      case ANY_TUPLE -> v instanceof Value.Tuple;
      case ANY -> true;
      case OUTPUT -> false;
    };
  }

  private boolean allAccept(List<Value> vs) {
    for (int i = 0; i < vs.size(); i++) if (!elements.get(i).accepts(vs.get(i))) return false;
    return true;
  }

  /** The value converted to this type's representation (int to float where a float is declared). */
  public Value coerce(Value v) {
    if (base == Base.FLOAT && v instanceof Value.Int i) return new Value.Float(i.value());
    if (base == Base.TUPLE && v instanceof Value.Tuple t) {
      List<Value> out = new java.util.ArrayList<>();
      for (int i = 0; i < t.elements().size(); i++) out.add(elements.get(i).coerce(t.elements().get(i)));
      return new Value.Tuple(out);
    }
    return v;
  }

  @Override
  public String toString() {
    return switch (base) {
      case TUPLE -> "(" + elements.stream().map(ValueType::toString).collect(Collectors.joining(", ")) + ")";
      case INTS -> "int or tuple of ints";
      case NUMBERS -> "number or tuple of numbers";
      case PADDING -> "int, tuple of ints, \"same\" or \"valid\"";
      case TENSORS -> "tensors";
      case ANY_TUPLE -> "list";
      case OUTPUT -> "a tensor name to bind, -> name";
      default -> base.name().toLowerCase(java.util.Locale.ROOT);
    };
  }
}

package dev.netc.compiler.ops;

/**
 * One argument of an op: name, type, default, and a line of documentation. {@code defaultValue} is null for a
 * required argument unless {@code optional} (absent is meaningful, e.g. a pooling stride defaults to the kernel).
 * A {@code rest} argument gathers every remaining positional argument ({@code concat(@a, @b)},
 * {@code reshape(4, 4, 13)}). A {@code data} tensor argument becomes an input of the node; other tensor
 * arguments only lend their shape ({@code crop(like: @skip)}).
 */
public record ArgSpec(String name, ValueType type, Value defaultValue, boolean optional, boolean rest, boolean data,
    String doc) {

  public static ArgSpec required(String name, ValueType type, String doc) {
    return new ArgSpec(name, type, null, false, false, false, doc);
  }

  public static ArgSpec optional(String name, ValueType type, String doc) {
    return new ArgSpec(name, type, null, true, false, false, doc);
  }

  public static ArgSpec of(String name, ValueType type, Value dflt, String doc) {
    return new ArgSpec(name, type, dflt, false, false, false, doc);
  }

  public static ArgSpec rest(String name, ValueType type, boolean data, String doc) {
    return new ArgSpec(name, type, null, true, true, data, doc);
  }

  public static ArgSpec dataTensor(String name, String doc) {
    return new ArgSpec(name, ValueType.TENSOR, null, false, false, true, doc);
  }

  /**
   * An output of the op besides the flow, made only when bound to a tensor name: {@code indices: -> idx}. It holds no
   * value: the elaborator takes the binding before the values are bound.
   */
  public static ArgSpec output(String name, String doc) {
    return new ArgSpec(name, ValueType.OUTPUT, null, true, false, false, doc);
  }

  public boolean output() { return type.base() == ValueType.Base.OUTPUT; }

  public boolean required() { return defaultValue == null && !optional; }
}

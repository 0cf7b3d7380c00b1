package dev.netc.compiler.sema;

import dev.netc.compiler.diag.Code;
import dev.netc.compiler.diag.Span;
import dev.netc.compiler.ops.Value;
import dev.netc.compiler.ops.ValueType;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.function.Supplier;

/**
 * Binds call arguments to declared parameters, for ops and blocks alike: positional then named, defaults,
 * a trailing "rest" parameter, type checks. Every mistake is a {@link SemaError} pointing at the argument.
 */
final class Binder {
  /** A declared parameter; {@code defaultValue} null means required (unless {@code optional}). */
  record Slot(String name, ValueType type, Supplier<Value> defaultValue, boolean optional, boolean rest) {}

  /** The bound values (absent optional arguments map to null) and where each came from. */
  record Bound(Map<String, Value> values, Map<String, Span> spans) {}

  private Binder() {}

  static Bound bind(String callee, List<Slot> slots, List<Value.Arg> args, Span callSpan) {
    Map<String, Value> values = new LinkedHashMap<>();
    Map<String, Span> spans = new LinkedHashMap<>();
    int positional = 0;
    boolean sawNamed = false;
    List<Value> restValues = null;
    for (Value.Arg a : args) {
      if (a.name() == null) {
        if (sawNamed) throw SemaError.of(Code.NET025, a.span(), callee + ": positional argument after a named one");
        if (positional < slots.size() && slots.get(positional).rest()) {
          if (restValues == null) restValues = new ArrayList<>();
          if (a.value() instanceof Value.Tuple family && slots.get(positional).type().equals(ValueType.TENSORS)
              && !family.elements().isEmpty() && family.elements().stream().allMatch(v -> v instanceof Value.Tensor)) {
            restValues.addAll(family.elements()); // @outs[*] stands for its tensors
          } else {
            restValues.add(check(callee, slots.get(positional), a.value(), a.span()));
          }
          spans.putIfAbsent(slots.get(positional).name(), a.span());
          continue;
        }
        if (positional >= slots.size()) {
          long max = slots.stream().filter(s -> !s.rest()).count();
          throw SemaError.of(Code.NET014, a.span(), callee + " takes " + max + " positional argument"
              + (max == 1 ? "" : "s") + ", got more" + (slots.isEmpty() ? "" : " (parameters: " + names(slots) + ")"));
        }
        Slot s = slots.get(positional++);
        values.put(s.name(), check(callee, s, a.value(), a.span()));
        spans.put(s.name(), a.span());
      } else {
        sawNamed = true;
        Slot s = slots.stream().filter(x -> x.name().equals(a.name())).findFirst().orElse(null);
        if (s == null) {
          throw SemaError.of(Code.NET011, a.nameSpan(), callee + " has no parameter '" + a.name() + "'"
              + Suggest.hint(a.name(), slots.stream().map(Slot::name).toList())
              + (slots.isEmpty() ? "; it takes no arguments" : "; parameters: " + names(slots)));
        }
        if (values.containsKey(s.name()) || spans.containsKey(s.name())) {
          throw SemaError.of(Code.NET015, a.span(), callee + ": argument '" + a.name() + "' is given twice");
        }
        Value v = check(callee, s, a.value(), a.span());
        values.put(s.name(), s.rest() ? new Value.Tuple(List.of(v)) : v);
        spans.put(s.name(), a.span());
      }
    }
    for (Slot s : slots) {
      if (s.rest()) {
        if (restValues != null) values.put(s.name(), new Value.Tuple(restValues));
        else values.putIfAbsent(s.name(), null);
        continue;
      }
      if (values.containsKey(s.name())) continue;
      if (s.defaultValue() != null) values.put(s.name(), s.defaultValue().get());
      else if (s.optional()) values.put(s.name(), null);
      else throw SemaError.of(Code.NET013, callSpan, callee + ": missing required argument '" + s.name() + "' ("
          + s.type() + ")");
    }
    return new Bound(values, spans);
  }

  /**
   * The arguments of a call through a layer value: {@code unit = Bottleneck(groups: 32)} then {@code unit(64)} is
   * {@code Bottleneck(64, groups: 32)}. Positional arguments first (the value's, then the call's), then named.
   */
  static List<Value.Arg> partial(List<Value.Arg> bound, List<Value.Arg> call) {
    List<Value.Arg> all = new ArrayList<>();
    for (Value.Arg a : bound) if (a.name() == null) all.add(a);
    for (Value.Arg a : call) if (a.name() == null) all.add(a);
    for (Value.Arg a : bound) if (a.name() != null) all.add(a);
    for (Value.Arg a : call) if (a.name() != null) all.add(a);
    return all;
  }

  private static Value check(String callee, Slot s, Value v, Span span) {
    ValueType type = s.rest() && s.type().base() == ValueType.Base.TENSORS ? ValueType.TENSOR : s.type();
    if (!type.accepts(v)) {
      throw SemaError.of(Code.NET012, span, callee + ": '" + s.name() + "' expects " + type + ", found "
          + v.typeName() + " " + v.show()
          + (v instanceof Value.Float && type.base() == ValueType.Base.INT ? " (use // or int(...) for an integer)" : ""));
    }
    return type.coerce(v);
  }

  private static String names(List<Slot> slots) {
    return String.join(", ", slots.stream().map(Slot::name).toList());
  }
}

package dev.netc.compiler.sema;

import dev.netc.compiler.diag.Code;
import dev.netc.compiler.ops.ValueType;
import dev.netc.compiler.syntax.Ast;
import java.util.List;

/** Declared parameter types ({@code int}, {@code (int, int)}, ...) to {@link ValueType}. */
final class Types {
  static final List<String> NAMES = List.of("int", "float", "bool", "string", "layer", "tensor", "ints", "list");

  private Types() {}

  static ValueType resolve(Ast.TypeRef t) {
    return switch (t) {
      case Ast.NamedType n -> switch (n.name()) {
        case "int" -> ValueType.INT;
        case "float" -> ValueType.FLOAT;
        case "bool" -> ValueType.BOOL;
        case "string" -> ValueType.STRING;
        case "layer" -> ValueType.LAYER;
        case "tensor" -> ValueType.TENSOR;
        case "ints" -> ValueType.INTS;
        case "list" -> ValueType.ANY_TUPLE;
        default -> throw SemaError.of(Code.NET010, n.span(), "unknown type '" + n.name() + "'"
            + Suggest.hint(n.name(), NAMES) + "; types are " + String.join(", ", NAMES) + " and tuples like (int, int)");
      };
      case Ast.TupleType tt -> ValueType.tuple(tt.elements().stream().map(Types::resolve).toList());
    };
  }
}

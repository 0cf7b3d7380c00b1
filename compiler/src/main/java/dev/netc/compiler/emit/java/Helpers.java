package dev.netc.compiler.emit.java;

import static dev.netc.compiler.emit.java.RuntimeTypes.BN_WEIGHTS;

import com.palantir.javapoet.ArrayTypeName;
import com.palantir.javapoet.ClassName;
import com.palantir.javapoet.MethodSpec;
import com.palantir.javapoet.TypeName;
import com.palantir.javapoet.TypeSpec;
import dev.netc.runtime.InputException;
import java.io.IOException;
import java.util.List;
import java.util.Set;
import javax.lang.model.element.Modifier;

/**
 * The private helpers a generated class may contain: the weight source, a batchnorm's tensors read from it, the
 * check of an array's length (the session's parallel runner is {@link SessionEmitter}'s). Every kernel is the
 * runtime's; only the helpers some step uses are emitted.
 */
final class Helpers {
  private Helpers() {}

  /** One helper (a method or a nested type). */
  enum Helper { REQUIRE_LENGTH, ITEMS, NORM, PARALLEL }

  static final TypeName FLOATS = ArrayTypeName.of(TypeName.FLOAT);
  /** The helper methods' names, which no layer-derived name may take. */
  static final List<String> RESERVED = List.of("norm", "requireLength", "items", "requireItems");

  /** The nested types and methods for {@code used}, in a fixed order; {@code source} names the weight source type. */
  static void addTo(TypeSpec.Builder cls, Set<Helper> used, ClassName source) {
    cls.addType(sourceType(source));
    if (used.contains(Helper.NORM)) cls.addMethod(normMethod(source));
    if (used.contains(Helper.REQUIRE_LENGTH)) cls.addMethod(requireLength());
    if (used.contains(Helper.ITEMS)) cls.addMethods(List.of(items(), requireItems()));
  }

  private static TypeSpec sourceType(ClassName source) {
    return TypeSpec.interfaceBuilder(source).addModifiers(Modifier.PRIVATE)
        .addAnnotation(FunctionalInterface.class)
        .addJavadoc("Where weights come from: a tensor by its full name, checked against the shape the network "
            + "gives it.\n")
        .addMethod(MethodSpec.methodBuilder("tensor").addModifiers(Modifier.PUBLIC, Modifier.ABSTRACT)
            .returns(FLOATS).addParameter(String.class, "name").addParameter(int[].class, "shape").varargs()
            .addException(IOException.class).build())
        .build();
  }

  private static MethodSpec normMethod(ClassName source) {
    return MethodSpec.methodBuilder("norm").addModifiers(Modifier.PRIVATE, Modifier.STATIC).returns(BN_WEIGHTS)
        .addJavadoc("A batchnorm's tensors (gamma and beta null when it is not affine), to fold at load time.\n")
        .addParameter(source, "w").addParameter(String.class, "layer").addParameter(TypeName.INT, "channels")
        .addParameter(TypeName.FLOAT, "eps").addParameter(TypeName.BOOLEAN, "affine").addException(IOException.class)
        .addStatement("$T gamma = affine ? w.tensor(layer + $S, channels) : null", FLOATS, ".weight")
        .addStatement("$T beta = affine ? w.tensor(layer + $S, channels) : null", FLOATS, ".bias")
        .addStatement("return new $T(gamma, beta, w.tensor(layer + $S, channels), w.tensor(layer + $S, channels), eps)",
            BN_WEIGHTS, ".running_mean", ".running_var")
        .build();
  }

  private static MethodSpec requireLength() {
    return MethodSpec.methodBuilder("requireLength").addModifiers(Modifier.PRIVATE, Modifier.STATIC)
        .addParameter(String.class, "name").addParameter(FLOATS, "array").addParameter(TypeName.INT, "length")
        .beginControlFlow("if (array.length != length)")
        .addStatement("throw new $T(name + $S + length + $S + array.length)", InputException.class,
            ": expected ", " floats, got ")
        .endControlFlow()
        .build();
  }

  /**
   * {@code items(name, shape, array, size, most)}: the items a batched array holds, a whole number from 1 to
   * {@code most} of {@code size} floats each, else an {@link InputException} that says which it is not.
   */
  private static MethodSpec items() {
    return MethodSpec.methodBuilder("items").addModifiers(Modifier.PRIVATE, Modifier.STATIC).returns(TypeName.INT)
        .addParameter(String.class, "name").addParameter(String.class, "shape").addParameter(FLOATS, "array")
        .addParameter(TypeName.INT, "size").addParameter(TypeName.INT, "most")
        .addStatement("int n = array.length / size")
        .beginControlFlow("if (array.length % size != 0)")
        .addStatement("throw new $T(name + $S + array.length + $S + size + $S + shape + $S)", InputException.class,
            ": ", " floats is not a whole number of items of ", " floats (", ")")
        .endControlFlow()
        .beginControlFlow("if (n < 1)")
        .addStatement("throw new $T(name + $S + size + $S + shape + $S)", InputException.class,
            ": empty; expected 1 or more items of ", " floats (", ")")
        .endControlFlow()
        .beginControlFlow("if (n > most)")
        .addStatement("throw new $T(name + $S + n + $S + most + $S)", InputException.class, ": ",
            " items, more than the batch of ", " this session was opened for")
        .endControlFlow()
        .addStatement("return n")
        .build();
  }

  /** {@code requireItems(name, array, size, items)}: a batched array of exactly {@code items} items. */
  private static MethodSpec requireItems() {
    return MethodSpec.methodBuilder("requireItems").addModifiers(Modifier.PRIVATE, Modifier.STATIC)
        .addParameter(String.class, "name").addParameter(FLOATS, "array").addParameter(TypeName.INT, "size")
        .addParameter(TypeName.INT, "items")
        .beginControlFlow("if (array.length != (long) size * items)")
        .addStatement("throw new $T(name + $S + items + (items == 1 ? $S : $S) + size + $S + (long) size * items + $S "
            + "+ array.length)", InputException.class, ": expected ", " item of ", " items of ", " floats, the batch of "
            + "this call (", " floats), got ")
        .endControlFlow()
        .build();
  }
}

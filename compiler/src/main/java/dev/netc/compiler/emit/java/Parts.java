package dev.netc.compiler.emit.java;

import com.palantir.javapoet.CodeBlock;
import com.palantir.javapoet.FieldSpec;
import com.palantir.javapoet.NameAllocator;
import com.palantir.javapoet.TypeName;
import java.util.ArrayList;
import java.util.EnumSet;
import java.util.List;
import java.util.Set;
import javax.lang.model.element.Modifier;

/**
 * The pieces of a generated class as the op emitters add them: static constants, the model's immutable fields
 * with the constructor code that loads them, the session's fields with their initialization, the private helper
 * methods used, and one name allocator for all of it (so a layer called {@code batch} cannot shadow the session's
 * batch size).
 */
final class Parts {
  final NameAllocator names = new NameAllocator();
  final List<FieldSpec> constants = new ArrayList<>();
  final List<FieldSpec> modelFields = new ArrayList<>();
  final CodeBlock.Builder load = CodeBlock.builder();
  final List<FieldSpec> sessionFields = new ArrayList<>();
  final CodeBlock.Builder sessionInit = CodeBlock.builder();
  final Set<Helpers.Helper> helpers = EnumSet.noneOf(Helpers.Helper.class);
  /** The session's shared {@code scratch} holds {@code scratchPerItem × batch + scratchFixed} floats. */
  long scratchPerItem;
  long scratchFixed;

  /** Reserves the names the generated code itself uses. */
  Parts(String className, List<String> reserved) {
    names.newName(className, className);
    for (String r : reserved) names.newName(r, r);
  }

  /** A private static final constant; returns its name. */
  String constant(TypeName type, String suggestion, CodeBlock init) {
    String name = names.newName(Identifiers.constant(suggestion));
    constants.add(FieldSpec.builder(type, name, Modifier.PRIVATE, Modifier.STATIC, Modifier.FINAL).initializer(init).build());
    return name;
  }

  /** A final field of the model (weights, prepared kernels), assigned by {@code load}; returns its name. */
  String modelField(TypeName type, String suggestion, String comment, CodeBlock init) {
    String name = names.newName(suggestion);
    modelFields.add(FieldSpec.builder(type, name, Modifier.PRIVATE, Modifier.FINAL).build());
    if (comment != null) load.add("// $L\n", comment);
    load.addStatement("$N = $L", name, init);
    return name;
  }

  /** A final field of the session (per-thread work space), assigned in its constructor; returns its name. */
  String sessionField(TypeName type, String suggestion, CodeBlock init) {
    String name = names.newName(suggestion);
    sessionFields.add(FieldSpec.builder(type, name, Modifier.PRIVATE, Modifier.FINAL).build());
    sessionInit.addStatement("$N = $L", name, init);
    return name;
  }

  void use(Helpers.Helper h) { helpers.add(h); }

  /** A step needs {@code perItem × batch + fixed} floats of the session's shared work space. */
  void needScratch(long perItem, long fixed) {
    scratchPerItem = Math.max(scratchPerItem, perItem);
    scratchFixed = Math.max(scratchFixed, fixed);
  }
}

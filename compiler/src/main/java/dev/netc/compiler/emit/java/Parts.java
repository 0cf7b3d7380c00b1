package dev.netc.compiler.emit.java;

import com.palantir.javapoet.CodeBlock;
import com.palantir.javapoet.FieldSpec;
import com.palantir.javapoet.NameAllocator;
import com.palantir.javapoet.TypeName;
import java.util.ArrayList;
import java.util.EnumSet;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import javax.lang.model.element.Modifier;

/**
 * The pieces of a generated class as the op emitters add them: static constants, the model's immutable fields
 * with the constructor code that loads them, the session's fields with their initialization, the private helper
 * methods used, and one name allocator for all of it (so a layer called {@code batch} cannot shadow the session's
 * batch size).
 *
 * <p>A Java method holds at most 64 KiB of bytecode, the class's static initializer and constructor included. When a
 * network has more fields or constants than {@link #INLINE} (a few thousand layers; a convolution's field takes
 * about 90 bytes of constructor code), the emitter runs again with {@code chunked} parts: fields and constants then
 * go into nested holder classes of at most {@link #CHUNK} each ({@code Params0}, {@code Constants0}), each loading
 * its own in its constructor or static initializer, and the names returned are qualified ({@code params0.conv1},
 * {@code Constants0.POOL_WINDOW}) so that step code is the same either way.
 *
 * <p>A layer applied more than once ({@code reuse}) has its weights loaded once: a model field whose type and
 * initializer equal an earlier one's is that field, and a linear layer fused otherwise at another application shares
 * the first one's packed weights ({@link #shared}).
 */
final class Parts {
  /** Fields, or constants, that the class itself holds at most; beyond, holders. */
  static final int INLINE = 256;
  /** Fields, or constants, per holder class. */
  static final int CHUNK = 128;

  final NameAllocator names = new NameAllocator();
  final List<FieldSpec> constants = new ArrayList<>();
  final List<FieldSpec> modelFields = new ArrayList<>();
  final CodeBlock.Builder load = CodeBlock.builder();
  /** In chunked parts: the holders of model fields, then of constants (empty otherwise). */
  final List<Holder> params = new ArrayList<>();
  final List<Holder> constantHolders = new ArrayList<>();
  private final boolean chunked;
  private int fieldCount;
  private int constantCount;
  final List<FieldSpec> sessionFields = new ArrayList<>();
  final CodeBlock.Builder sessionInit = CodeBlock.builder();
  final Set<Helpers.Helper> helpers = EnumSet.noneOf(Helpers.Helper.class);
  /** The session's shared {@code scratch} holds {@code scratchPerItem × batch + scratchFixed} floats. */
  long scratchPerItem;
  long scratchFixed;
  /** Model fields by type and initializer: a second field with the same would hold the same weights again. */
  private final Map<String, String> fieldsByInit = new HashMap<>();
  private final Map<String, String> shared = new HashMap<>();

  /**
   * A nested class holding up to {@link #CHUNK} fields or constants: its type name, the model's field that holds an
   * instance (null for constants, which are static), its fields and their loading code.
   */
  record Holder(String type, String field, List<FieldSpec> fields, CodeBlock.Builder load) {}

  /** Reserves the names the generated code itself uses. */
  Parts(String className, List<String> reserved) { this(className, reserved, false); }

  /** As above; {@code chunked}: fields and constants go into holder classes (see the class comment). */
  Parts(String className, List<String> reserved, boolean chunked) {
    this.chunked = chunked;
    names.newName(className, className);
    for (String r : reserved) names.newName(r, r);
  }

  /** Whether the class outgrows what unchunked parts give it (see the class comment). */
  boolean tooLarge() { return fieldCount > INLINE || constantCount > INLINE; }

  /** A private static final constant; returns its name, qualified by its holder in chunked parts. */
  String constant(TypeName type, String suggestion, CodeBlock init) {
    String name = names.newName(Identifiers.constant(suggestion));
    FieldSpec f = FieldSpec.builder(type, name, Modifier.PRIVATE, Modifier.STATIC, Modifier.FINAL).initializer(init)
        .build();
    if (!chunked) {
      constants.add(f);
      constantCount++;
      return name;
    }
    Holder h = holder(constantHolders, "Constants", false);
    h.fields().add(f);
    return h.type() + "." + name;
  }

  /**
   * A final field of the model (weights, prepared kernels), assigned by {@code load}; returns its name, qualified by
   * its holder's field in chunked parts.
   */
  String modelField(TypeName type, String suggestion, String comment, CodeBlock init) {
    // A layer applied again (`reuse`) reads the same tensors into the same object: one field serves every use.
    String key = type + "\0" + init;
    String same = existing(type, init);
    if (same != null) return same;
    String name = names.newName(suggestion);
    FieldSpec f = FieldSpec.builder(type, name, Modifier.PRIVATE, Modifier.FINAL).build();
    CodeBlock.Builder code = load;
    String qualified = name;
    if (chunked) {
      Holder h = holder(params, "Params", true);
      h.fields().add(f);
      code = h.load();
      qualified = h.field() + "." + name;
    } else {
      modelFields.add(f);
      fieldCount++;
    }
    if (comment != null) code.add("// $L\n", comment);
    code.addStatement("$N = $L", name, init);
    fieldsByInit.put(key, qualified);
    return qualified;
  }

  /** The model field of this type and initializer, if one was made (null if not). */
  String existing(TypeName type, CodeBlock init) { return fieldsByInit.get(type + "\0" + init); }

  /**
   * The model field already holding what {@code key} names (a layer's packed weights, say), or null; {@link
   * #share} records one.
   */
  String shared(String key) { return shared.get(key); }

  /**
   * Records that model field {@code field} holds what {@code key} names, for a later use of the same layer (not in
   * chunked parts: a holder's constructor cannot read another holder's fields).
   */
  void share(String key, String field) {
    if (!chunked) shared.putIfAbsent(key, field);
  }

  /** The last holder of {@code list}, or a new one when it is full. */
  private Holder holder(List<Holder> list, String kind, boolean instance) {
    if (list.isEmpty() || list.getLast().fields().size() == CHUNK) {
      String type = names.newName(kind + list.size());
      String field = instance ? names.newName(kind.toLowerCase(java.util.Locale.ROOT) + list.size()) : null;
      list.add(new Holder(type, field, new ArrayList<>(), CodeBlock.builder()));
    }
    return list.getLast();
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

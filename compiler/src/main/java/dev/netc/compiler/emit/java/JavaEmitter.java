package dev.netc.compiler.emit.java;

import static dev.netc.compiler.emit.java.Helpers.FLOATS;
import static dev.netc.compiler.emit.java.RuntimeTypes.EXECUTOR;
import static dev.netc.compiler.emit.java.RuntimeTypes.SHAPE;
import static dev.netc.compiler.emit.java.RuntimeTypes.WORKER_POOL;

import com.palantir.javapoet.ClassName;
import com.palantir.javapoet.CodeBlock;
import com.palantir.javapoet.FieldSpec;
import com.palantir.javapoet.JavaFile;
import com.palantir.javapoet.MethodSpec;
import com.palantir.javapoet.TypeName;
import com.palantir.javapoet.TypeSpec;
import dev.netc.compiler.diag.Code;
import dev.netc.compiler.diag.Diagnostic;
import dev.netc.compiler.diag.Span;
import dev.netc.compiler.diag.UserError;
import dev.netc.compiler.ir.Graph;
import dev.netc.compiler.ir.Input;
import dev.netc.compiler.ir.Node;
import dev.netc.compiler.ir.Param;
import dev.netc.compiler.ir.ParamSpec;
import dev.netc.compiler.ir.TensorType;
import dev.netc.compiler.ir.WindowAttention;
import dev.netc.compiler.plan.Plan;
import dev.netc.compiler.plan.Plan.Step;
import dev.netc.runtime.RandomWeights;
import dev.netc.runtime.io.LoadOptions;
import dev.netc.runtime.kernels.ShiftedWindowAttention;
import dev.netc.runtime.io.SafeTensors;
import dev.netc.runtime.io.WeightReader;
import java.io.IOException;
import java.io.InputStream;
import java.nio.ByteBuffer;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.Set;
import java.util.stream.Stream;
import javax.lang.model.element.Modifier;

/**
 * Plan to Java: one class per network that depends on the runtime only.
 *
 * <p>The class holds the weights, immutable and shareable across threads: prepared convolution and GEMM plans with
 * batchnorms folded in by the generated load code, norm tables and the like, read from safetensors by name
 * ({@code load}) or drawn from a seed ({@code randomWeights}). Its nested {@code Session} is one thread's
 * execution state: the activation arena ({@code batchedArena × batch + fixedArena} floats, at the offsets the plan
 * fixed), an executor and any work space; its {@code forward} runs the plan's steps in order, grouped into one
 * method per top-level layer, each step preceded by a comment naming its layer and shape, and allocates nothing.
 * A depthwise layer between 1x1 ones (or after none) runs with them as one call ({@link ConvChainSteps}), except
 * in profiling builds, which time each layer.
 * A call runs any batch from 1 to the session's: kernels take the call's item count, the arena stays as sized.
 */
public final class JavaEmitter {
  /**
   * The names this class gives the model's own members (the weight-source parameter {@code w}, the parameters of
   * {@code load}, {@code randomWeights} and {@code newSession}, nested types, constants); the other parts of the
   * emitter declare theirs ({@link #reserved}).
   */
  private static final List<String> OWN_NAMES = List.of("w", "seed", "threads", "safetensors", "file", "Outputs",
      "Source", "load", "randomWeights", "newSession", "SOURCE_SHA256", "COMPILER_VERSION", "PARAMS", "MACS",
      "BATCHED_ARENA", "FIXED_ARENA", "SIDE_BY_SIDE");
  /** Steps per forward method at most, so that every method stays small enough for the JIT to compile. */
  private static final int MAX_GROUP = 40;

  private final Plan plan;
  private final EmitOptions options;
  private final ClassName cls;
  private final Parts parts;
  private final List<Io> inputs = new ArrayList<>();
  private final List<Io> outputs = new ArrayList<>();

  /** A model input or output: its Java parameter name, shape constant, size constant and type. */
  private record Io(String name, String label, String shape, String size, TensorType type) {}

  private final boolean profile;

  private JavaEmitter(Plan plan, EmitOptions options, boolean profile, boolean chunked) {
    this.plan = plan;
    this.options = options;
    this.profile = profile;
    this.cls = ClassName.get(options.packageName(), options.className());
    this.parts = new Parts(options.className(), reserved(plan), chunked);
  }

  /** Names the generated code uses for itself, each declared where it is used; layer-derived names avoid them. */
  static List<String> reserved(Plan plan) {
    List<String> names = new ArrayList<>(OWN_NAMES);
    names.addAll(Memory.RESERVED);
    names.addAll(SessionEmitter.RESERVED);
    names.addAll(Helpers.RESERVED);
    names.addAll(ChainSteps.reserved(plan.graph()));
    return names;
  }

  /**
   * The Java source of {@code plan}'s network; a network of thousands of layers is emitted again with its fields and
   * constants in holder classes (see {@link Parts}), so that no method outgrows Java's 64 KiB.
   */
  public static JavaFile emit(Plan plan, EmitOptions options) { return emit(plan, options, false); }

  private static JavaFile emit(Plan plan, EmitOptions options, boolean profile) {
    checkArraySizes(plan);
    JavaEmitter inline = new JavaEmitter(plan, options, profile, false);
    JavaFile file = inline.file();
    return inline.parts.tooLarge() ? new JavaEmitter(plan, options, profile, true).file() : file;
  }

  /**
   * A network whose activations, at batch 1, or one of whose inputs or outputs outgrows one Java float array is the
   * user's error (NET023 at the first input), not the emitter's: the plan keeps its arena in one array.
   */
  private static void checkArraySizes(Plan plan) {
    Graph g = plan.graph();
    long arena = plan.batchedArena() + plan.fixedArena();
    String too = ", more than one Java float array holds (" + String.format("%,d", MAX_ARRAY) + ")";
    if (arena > MAX_ARRAY) {
      throw tooLarge(g, "network " + g.name() + ": its plan keeps the activations of one item in an arena of "
          + String.format("%,d", arena) + " floats (" + gib(arena) + ")" + too + " (netc report --optimized "
          + "shows the plan)");
    }
    List<Node> ports = new ArrayList<>();
    for (int id : g.inputs()) ports.add(g.node(id));
    for (Graph.Output o : g.outputs()) ports.add(g.node(o.node()));
    for (Node n : ports) {
      if (n.type().elements() > MAX_ARRAY) {
        throw tooLarge(g, "network " + g.name() + ": " + n.path() + " " + n.type() + " has "
            + String.format("%,d", n.type().elements()) + " floats per item" + too);
      }
    }
  }

  /** The most elements a Java array takes on the common JVMs. */
  static final long MAX_ARRAY = Integer.MAX_VALUE - 8;

  private static String gib(long floats) { return String.format("%.1f GiB", floats * 4.0 / (1L << 30)); }

  private static UserError tooLarge(Graph g, String message) {
    Span at = g.inputs().isEmpty() ? Span.none() : g.node(g.inputs().getFirst()).span();
    return new UserError(Diagnostic.error(Code.NET023, at, message));
  }

  /**
   * A profiling build of {@code plan}'s class ({@code netc profile}): the same code, with each step's nanoseconds
   * added up in the session's {@code profile$nanos} array, indexed like the plan's steps. Normal builds have none of
   * it.
   */
  public static JavaFile emitProfiled(Plan plan, EmitOptions options) {
    return emit(plan, options, true);
  }

  private JavaFile file() {
    Graph g = plan.graph();
    for (int id : g.inputs()) {
      Node n = g.node(id);
      inputs.add(io(((Input) n.op()).inputName(), n.type()));
    }
    for (Graph.Output o : g.outputs()) outputs.add(io(o.name(), g.node(o.node()).type()));
    Memory mem = new Memory(plan, inputs.stream().map(Io::name).toList(), outputs.stream().map(Io::name).toList());
    List<Group> groups = groups(mem);
    TypeSpec.Builder type = TypeSpec.classBuilder(cls).addModifiers(Modifier.PUBLIC, Modifier.FINAL)
        .addJavadoc(classDoc());
    provenance(type);
    for (FieldSpec f : parts.constants) type.addField(f);
    for (FieldSpec f : parts.modelFields) type.addField(f);
    holders(type);
    type.addMethod(MethodSpec.constructorBuilder().addModifiers(Modifier.PRIVATE)
        .addParameter(source(), "w").addException(IOException.class).addCode(parts.load.build()).build());
    type.addMethods(loads());
    type.addMethod(randomWeights());
    type.addMethods(newSession());
    if (outputs.size() > 1) type.addType(outputsRecord());
    type.addType(new SessionEmitter(cls, parts, inputs(), outputs(), plan, profile).session(groups));
    Helpers.addTo(type, parts.helpers, source());
    return JavaFile.builder(options.packageName(), type.build()).skipJavaLangImports(true).indent("  ")
        .addFileComment("Generated by netc $L from network $L. Do not edit: edit the .net source and compile again.",
            options.compilerVersion(), g.name())
        .build();
  }

  /**
   * Chunked parts' holder classes: {@code ParamsK} with final fields loaded by its constructor from the weight source
   * (the model's constructor creates each, in order), {@code ConstantsK} with static constants.
   */
  private void holders(TypeSpec.Builder type) {
    for (Parts.Holder h : parts.params) {
      ClassName holder = cls.nestedClass(h.type());
      type.addType(TypeSpec.classBuilder(holder).addModifiers(Modifier.PRIVATE, Modifier.STATIC, Modifier.FINAL)
          .addFields(h.fields())
          .addMethod(MethodSpec.constructorBuilder().addModifiers(Modifier.PRIVATE).addParameter(source(), "w")
              .addException(IOException.class).addCode(h.load().build()).build())
          .build());
      type.addField(FieldSpec.builder(holder, h.field(), Modifier.PRIVATE, Modifier.FINAL).build());
      parts.load.addStatement("$N = new $T(w)", h.field(), holder);
    }
    for (Parts.Holder h : parts.constantHolders) {
      type.addType(TypeSpec.classBuilder(cls.nestedClass(h.type()))
          .addModifiers(Modifier.PRIVATE, Modifier.STATIC, Modifier.FINAL).addFields(h.fields()).build());
    }
  }

  private Io io(String label, TensorType t) {
    String name = parts.names.newName(Identifiers.fromPath(label, "tensor"));
    String constant = Identifiers.constant(name);
    String shape = parts.names.newName(constant + "_SHAPE");
    String size = parts.names.newName(constant + "_SIZE");
    return new Io(name, label, shape, size, t);
  }

  private List<SessionEmitter.Port> inputs() { return inputs.stream().map(JavaEmitter::port).toList(); }

  private List<SessionEmitter.Port> outputs() { return outputs.stream().map(JavaEmitter::port).toList(); }

  private static SessionEmitter.Port port(Io io) {
    return new SessionEmitter.Port(io.name(), io.label(), io.size(), io.type());
  }

  private ClassName source() { return cls.nestedClass("Source"); }

  /** Consecutive steps of the same top-level layer, at most {@link #MAX_GROUP} each, with their code. */
  record Group(String method, List<Step> steps, List<CodeBlock> code) {}

  private List<Group> groups(Memory mem) {
    List<Group> groups = new ArrayList<>();
    String key = null;
    List<Step> steps = new ArrayList<>();
    List<CodeBlock> code = new ArrayList<>();
    List<Step> all = plan.steps();
    for (int i = 0; i < all.size(); ) {
      Step s = all.get(i);
      // a profiling build times every layer on its own
      Plan.Chain c = profile ? null : plan.chainAt(i);
      int chain = c == null ? 0 : c.length();
      int n = Math.max(1, chain);
      String k = s.kind() == Step.Kind.WRITE_OUTPUT ? "\0outputs" : topLevel(plan.node(s));
      if (key != null && (!k.equals(key) || steps.size() + n > MAX_GROUP)) {
        groups.add(new Group(methodName(key), steps, code));
        steps = new ArrayList<>();
        code = new ArrayList<>();
      }
      key = k;
      if (chain > 0) {
        // the layers' comments, then the chain's one call
        List<StepContext> ss = new ArrayList<>();
        for (Step t : all.subList(i, i + chain)) {
          ss.add(StepContext.of(plan, t, mem, parts));
          steps.add(t);
          code.add(CodeBlock.of(""));
        }
        code.set(code.size() - 1, ConvChainSteps.chain(ss));
      } else {
        steps.add(s);
        code.add(StepEmitter.emit(StepContext.of(plan, s, mem, parts)));
      }
      i += n;
    }
    if (key != null) groups.add(new Group(methodName(key), steps, code));
    return groups;
  }

  /** The first segment of a step's layer path; an unlabeled top-level layer is named by its op ({@code maxpool3}). */
  private static String topLevel(Node n) {
    String path = n.path();
    int dot = path.indexOf('.');
    String first = dot < 0 ? path : path.substring(0, dot);
    return first.isEmpty() || Character.isDigit(first.charAt(0)) ? Identifiers.fromPath(first, n.op().name(), n.op().name()) : first;
  }

  private String methodName(String key) {
    String base = key.equals("\0outputs") ? "Outputs" : Identifiers.capitalized(Identifiers.fromPath(key, "layers"));
    return parts.names.newName((key.equals("\0outputs") ? "write" : "run") + base);
  }

  private CodeBlock classDoc() {
    Graph g = plan.graph();
    CodeBlock.Builder b = CodeBlock.builder()
        .add("The network {@code $L}, compiled by netc from a {@code .net} source (see {@link #SOURCE_SHA256}).\n\n",
            g.name())
        .add("<p>An instance holds the weights: immutable, shared by any number of threads. Each thread runs the\n")
        .add("network through its own {@link Session}, which owns the activations ($L floats per batch item",
            plan.batchedArena())
        .add(plan.fixedArena() > 0 ? " plus " + plan.fixedArena() + ")" : ")")
        .add(" and allocates nothing per call. A session opened\nfor batch {@code N} runs any batch from 1 to {@code N} "
            + "per call: the inputs' lengths say how many items.\nTensors are float arrays in PyTorch's layout, batch "
            + "first:\n<ul>\n");
    for (Io in : inputs) b.add("  <li>input {@code $L}: {@code $L}</li>\n", in.label(), in.type());
    for (Io out : outputs) b.add("  <li>output {@code $L}: {@code $L}</li>\n", out.label(), out.type());
    return b.add("</ul>\n").build();
  }

  private void provenance(TypeSpec.Builder type) {
    type.addField(constant(String.class, "SOURCE_SHA256", "SHA-256 of the {@code .net} source text.",
        CodeBlock.of("$S", options.sourceSha256())));
    type.addField(constant(String.class, "COMPILER_VERSION", "The netc version that generated this class.",
        CodeBlock.of("$S", options.compilerVersion())));
    type.addField(constant(long.class, "PARAMS", "Learned parameters (each shared tensor once).",
        CodeBlock.of("$LL", params(plan.graph()))));
    type.addField(constant(long.class, "MACS", "Multiply-accumulates per batch item (FLOPs = 2 × MACs).",
        CodeBlock.of("$LL", macs(plan.graph()))));
    for (Io in : inputs) shapeConstants(type, "Input", in);
    for (Io out : outputs) shapeConstants(type, "Output", out);
    type.addField(FieldSpec.builder(int.class, "BATCHED_ARENA", Modifier.PRIVATE, Modifier.STATIC, Modifier.FINAL)
        .addJavadoc("Arena floats per batch item.\n").initializer("$L", Math.toIntExact(plan.batchedArena())).build());
    type.addField(FieldSpec.builder(int.class, "FIXED_ARENA", Modifier.PRIVATE, Modifier.STATIC, Modifier.FINAL)
        .addJavadoc("Arena floats for unbatched tensors, after the batched part.\n")
        .initializer("$L", Math.toIntExact(plan.fixedArena())).build());
    if (!profile && sideBySidePossible(plan)) {
      type.addField(FieldSpec.builder(boolean.class, "SIDE_BY_SIDE", Modifier.PRIVATE, Modifier.STATIC, Modifier.FINAL)
          .addJavadoc("Whether a session on several threads runs a batch's items side by side, one thread per item at a "
              + "time: a pass\nwrites at least as many activation floats per item as the network has parameters "
              + "({@code -Dnetc.exec.sideBySide=true|false}\noverrides it).\n")
          .initializer("$L", itemsSideBySide(plan)).build());
    }
  }

  private void shapeConstants(TypeSpec.Builder type, String what, Io io) {
    TensorType t = io.type();
    CodeBlock.Builder dims = CodeBlock.builder().add("$T.of(", SHAPE);
    for (int d = 0; d < t.rank(); d++) dims.add(d == 0 ? "$L" : ", $L", t.dim(d));
    dims.add(")");
    type.addField(constant(SHAPE, io.shape(), what + " {@code " + io.label() + "} " + t
        + (t.batched() ? ": its shape without the batch dimension." : " (not batched)."), dims.build()));
    type.addField(FieldSpec.builder(int.class, io.size(), Modifier.PRIVATE, Modifier.STATIC, Modifier.FINAL)
        .initializer("$L", Math.toIntExact(t.elements())).build());
  }

  private static FieldSpec constant(Object type, String name, String doc, CodeBlock init) {
    TypeName t = type instanceof Class<?> c ? TypeName.get(c) : (TypeName) type;
    return FieldSpec.builder(t, name, Modifier.PUBLIC, Modifier.STATIC, Modifier.FINAL).addJavadoc(doc + "\n")
        .initializer(init).build();
  }

  /**
   * The static {@code load} methods: from a file, a stream, a buffer or a class-path resource, each strict by default
   * and with {@link LoadOptions}; all go through {@code load(SafeTensors, LoadOptions)}, which reads the weights
   * through a {@link WeightReader} that refuses, under strict options, tensors the network does not use.
   */
  private List<MethodSpec> loads() {
    ClassName options = ClassName.get(LoadOptions.class);
    String reads = "Every weight is read by its name ({@code layer1.0.conv1.weight}) and its shape checked; a\n"
        + "missing tensor, a wrong shape or a malformed file is an {@link IOException} that names it.";
    String strict = " Strict: a\ntensor the network does not use is an error too (see {@link $T}).\n";
    List<MethodSpec> out = new ArrayList<>();
    record From(TypeName type, String param, String doc, String open) {}
    List<From> froms = List.of(
        new From(TypeName.get(Path.class), "safetensors", "From a safetensors file, memory-mapped while it loads.\n",
            "$T.open(safetensors)"),
        new From(TypeName.get(InputStream.class), "in", "From a stream of safetensors bytes, read up to the last "
            + "tensor (the stream is not closed).\n", "$T.read(in, \"weights stream\")"),
        new From(TypeName.get(ByteBuffer.class), "bytes", "From safetensors bytes in memory: the buffer's remaining bytes.\n",
            "$T.read(bytes, \"weights buffer\")"),
        new From(TypeName.get(String.class), "resource", "From a class-path resource (in the application's jar, say), found "
            + "as\n{@code $T.class.getResource(resource)} finds it: a name without a leading {@code /} is relative "
            + "to\nthis class's package.\n", "$T.openResource($T.class, resource)"));
    for (From f : froms) {
      String name = f.type().equals(TypeName.get(String.class)) ? "loadResource" : "load";
      CodeBlock doc = f.doc().contains("$T") ? CodeBlock.of(f.doc(), cls) : CodeBlock.of("$L", f.doc());
      out.add(MethodSpec.methodBuilder(name).addModifiers(Modifier.PUBLIC, Modifier.STATIC).returns(cls)
          .addJavadoc(doc).addJavadoc(reads + strict, options)
          .addParameter(f.type(), f.param()).addException(IOException.class)
          .addStatement("return $N($N, $T.strict())", name, f.param(), options).build());
      CodeBlock open = f.open().contains("$T.class") ? CodeBlock.of(f.open(), SafeTensors.class, cls)
          : CodeBlock.of(f.open(), SafeTensors.class);
      out.add(MethodSpec.methodBuilder(name).addModifiers(Modifier.PUBLIC, Modifier.STATIC).returns(cls)
          .addJavadoc(doc).addJavadoc("As {@link #$N($T)}, with {@code options}.\n", name, f.type())
          .addParameter(f.type(), f.param()).addParameter(options, "options").addException(IOException.class)
          .beginControlFlow("try ($T file = $L)", SafeTensors.class, open)
          .addStatement("return load(file, options)")
          .endControlFlow()
          .build());
    }
    CodeBlock.Builder known = CodeBlock.builder();
    unreadTensors().forEach(n -> known.add(known.isEmpty() ? "$S" : ", $S", n));
    out.add(MethodSpec.methodBuilder("load").addModifiers(Modifier.PUBLIC, Modifier.STATIC).returns(cls)
        .addJavadoc("From safetensors already open (not closed here).\n" + reads + " Under strict "
            + "{@code options}, a\ntensor the network does not use is an error that lists them.\n")
        .addParameter(SafeTensors.class, "weights").addParameter(options, "options").addException(IOException.class)
        .addStatement("$T reader = new $T(weights, options, $T.of($L))", WeightReader.class, WeightReader.class,
            List.class, known.build())
        .addStatement("$T model = new $T(reader::floats)", cls, cls)
        .addCode(derivedChecks())
        .addStatement("reader.finish()")
        .addStatement("return model")
        .build());
    return out;
  }

  /**
   * The checks of tensors the network derives rather than reads (Swin's {@code relative_position_index}): a file
   * that holds one must hold the derived values.
   */
  private CodeBlock derivedChecks() {
    CodeBlock.Builder b = CodeBlock.builder();
    Set<String> seen = new HashSet<>();
    for (Node n : plan.graph().nodes()) {
      for (Param p : n.params()) {
        if (p.kind() != ParamSpec.Kind.DERIVED || !seen.add(p.name())) continue;
        CodeBlock values = switch (n.op()) {
          case WindowAttention w -> CodeBlock.of("$T.relativePositionIndex($L, $L)", ShiftedWindowAttention.class,
              w.windowH(), w.windowW());
          default -> throw new IllegalStateException(n.op().name() + " declares a derived tensor it cannot make");
        };
        b.addStatement("reader.checkDerived($S, $L)", p.name(), values);
      }
    }
    return b.build();
  }

  /**
   * Tensors a weights file holds for this network that it never reads: {@code num_batches_tracked}, and the
   * parameters of layers the optimizer removed because no output needs them.
   */
  private List<String> unreadTensors() {
    Graph g = plan.graph();
    return Stream.concat(
            g.params().stream().filter(p -> p.kind() == ParamSpec.Kind.UNUSED), g.detached().stream())
        .map(Param::name).distinct().toList();
  }

  private MethodSpec randomWeights() {
    return MethodSpec.methodBuilder("randomWeights").addModifiers(Modifier.PUBLIC, Modifier.STATIC).returns(cls)
        .addJavadoc("Seeded random weights, for tests and benchmarks: the same seed gives the same weights.\n")
        .addParameter(long.class, "seed")
        .beginControlFlow("try")
        .addStatement("return new $T((name, shape) -> $T.tensor(seed, name, shape))", cls, RandomWeights.class)
        .nextControlFlow("catch ($T e)", IOException.class)
        .addStatement("throw new $T($S, e)", IllegalStateException.class, "random weights read no file")
        .endControlFlow()
        .build();
  }

  private List<MethodSpec> newSession() {
    ClassName session = cls.nestedClass("Session");
    MethodSpec all = MethodSpec.methodBuilder("newSession").addModifiers(Modifier.PUBLIC).returns(session)
        .addJavadoc("A session for calls of 1 to {@code batch} items that runs on every thread of the common worker "
            + "pool.\n")
        .addParameter(int.class, "batch")
        .addStatement("return new $T(batch, $T.create())", session, EXECUTOR).build();
    MethodSpec some = MethodSpec.methodBuilder("newSession").addModifiers(Modifier.PUBLIC).returns(session)
        .addJavadoc("A session for calls of 1 to {@code batch} items on at most {@code threads} threads of the "
            + "common worker\npool (1: the calling thread only).\n")
        .addParameter(int.class, "batch").addParameter(int.class, "threads")
        .beginControlFlow("if (threads < 1)")
        .addStatement("throw new $T($S + threads)", IllegalArgumentException.class, "threads must be at least 1, got ")
        .endControlFlow()
        .addStatement("return new $T(batch, threads == 1 ? $T.serial() : $T.create($T.common(), threads))", session,
            EXECUTOR, EXECUTOR, WORKER_POOL)
        .build();
    return List.of(all, some);
  }

  private TypeSpec outputsRecord() {
    MethodSpec.Builder ctor = MethodSpec.constructorBuilder();
    for (Io o : outputs) ctor.addParameter(FLOATS, o.name());
    return TypeSpec.recordBuilder(cls.nestedClass("Outputs")).addModifiers(Modifier.PUBLIC)
        .addJavadoc("The outputs of one forward pass, in the session's own arrays (overwritten by its next call), "
            + "sized for the\nsession's batch: a call of {@code n} items fills the first {@code n} of each.\n")
        .recordConstructor(ctor.build()).build();
  }

  /**
   * Whether a generated session can run a batch's items side by side, each through a one-item copy of the session:
   * the network has an input, and every tensor it computes, reads or returns has a batch (an unbatched one, such as
   * boxes that index the batch's items, or a tensor shared by them, would mix the items up).
   */
  public static boolean sideBySidePossible(Plan plan) {
    return !plan.graph().inputs().isEmpty() && plan.buffers().stream().allMatch(Plan.Buffer::batched);
  }

  /**
   * The compiler's choice of how a session on several threads runs a batch: side by side (each thread whole items,
   * one at a time, an item's activations its own) where {@link #sideBySidePossible possible} and a pass writes at
   * least as many activation floats per item as the network has parameters; else layer by layer (every layer of the
   * batch on every thread). Side by side, an item's activations stay in its core's caches but every item reads every
   * weight; layer by layer, each weight is read once per call but the batch's activations pass through memory.
   * Measured on one Zen 5 host, 2 threads, batch 16 ({@code bench/results/side-by-side-20261207-233600.txt}), side by
   * side / layer by layer: 0.735-0.889 where parameters / activations are 0.27-0.52 (DenseNet-121, SqueezeNet 1.1,
   * EfficientNet-B0, MobileNetV2) and 0.827 at 0.94 (MobileNetV3-Large); 1.073 and 1.131 at 4.31 and 9.14
   * (ResNet-18, VGG-16). Between, the two ways were within 4 %: GoogLeNet (1.41) 1.038, ResNet-50 (2.24) 0.968, so
   * any threshold from 0.94 to 1.41 sorts these nine alike, and 1 is not pinned down by them; nor were more threads
   * measured, where the weights read per call grow with the threads.
   */
  public static boolean itemsSideBySide(Plan plan) {
    long written = 0;
    for (Plan.Step s : plan.steps()) {
      Plan.Buffer b = plan.buffer(s.output());
      if (b.batched()) written += b.size();
    }
    return sideBySidePossible(plan) && params(plan.graph()) <= written;
  }

  /** Learned parameters, each tensor name once. */
  public static long params(Graph g) {
    Set<String> seen = new HashSet<>();
    long n = 0;
    for (Param p : g.params()) {
      if (p.kind() == ParamSpec.Kind.LEARNED && seen.add(p.name())) n += p.shape().elements();
    }
    return n;
  }

  /** Multiply-accumulates of one batch item. */
  public static long macs(Graph g) {
    long m = 0;
    for (Node n : g.nodes()) {
      List<TensorType> in = n.inputs().stream().map(i -> g.node(i).type()).toList();
      m += n.op().cost(in, n.type(), 1).macs();
    }
    return m;
  }
}

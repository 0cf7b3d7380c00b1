package dev.netc.compiler.emit.java;

import static dev.netc.compiler.emit.java.Helpers.FLOATS;
import static dev.netc.compiler.emit.java.RuntimeTypes.CALL_FRAME;
import static dev.netc.compiler.emit.java.RuntimeTypes.EXECUTOR;
import static dev.netc.compiler.emit.java.RuntimeTypes.PARALLEL_TASK;

import com.palantir.javapoet.ArrayTypeName;
import com.palantir.javapoet.ClassName;
import com.palantir.javapoet.CodeBlock;
import com.palantir.javapoet.FieldSpec;
import com.palantir.javapoet.MethodSpec;
import com.palantir.javapoet.ParameterizedTypeName;
import com.palantir.javapoet.TypeSpec;
import dev.netc.compiler.ir.TensorType;
import dev.netc.compiler.plan.Plan;
import dev.netc.compiler.plan.Plan.Step;
import dev.netc.compiler.plan.Plan.Storage;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Set;
import java.util.concurrent.atomic.AtomicReference;
import javax.lang.model.element.Modifier;

/**
 * The generated {@code Session}: one thread's execution state (batch size, executor, arena, work space, its own
 * output arrays) and the forward pass over it, one private method per group of steps.
 */
final class SessionEmitter {
  /**
   * Names of the session's own that a layer-derived name must not take: its type and methods, its output record,
   * and the constructor's local {@code floats} (the constructor assigns session fields by their bare names).
   */
  static final List<String> RESERVED = List.of("Session", "forward", "close", "parallel", "outputs", "floats",
      "owner", "closed", "claim", "begin", "pass", "dispatch", "side", "sides", "sideItems", "sideCall", "sideTask");
  /** Group methods that {@code forward} calls directly at most (8 bytes of bytecode a call: under the JIT's 8,000). */
  static final int MAX_CALLS = 500;
  /** A model input or output as the session sees it: parameter name, label in the source, size constant, type. */
  record Port(String name, String label, String size, TensorType type) {}

  private final ClassName model;
  private final Parts parts;
  private final List<Port> inputs;
  private final List<Port> outputs;
  private final Plan plan;
  /** Whether each step adds its nanoseconds to {@link #PROFILE_NANOS} (profiling builds only). */
  private final boolean profile;
  /**
   * Whether the session can run a batch's items side by side, one {@code sides} session per thread of its executor
   * ({@link #dispatch}): where {@link JavaEmitter#sideBySidePossible} holds, and not in a profiling build (whose step
   * times are those of the layers run on every thread).
   */
  private final boolean sideBySide;
  /** Methods that each call {@link #MAX_CALLS} group methods, for a network of thousands of groups. */
  private final List<MethodSpec> partMethods = new ArrayList<>();

  /** The profiling build's per-step nanoseconds, indexed like the plan's steps ({@code $}: no layer name has one). */
  static final String PROFILE_NANOS = "profile$nanos";
  private static final String PROFILE_START = "profile$start";

  SessionEmitter(ClassName model, Parts parts, List<Port> inputs, List<Port> outputs, Plan plan, boolean profile) {
    this.model = model;
    this.parts = parts;
    this.inputs = inputs;
    this.outputs = outputs;
    this.plan = plan;
    this.profile = profile;
    this.sideBySide = !profile && JavaEmitter.sideBySidePossible(plan);
  }


  TypeSpec session(List<JavaEmitter.Group> groups) {
    TypeSpec.Builder t = TypeSpec.classBuilder("Session").addModifiers(Modifier.PUBLIC, Modifier.FINAL)
        .addSuperinterface(AutoCloseable.class)
        .addJavadoc("One thread's execution state: activations for up to {@link #batch()} items and an executor. "
            + "Each call runs\nany batch from 1 to {@link #batch()} (a service batches whatever has arrived): the "
            + "inputs' lengths say how\nmany items, and the activations, sized once when the session opens, are reused; no "
            + "call allocates. Not\nthread-safe: use one session per thread (all may share the model). A call made "
            + "while another thread is\ninside {@code forward}, or after {@link #close()}, throws "
            + "{@link IllegalStateException}.\n"
            + (sideBySide ? "\n<p>Where {@code SIDE_BY_SIDE} holds, a session opened for at least as many items as its "
            + "executor has threads\n(and more than one thread) runs a call of that many items or more side by side: "
            + "each thread takes\nwhole items, one at a time, through activations of its own. The items left over "
            + "(fewer than the\nthreads), and a call of fewer items than threads, run first, layer by layer on every "
            + "thread. The arena\nthen holds those few items (fewer than the threads), not the whole batch, and each "
            + "thread's own\nactivations one item. Otherwise every call runs layer by layer on every thread. "
            + "{@code -Dnetc.exec.sideBySide=true|false}\n(read when the session is opened) forces one way or the "
            + "other.\n" : ""));
    t.addField(FieldSpec.builder(int.class, Memory.MAX_BATCH, Modifier.PRIVATE, Modifier.FINAL)
        .addJavadoc("The largest batch a call may run: the one the session was opened for.\n").build());
    t.addField(FieldSpec.builder(int.class, Memory.BATCH, Modifier.PRIVATE)
        .addJavadoc("The items of the call in progress (set by {@code begin}).\n").build());
    t.addField(EXECUTOR, Memory.EXECUTOR, Modifier.PRIVATE, Modifier.FINAL);
    t.addField(FLOATS, Memory.ARENA, Modifier.PRIVATE, Modifier.FINAL);
    if (plan.fixedArena() > 0) t.addField(int.class, Memory.FIXED_BASE, Modifier.PRIVATE, Modifier.FINAL);
    if (scratch()) t.addField(FLOATS, Memory.SCRATCH, Modifier.PRIVATE, Modifier.FINAL);
    List<String> results = new ArrayList<>();
    if (outputs.size() == 1) {
      String r = parts.names.newName(outputs.getFirst().name() + "Result");
      results.add(r);
      t.addField(FieldSpec.builder(FLOATS, r, Modifier.PRIVATE, Modifier.FINAL).build());
    } else {
      t.addField(model.nestedClass("Outputs"), "outputs", Modifier.PRIVATE, Modifier.FINAL);
    }
    t.addField(FieldSpec.builder(ParameterizedTypeName.get(AtomicReference.class, Thread.class), "owner",
        Modifier.PRIVATE, Modifier.FINAL).initializer("new $T<>()", AtomicReference.class).build());
    t.addField(boolean.class, "closed", Modifier.PRIVATE);
    if (sideBySide) {
      ClassName session = model.nestedClass("Session");
      t.addField(FieldSpec.builder(ArrayTypeName.of(session), "sides", Modifier.PRIVATE, Modifier.FINAL)
          .addJavadoc("One-thread sessions of one item, one per thread of the executor, that run a batch's items side by "
              + "side; null\nwhen every call runs layer by layer on every thread.\n").build());
      t.addField(FieldSpec.builder(ArrayTypeName.of(ArrayTypeName.of(FLOATS)), "sideItems", Modifier.PRIVATE,
          Modifier.FINAL).addJavadoc("Each side session's copy of one item of each input and output, in the order of "
              + "{@code pass}.\n").build());
      t.addField(FieldSpec.builder(ArrayTypeName.of(FLOATS), "sideCall", Modifier.PRIVATE, Modifier.FINAL)
          .addJavadoc("The arrays of the call the side sessions are running (inputs, then outputs); cleared after it.\n")
          .build());
      t.addField(FieldSpec.builder(PARALLEL_TASK, "sideTask", Modifier.PRIVATE, Modifier.FINAL)
          .initializer("(f, c, s) -> side(f, c)").build());
    }
    for (FieldSpec f : parts.sessionFields) t.addField(f);
    if (profile) {
      t.addField(FieldSpec.builder(long[].class, PROFILE_NANOS, Modifier.FINAL)
          .initializer("new long[$L]", plan.steps().size()).build());
    }
    t.addMethod(constructor(results));
    t.addMethod(MethodSpec.methodBuilder("batch").addModifiers(Modifier.PUBLIC).returns(int.class)
        .addJavadoc("The largest batch one call runs: the batch this session was opened for. A call may run any "
            + "batch from 1 to\nthis.\n").addStatement("return $N", Memory.MAX_BATCH).build());
    t.addMethod(forward());
    t.addMethod(convenience(results));
    t.addMethod(begin());
    t.addMethod(pass(groups));
    if (sideBySide) {
      t.addMethod(dispatch());
      t.addMethod(side());
    }
    t.addMethod(claim());
    t.addMethod(close());
    t.addMethods(partMethods);
    for (JavaEmitter.Group g : groups) t.addMethod(group(g));
    if (parts.helpers.contains(Helpers.Helper.PARALLEL)) t.addMethod(parallel());
    return t.build();
  }

  /**
   * Makes the calling thread the session's only user until it sets {@code owner} back to null: a second thread is
   * refused before it touches any state, so misuse throws and never mixes two calls' activations.
   */
  private MethodSpec claim() {
    String name = model.simpleName() + ".Session";
    return MethodSpec.methodBuilder("claim").addModifiers(Modifier.PRIVATE)
        .addParameter(String.class, "what")
        .addStatement("$T me = $T.currentThread()", Thread.class, Thread.class)
        .beginControlFlow("if (!owner.compareAndSet(null, me))")
        .addStatement("$T other = owner.get()", Thread.class)
        .addStatement("$T who = other == me ? $S : other == null ? $S : $S + other.getName()", String.class, "this thread",
            "another thread", "thread ")
        .addStatement("throw new $T($S + what + $S + who + $S)", IllegalStateException.class, name + ".",
            " called while ", " is inside forward: use one session per thread")
        .endControlFlow()
        .build();
  }

  private static MethodSpec close() {
    return MethodSpec.methodBuilder("close").addAnnotation(Override.class).addModifiers(Modifier.PUBLIC)
        .addJavadoc("Releases the executor's registration with the worker pool; later calls of {@code forward} "
            + "throw. Closing\ntwice does nothing.\n")
        .addStatement("claim($S)", "close")
        .beginControlFlow("try")
        .beginControlFlow("if (!closed)")
        .addStatement("closed = true")
        .addStatement("$N.close()", Memory.EXECUTOR)
        .endControlFlow()
        .nextControlFlow("finally")
        .addStatement("owner.set(null)")
        .endControlFlow()
        .build();
  }

  /** Runs a plane-wise task (see {@link Parallel}) on this session's executor. */
  private static MethodSpec parallel() {
    return MethodSpec.methodBuilder("parallel").addModifiers(Modifier.PRIVATE)
        .addJavadoc("Runs {@code task} over {@code planes} planes, in up to four chunks per thread.\n")
        .addParameter(PARALLEL_TASK, "task").addParameter(FLOATS, "src").addParameter(int.class, "srcOff")
        .addParameter(FLOATS, "dst").addParameter(int.class, "dstOff").addParameter(int.class, "planes")
        .addStatement("$T f = $N.frame()", CALL_FRAME, Memory.EXECUTOR)
        .addStatement("f.src = src")
        .addStatement("f.srcOff = srcOff")
        .addStatement("f.dst = dst")
        .addStatement("f.dstOff = dstOff")
        .addStatement("f.n0 = planes")
        .addStatement("f.n1 = $T.min(planes, 4 * $N.participants())", Math.class, Memory.EXECUTOR)
        .addStatement("$N.invoke(task, f.n1)", Memory.EXECUTOR)
        .build();
  }

  private boolean scratch() { return parts.scratchPerItem > 0 || parts.scratchFixed > 0; }

  private MethodSpec constructor(List<String> results) {
    MethodSpec.Builder m = MethodSpec.constructorBuilder().addModifiers(Modifier.PRIVATE)
        .addParameter(int.class, Memory.BATCH).addParameter(EXECUTOR, Memory.EXECUTOR)
        .beginControlFlow("if (batch < 1)")
        .addStatement("throw new $T($S + batch)", IllegalArgumentException.class, "batch must be at least 1, got ")
        .endControlFlow();
    if (sideBySide) {
      // Side by side, the session's own activations hold the items left over, fewer than the threads.
      m.addStatement("int threads = batch >= $N.participants() && $N.sideBySide(SIDE_BY_SIDE) ? $N.participants() : 0",
          Memory.EXECUTOR, Memory.EXECUTOR, Memory.EXECUTOR)
          .addStatement("int $N = threads == 0 ? batch : threads - 1", Memory.ITEMS);
    } else {
      m.addStatement("int $N = batch", Memory.ITEMS);
    }
    m.addStatement("long floats = (long) BATCHED_ARENA * $N + FIXED_ARENA", Memory.ITEMS)
        .beginControlFlow("if (floats > $T.MAX_VALUE - 8)", Integer.class)
        .addStatement("throw new $T($S + batch + $S + floats + $S)", IllegalArgumentException.class, "batch ",
            " needs ", " floats of activations, more than one Java array holds")
        .endControlFlow()
        .addStatement("this.$N = batch", Memory.MAX_BATCH)
        .addStatement("this.batch = batch")
        .addStatement("this.$N = $N", Memory.EXECUTOR, Memory.EXECUTOR)
        .addStatement("arena = new float[(int) floats]");
    if (plan.fixedArena() > 0) m.addStatement("$N = BATCHED_ARENA * $N", Memory.FIXED_BASE, Memory.ITEMS);
    if (scratch()) {
      m.addStatement("$N = new float[$L]", Memory.SCRATCH, parts.scratchPerItem == 0 ? CodeBlock.of("$L", parts.scratchFixed)
          : CodeBlock.of("$L * $N + $L", Math.toIntExact(parts.scratchPerItem), Memory.ITEMS,
              Math.toIntExact(parts.scratchFixed)));
    }
    if (sideBySide) {
      CodeBlock.Builder item = CodeBlock.builder();
      List<Port> ports = all();
      for (int i = 0; i < ports.size(); i++) item.add(i == 0 ? "new float[$N]" : ", new float[$N]", ports.get(i).size());
      m.beginControlFlow("if (threads == 0)")
          .addStatement("sides = null")
          .addStatement("sideItems = null")
          .addStatement("sideCall = null")
          .nextControlFlow("else")
          .addStatement("sides = new Session[threads]")
          .addStatement("sideItems = new float[threads][][]")
          .addStatement("sideCall = new float[$L][]", ports.size())
          .beginControlFlow("for (int c = 0; c < threads; c++)")
          .addStatement("sides[c] = new Session(1, $T.serial())", EXECUTOR)
          .addStatement("sideItems[c] = new float[][] {$L}", item.build())
          .endControlFlow()
          .endControlFlow();
    }
    if (outputs.size() == 1) {
      m.addStatement("$N = new float[$L]", results.getFirst(), size(outputs.getFirst()));
    } else {
      CodeBlock.Builder arrays = CodeBlock.builder();
      for (int i = 0; i < outputs.size(); i++) arrays.add(i == 0 ? "new float[$L]" : ", new float[$L]", size(outputs.get(i)));
      m.addStatement("outputs = new $T($L)", model.nestedClass("Outputs"), arrays.build());
    }
    return m.addCode(parts.sessionInit.build()).build();
  }

  private static CodeBlock size(Port p) {
    return p.type().batched() ? CodeBlock.of("$N * batch", p.size()) : CodeBlock.of("$N", p.size());
  }

  private MethodSpec forward() {
    MethodSpec.Builder m = MethodSpec.methodBuilder("forward").addModifiers(Modifier.PUBLIC)
        .addJavadoc("Runs the network on the items the inputs hold, from 1 to {@link #batch()}, into the caller's "
            + "output arrays,\nsized for that many items; allocates nothing. Arrays are batch first (item after "
            + "item), of the shapes\nbelow.\n\n");
    for (Port p : inputs) {
      m.addParameter(FLOATS, p.name());
      m.addJavadoc("@param $N input {@code $L}: {@code $L}\n", p.name(), p.label(), p.type());
    }
    for (Port p : outputs) {
      m.addParameter(FLOATS, p.name());
      m.addJavadoc("@param $N output {@code $L}: {@code $L}\n", p.name(), p.label(), p.type());
    }
    m.addJavadoc(THROWS);
    m.addStatement("claim($S)", "forward");
    m.beginControlFlow("try");
    m.addStatement("begin($L)", names(inputs));
    for (Port p : outputs) m.addCode(check(p, "output"));
    m.addStatement("$N($L)", sideBySide ? "dispatch" : "pass", names(all()));
    m.nextControlFlow("finally").addStatement("owner.set(null)").endControlFlow();
    return m.build();
  }

  private static final String THROWS = "@throws dev.netc.runtime.InputException when an array's length is not "
      + "that of 1 to {@link #batch()} items\n(the same number for every batched array), or an unbatched array's is "
      + "not its size\n@throws IllegalStateException when another thread is inside {@code forward} of this session, or "
      + "it is closed\n";

  /**
   * {@code begin(inputs...)}: refuses a closed session, sets {@code batch} to the items of the first batched input
   * (the largest batch when no input is batched) and checks every input against it.
   */
  private MethodSpec begin() {
    MethodSpec.Builder m = MethodSpec.methodBuilder("begin").addModifiers(Modifier.PRIVATE)
        .addJavadoc("Checks the inputs and sets {@code batch} to the items they hold.\n");
    for (Port p : inputs) m.addParameter(FLOATS, p.name());
    m.beginControlFlow("if (closed)")
        .addStatement("throw new $T($S)", IllegalStateException.class, model.simpleName() + ".Session.forward called after close")
        .endControlFlow();
    Port first = inputs.stream().filter(p -> p.type().batched()).findFirst().orElse(null);
    if (first == null) {
      m.addStatement("$N = $N", Memory.BATCH, Memory.MAX_BATCH);
    } else {
      m.addStatement("$N = items($S, $S, $N, $N, $N)", Memory.BATCH, "input " + first.label(),
          first.type().shape().toString(), first.name(), first.size(), Memory.MAX_BATCH);
      parts.use(Helpers.Helper.ITEMS);
    }
    for (Port p : inputs) if (p != first) m.addCode(check(p, "input"));
    return m.build();
  }

  /** The length check of an input or output other than the first batched input. */
  private CodeBlock check(Port p, String what) {
    if (p.type().batched()) {
      parts.use(Helpers.Helper.ITEMS);
      return CodeBlock.builder().addStatement("requireItems($S, $N, $N, $N)", what + " " + p.label(), p.name(), p.size(),
          Memory.BATCH).build();
    }
    parts.use(Helpers.Helper.REQUIRE_LENGTH);
    return CodeBlock.builder().addStatement("requireLength($S, $N, $N)", what + " " + p.label(), p.name(), p.size())
        .build();
  }

  /** The forward pass itself, over {@code batch} items of arrays already checked. */
  private MethodSpec pass(List<JavaEmitter.Group> groups) {
    MethodSpec.Builder m = MethodSpec.methodBuilder("pass").addModifiers(Modifier.PRIVATE);
    for (Port p : all()) m.addParameter(FLOATS, p.name());
    return m.addCode(calls(groups)).build();
  }

  /**
   * {@code dispatch(ports...)}: the items left over after dealing the batch out to the side sessions (fewer than the
   * threads) run first, layer by layer on every thread, as a call of fewer items than threads does; then each side
   * session runs items of the rest, one at a time, each on one thread of the executor ({@link #side}). Its locals end
   * in {@code $}, which no port's name has.
   */
  private MethodSpec dispatch() {
    List<Port> ports = all();
    MethodSpec.Builder m = MethodSpec.methodBuilder("dispatch").addModifiers(Modifier.PRIVATE)
        .addJavadoc("Runs the call's {@code batch} items: the few left over layer by layer on every thread, the rest "
            + "side by side.\n");
    for (Port p : ports) m.addParameter(FLOATS, p.name());
    m.addStatement("int n$$ = $N", Memory.BATCH)
        .beginControlFlow("if (sides == null || n$$ < sides.length)")
        .addStatement("pass($L)", names(ports))
        .addStatement("return")
        .endControlFlow()
        .addStatement("int rest$$ = n$$ % sides.length")
        .beginControlFlow("if (rest$$ > 0)")
        .addStatement("$N = rest$$", Memory.BATCH)
        .beginControlFlow("try")
        .addStatement("pass($L)", names(ports))
        .nextControlFlow("finally")
        .addStatement("$N = n$$", Memory.BATCH)
        .endControlFlow()
        .endControlFlow();
    for (int i = 0; i < ports.size(); i++) m.addStatement("sideCall[$L] = $N", i, ports.get(i).name());
    return m.beginControlFlow("try")
        .addStatement("$N.frame().n0 = rest$$", Memory.EXECUTOR)
        .addStatement("$N.invoke(sideTask, n$$ - rest$$)", Memory.EXECUTOR)
        .nextControlFlow("finally")
        .addStatement("$T.fill(sideCall, null)", Arrays.class)
        .endControlFlow()
        .build();
  }

  /**
   * {@code side(frame, c)}: item {@code n0 + c} of the call, copied into the first side session no other thread holds,
   * run there, copied out. The executor hands the items out one by one (each thread its own range first, then what
   * the others have left), so a thread slowed by the machine takes fewer; a side session is held through its
   * {@code owner}, and at most as many items run at once as there are side sessions, so one is always free.
   */
  private MethodSpec side() {
    List<Port> ports = all();
    MethodSpec.Builder m = MethodSpec.methodBuilder("side").addModifiers(Modifier.PRIVATE)
        .addJavadoc("Item {@code n0 + c} of the call on this thread alone, through a side session no other thread "
            + "holds.\n")
        .addParameter(CALL_FRAME, "f").addParameter(int.class, "c")
        .addStatement("$T me = $T.currentThread()", Thread.class, Thread.class)
        .addStatement("int k = 0")
        .beginControlFlow("while (!sides[k].owner.compareAndSet(null, me))")
        .addStatement("$T.onSpinWait()", Thread.class)
        .addStatement("k = (k + 1) % sides.length")
        .endControlFlow()
        .addStatement("int i = f.n0 + c")
        .addStatement("float[][] io = sideItems[k]")
        .beginControlFlow("try");
    for (int k = 0; k < inputs.size(); k++) {
      m.addStatement("$T.arraycopy(sideCall[$L], i * $N, io[$L], 0, $N)", System.class, k, inputs.get(k).size(), k,
          inputs.get(k).size());
    }
    CodeBlock.Builder args = CodeBlock.builder();
    for (int k = 0; k < ports.size(); k++) args.add(k == 0 ? "io[$L]" : ", io[$L]", k);
    m.addStatement("sides[k].pass($L)", args.build());
    for (int k = inputs.size(); k < ports.size(); k++) {
      m.addStatement("$T.arraycopy(io[$L], 0, sideCall[$L], i * $N, $N)", System.class, k, k, ports.get(k).size(),
          ports.get(k).size());
    }
    return m.nextControlFlow("finally")
        .addStatement("sides[k].owner.set(null)")
        .endControlFlow()
        .build();
  }

  private List<Port> all() {
    List<Port> all = new ArrayList<>(inputs);
    all.addAll(outputs);
    return all;
  }

  private static CodeBlock names(List<Port> ports) {
    CodeBlock.Builder b = CodeBlock.builder();
    for (int i = 0; i < ports.size(); i++) b.add(i == 0 ? "$N" : ", $N", ports.get(i).name());
    return b.build();
  }

  /**
   * The calls of the group methods, in order; beyond {@link #MAX_CALLS} they go into methods of that many calls each
   * ({@code runPart0}, ...; in {@link #partMethods}), which forward calls, so that it stays small for the JIT.
   */
  private CodeBlock calls(List<JavaEmitter.Group> groups) {
    CodeBlock.Builder all = CodeBlock.builder();
    if (groups.size() <= MAX_CALLS) {
      for (JavaEmitter.Group g : groups) all.add(call(g.method(), arrays(g)));
      return all.build();
    }
    List<String> every = new ArrayList<>();
    inputs.forEach(p -> every.add(p.name()));
    outputs.forEach(p -> every.add(p.name()));
    for (int from = 0; from < groups.size(); from += MAX_CALLS) {
      MethodSpec.Builder part = MethodSpec.methodBuilder(parts.names.newName("runPart" + from / MAX_CALLS))
          .addModifiers(Modifier.PRIVATE);
      for (String a : every) part.addParameter(FLOATS, a);
      for (JavaEmitter.Group g : groups.subList(from, Math.min(groups.size(), from + MAX_CALLS))) {
        part.addCode(call(g.method(), arrays(g)));
      }
      MethodSpec built = part.build();
      partMethods.add(built);
      all.add(call(built.name(), every));
    }
    return all.build();
  }

  private static CodeBlock call(String method, List<String> arrays) {
    CodeBlock.Builder args = CodeBlock.builder();
    for (int i = 0; i < arrays.size(); i++) args.add(i == 0 ? "$N" : ", $N", arrays.get(i));
    return CodeBlock.builder().addStatement("$N($L)", method, args.build()).build();
  }

  private MethodSpec convenience(List<String> results) {
    MethodSpec.Builder m = MethodSpec.methodBuilder("forward").addModifiers(Modifier.PUBLIC);
    CodeBlock.Builder args = CodeBlock.builder();
    for (Port p : inputs) {
      m.addParameter(FLOATS, p.name());
      args.add("$N, ", p.name());
    }
    CodeBlock result;
    if (outputs.size() == 1) {
      m.returns(FLOATS).addJavadoc("Runs the network on the items the inputs hold, from 1 to {@link #batch()}, into "
          + "this session's own\noutput array, which the next call overwrites. The array is sized for {@link #batch()} "
          + "items: a call of\n{@code n} items fills its first {@code n}.\n\n");
      args.add("$N", results.getFirst());
      result = CodeBlock.of("$N", results.getFirst());
    } else {
      for (int i = 0; i < outputs.size(); i++) {
        args.add(i == 0 ? "outputs.$N()" : ", outputs.$N()", outputs.get(i).name());
      }
      m.returns(model.nestedClass("Outputs")).addJavadoc("Runs the network on the items the inputs hold, from 1 to "
          + "{@link #batch()}, into this session's own\noutput arrays, which the next call overwrites. They are "
          + "sized for {@link #batch()} items: a call of {@code n}\nitems fills the first {@code n} of each.\n\n");
      result = CodeBlock.of("outputs");
    }
    for (Port p : inputs) m.addJavadoc("@param $N input {@code $L}: {@code $L}\n", p.name(), p.label(), p.type());
    m.addJavadoc(THROWS);
    return m.addStatement("claim($S)", "forward")
        .beginControlFlow("try")
        .addStatement("begin($L)", names(inputs))
        .addStatement("$N($L)", sideBySide ? "dispatch" : "pass", args.build())
        .nextControlFlow("finally").addStatement("owner.set(null)").endControlFlow()
        .addStatement("return $L", result).build();
  }

  private MethodSpec group(JavaEmitter.Group g) {
    MethodSpec.Builder m = MethodSpec.methodBuilder(g.method()).addModifiers(Modifier.PRIVATE);
    for (String a : arrays(g)) m.addParameter(FLOATS, a);
    if (profile) m.addStatement("long $N", PROFILE_START);
    for (int i = 0; i < g.steps().size(); i++) {
      m.addCode("// $L\n", g.steps().get(i).comment());
      if (profile) m.addStatement("$N = $T.nanoTime()", PROFILE_START, System.class);
      m.addCode(g.code().get(i));
      if (profile) {
        m.addStatement("$N[$L] += $T.nanoTime() - $N", PROFILE_NANOS, stepIndex(g.steps().get(i)), System.class,
            PROFILE_START);
      }
    }
    return m.build();
  }

  /** A step's position in the plan (steps are records: compared by identity, equal steps may repeat). */
  private int stepIndex(Step step) {
    for (int k = 0; k < plan.steps().size(); k++) if (plan.steps().get(k) == step) return k;
    throw new IllegalStateException("step not in the plan: " + step.comment());
  }

  /** The caller's arrays a group reads or writes, inputs first, in model order. */
  private List<String> arrays(JavaEmitter.Group g) {
    Set<Integer> in = new LinkedHashSet<>();
    Set<Integer> out = new LinkedHashSet<>();
    for (Step s : g.steps()) {
      List<Integer> bufs = new ArrayList<>(s.inputs());
      bufs.add(s.output());
      for (int b : bufs) {
        switch (plan.buffer(b).storage()) {
          case Storage.Input i -> in.add(i.index());
          case Storage.Output o -> out.add(o.index());
          case Storage.Arena a -> { }
        }
      }
    }
    List<String> names = new ArrayList<>();
    for (int i = 0; i < inputs.size(); i++) if (in.contains(i)) names.add(inputs.get(i).name());
    for (int i = 0; i < outputs.size(); i++) if (out.contains(i)) names.add(outputs.get(i).name());
    return names;
  }
}

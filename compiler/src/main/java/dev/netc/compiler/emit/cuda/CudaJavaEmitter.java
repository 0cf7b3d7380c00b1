package dev.netc.compiler.emit.cuda;

import com.palantir.javapoet.ClassName;
import com.palantir.javapoet.CodeBlock;
import com.palantir.javapoet.FieldSpec;
import com.palantir.javapoet.JavaFile;
import com.palantir.javapoet.MethodSpec;
import com.palantir.javapoet.TypeName;
import com.palantir.javapoet.TypeSpec;
import dev.netc.compiler.emit.cuda.CudaProgram.Io;
import dev.netc.compiler.emit.cuda.CudaProgram.Launch;
import dev.netc.compiler.emit.cuda.CudaProgram.Ptr;
import dev.netc.compiler.emit.cuda.CudaProgram.Weight;
import dev.netc.compiler.emit.java.EmitOptions;
import dev.netc.compiler.emit.java.JavaEmitter;
import dev.netc.compiler.ir.Graph;
import dev.netc.compiler.ir.Param;
import dev.netc.compiler.plan.Plan;
import dev.netc.runtime.RandomWeights;
import dev.netc.runtime.io.LoadOptions;
import dev.netc.runtime.io.SafeTensors;
import dev.netc.runtime.io.WeightReader;
import java.io.IOException;
import java.io.InputStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Locale;
import java.util.Set;
import java.util.stream.Stream;
import javax.lang.model.element.Modifier;

/**
 * {@link CudaProgram} to the Java class of {@code --target cuda}: the same shape as the CPU class (an immutable model
 * that loads safetensors by name, and a per-thread {@code Session} with typed inputs and outputs), running on the GPU
 * through the {@code netc-runtime-cuda} module's {@code CudaNetwork}. Two class-path resources go beside it: the
 * kernels as PTX ({@code Name.ptx}, from nvcc at build time) and the launch table ({@code Name.launches}, one launch
 * per line, {@link #launchTable}).
 */
public final class CudaJavaEmitter {
  private static final ClassName NETWORK = ClassName.get("dev.netc.runtime.cuda", "CudaNetwork");
  private static final ClassName SESSION = NETWORK.nestedClass("Session");

  private CudaJavaEmitter() {}

  /** The generated class's source. */
  public static JavaFile emit(Plan plan, CudaProgram p, EmitOptions options) {
    ClassName cls = ClassName.get(options.packageName(), options.className());
    Graph g = plan.graph();
    TypeSpec.Builder t = TypeSpec.classBuilder(cls).addModifiers(Modifier.PUBLIC, Modifier.FINAL)
        .addJavadoc("The network {@code $L} on an NVIDIA GPU, compiled by netc ({@code --target cuda}) from a {@code .net}"
            + " source.\n\n<p>An instance holds the weights on the GPU, uploaded once: immutable, shared by any number"
            + " of threads. Each\nthread runs the network through its own {@link Session} (one device allocation of"
            + " $L floats per batch\nitem plus the inputs and outputs, its own stream). The kernels are the resource"
            + " {@code $L.ptx} (CUDA C++\nsource: {@code $L.cu}), launched in the order of {@code $L.launches}.\n"
            + "Tensors are float arrays in PyTorch's layout, batch first:\n<ul>\n", g.name(), p.batchedArena(),
            options.className(), options.className(), options.className());
    for (Io in : p.inputs()) t.addJavadoc("  <li>input {@code $L}: {@code $L}</li>\n", in.name(), in.type());
    for (Io out : p.outputs()) t.addJavadoc("  <li>output {@code $L}: {@code $L}</li>\n", out.name(), out.type());
    t.addJavadoc("</ul>\n");
    t.addField(constant(String.class, "SOURCE_SHA256", CodeBlock.of("$S", options.sourceSha256())));
    t.addField(constant(String.class, "COMPILER_VERSION", CodeBlock.of("$S", options.compilerVersion())));
    t.addField(constant(long.class, "PARAMS", CodeBlock.of("$LL", JavaEmitter.params(g))));
    t.addField(constant(long.class, "MACS", CodeBlock.of("$LL", JavaEmitter.macs(g))));
    t.addField(FieldSpec.builder(NETWORK, "network", Modifier.PRIVATE, Modifier.FINAL).build());
    t.addMethod(MethodSpec.constructorBuilder().addModifiers(Modifier.PRIVATE).addParameter(float[].class, "weights")
        .addException(IOException.class)
        .addStatement("String[] table = resource($S).split($S, 2)", options.className() + ".launches", "\nforward\n")
        .addStatement("this.network = new $T(resource($S), weights, $T.parse(table[0]), $T.parse(table[1]), $LL, $LL, "
                + "new long[] {$L}, new long[] {$L})", NETWORK, options.className() + ".ptx", NETWORK.nestedClass("Launch"),
            NETWORK.nestedClass("Launch"), p.batchedArena(), p.fixedArena(), sizes(p.inputs()), sizes(p.outputs()))
        .build());
    t.addMethod(MethodSpec.methodBuilder("load").addModifiers(Modifier.PUBLIC, Modifier.STATIC).returns(cls)
        .addJavadoc("From a safetensors file, every weight read by its name and its shape checked (strictly: a tensor"
            + " the\nnetwork does not use is an error too); then uploaded to the GPU.\n")
        .addParameter(Path.class, "safetensors").addException(IOException.class)
        .addStatement("return load(safetensors, $T.strict())", LoadOptions.class).build());
    t.addMethod(MethodSpec.methodBuilder("load").addModifiers(Modifier.PUBLIC, Modifier.STATIC).returns(cls)
        .addParameter(Path.class, "safetensors").addParameter(LoadOptions.class, "options")
        .addException(IOException.class)
        .beginControlFlow("try ($T file = $T.open(safetensors))", SafeTensors.class, SafeTensors.class)
        .addStatement("$T reader = new $T(file, options, $T.of($L))", WeightReader.class, WeightReader.class, List.class,
            unread(g, p))
        .addStatement("float[] w = new float[$L]", Math.toIntExact(p.weightFloats()))
        .addCode(weights(p, "reader.floats"))
        .addStatement("reader.finish()")
        .addStatement("return new $T(w)", cls)
        .endControlFlow().build());
    t.addMethod(MethodSpec.methodBuilder("randomWeights").addModifiers(Modifier.PUBLIC, Modifier.STATIC).returns(cls)
        .addJavadoc("Seeded random weights, the same as the CPU class draws for the same seed.\n")
        .addParameter(long.class, "seed").addException(IOException.class)
        .addStatement("float[] w = new float[$L]", Math.toIntExact(p.weightFloats()))
        .addCode(weights(p, "random"))
        .addStatement("return new $T(w)", cls).build());
    t.addMethod(MethodSpec.methodBuilder("random").addModifiers(Modifier.PRIVATE, Modifier.STATIC)
        .returns(float[].class).addParameter(long.class, "seed").addParameter(String.class, "name")
        .addParameter(int[].class, "shape").varargs()
        .addStatement("return $T.tensor(seed, name, shape)", RandomWeights.class).build());
    t.addMethod(MethodSpec.methodBuilder("copy").addModifiers(Modifier.PRIVATE, Modifier.STATIC)
        .addParameter(float[].class, "src").addParameter(float[].class, "dst").addParameter(int.class, "at")
        .addStatement("System.arraycopy(src, 0, dst, at, src.length)").build());
    t.addMethod(MethodSpec.methodBuilder("device").addModifiers(Modifier.PUBLIC).returns(String.class)
        .addJavadoc("The GPU this model runs on.\n").addStatement("return network.device()").build());
    t.addMethod(MethodSpec.methodBuilder("newSession").addModifiers(Modifier.PUBLIC).returns(cls.nestedClass("Session"))
        .addJavadoc("A session for {@code batch} items.\n").addParameter(int.class, "batch")
        .addStatement("return new Session(network.newSession(batch))").build());
    t.addMethod(MethodSpec.methodBuilder("resource").addModifiers(Modifier.PRIVATE, Modifier.STATIC)
        .returns(String.class).addParameter(String.class, "name").addException(IOException.class)
        .beginControlFlow("try ($T in = $T.class.getResourceAsStream(name))", InputStream.class, cls)
        .beginControlFlow("if (in == null)")
        .addStatement("throw new $T($S + name + $S)", IOException.class, "no class-path resource ",
            " beside the class (compile with --target cuda, nvcc on the PATH, and put the resources on the class path)")
        .endControlFlow()
        .addStatement("return new String(in.readAllBytes(), $T.US_ASCII)", StandardCharsets.class)
        .endControlFlow().build());
    t.addType(session(cls, p));
    return JavaFile.builder(options.packageName(), t.build()).skipJavaLangImports(true).indent("  ")
        .addFileComment("Generated by netc $L from network $L for CUDA. Do not edit: edit the .net source and compile "
            + "again.", options.compilerVersion(), g.name()).build();
  }

  private static TypeSpec session(ClassName cls, CudaProgram p) {
    TypeSpec.Builder s = TypeSpec.classBuilder("Session").addModifiers(Modifier.PUBLIC, Modifier.FINAL)
        .addSuperinterface(AutoCloseable.class)
        .addJavadoc("One thread's execution state on the GPU; {@link #forward} allocates nothing. Close it to free the"
            + " device memory.\n")
        .addField(SESSION, "session", Modifier.PRIVATE, Modifier.FINAL)
        .addField(float[][].class, "outputs", Modifier.PRIVATE, Modifier.FINAL);
    MethodSpec.Builder ctor = MethodSpec.constructorBuilder().addModifiers(Modifier.PRIVATE)
        .addParameter(SESSION, "session").addStatement("this.session = session")
        .addStatement("this.outputs = new float[$L][]", p.outputs().size());
    for (int i = 0; i < p.outputs().size(); i++) {
      Io o = p.outputs().get(i);
      ctor.addStatement("outputs[$L] = new float[$L]", i, o.type().batched()
          ? CodeBlock.of("$L * session.batch()", o.type().elements()) : CodeBlock.of("$L", o.type().elements()));
    }
    s.addMethod(ctor.build());
    MethodSpec.Builder fwd = MethodSpec.methodBuilder("forward").addModifiers(Modifier.PUBLIC)
        .addJavadoc("Runs the network; the result is this session's own array(s), overwritten by its next call.\n");
    List<String> names = new ArrayList<>();
    for (Io in : p.inputs()) {
      String n = javaName(in.name(), names);
      names.add(n);
      fwd.addParameter(float[].class, n);
      fwd.addJavadoc("@param $L input {@code $L} $L\n", n, in.name(), in.type());
      long size = in.type().elements();
      fwd.beginControlFlow("if ($L.length != $L)", n, in.type().batched() ? size + " * session.batch()" : size)
          .addStatement("throw new $T($S + $L.length)", IllegalArgumentException.class, "input " + in.name() + " "
              + in.type() + ": expected " + (in.type().batched() ? size + " floats per batch item" : size + " floats")
              + ", got ", n)
          .endControlFlow();
    }
    for (CudaProgram.TokenCheck c : p.tokenChecks()) {
      fwd.addStatement("$T.checkTokenIds($L, $L, $L, $S)", NETWORK, names.get(c.input()), c.num(), c.perItem(),
          c.layer());
    }
    fwd.addStatement("session.run(new float[][] {$L}, outputs)", String.join(", ", names));
    if (p.outputs().size() == 1) {
      fwd.returns(float[].class).addStatement("return outputs[0]");
    } else {
      fwd.returns(float[][].class).addJavadoc("@return the outputs in order: $L\n",
          String.join(", ", p.outputs().stream().map(Io::name).toList())).addStatement("return outputs");
    }
    s.addMethod(fwd.build());
    s.addMethod(MethodSpec.methodBuilder("runKernelsOnly").addModifiers(Modifier.PUBLIC)
        .addJavadoc("Runs the kernels on what the device holds, without copies (for timing).\n")
        .addStatement("session.runKernelsOnly()").build());
    s.addMethod(MethodSpec.methodBuilder("close").addAnnotation(Override.class).addModifiers(Modifier.PUBLIC)
        .addStatement("session.close()").build());
    return s.build();
  }

  private static String javaName(String label, List<String> taken) {
    String n = label.replaceAll("[^A-Za-z0-9_]", "_");
    if (n.isEmpty() || !Character.isJavaIdentifierStart(n.charAt(0))) n = "x" + n;
    if (javax.lang.model.SourceVersion.isKeyword(n) || n.equals("session") || n.equals("outputs")) n = n + "_";
    while (taken.contains(n)) n = n + "_";
    return n;
  }

  private static CodeBlock weights(CudaProgram p, String reader) {
    CodeBlock.Builder b = CodeBlock.builder();
    for (Weight w : p.weights()) {
      StringBuilder dims = new StringBuilder();
      for (int d : w.shape()) dims.append(", ").append(d);
      b.addStatement("copy($L($L$S$L), w, $L)", reader, reader.equals("random") ? "seed, " : "", w.name(), dims,
          w.offset());
    }
    return b.build();
  }

  /** Tensors a weights file holds that the network never reads (strict loading accepts those). */
  private static CodeBlock unread(Graph g, CudaProgram p) {
    Set<String> used = new LinkedHashSet<>();
    for (Weight w : p.weights()) used.add(w.name());
    CodeBlock.Builder b = CodeBlock.builder();
    Stream.concat(g.params().stream(), g.detached().stream()).map(Param::name).distinct()
        .filter(n -> !used.contains(n)).forEach(n -> b.add(b.isEmpty() ? "$S" : ", $S", n));
    return b.build();
  }

  private static String sizes(List<Io> ios) {
    List<String> v = new ArrayList<>();
    for (Io io : ios) {
      v.add(io.type().batched() ? io.type().elements() + "L" : "0L");
      v.add(io.type().batched() ? "0L" : io.type().elements() + "L");
    }
    return String.join(", ", v);
  }

  private static FieldSpec constant(Object type, String name, CodeBlock init) {
    TypeName t = type instanceof Class<?> c ? TypeName.get(c) : (TypeName) type;
    return FieldSpec.builder(t, name, Modifier.PUBLIC, Modifier.STATIC, Modifier.FINAL).initializer(init).build();
  }

  /**
   * The launch table resource: a line {@code prepare}, the load-time launches, a line {@code forward}, the forward
   * launches; one per line:
   * {@code kernel work workPerItem perBlock gridY gridZ threads} then per pointer {@code region,index,perItem,fixed}
   * (regions: 0 arena, 1 input, 2 output, 3 weights), then {@code # comment}.
   */
  public static String launchTable(CudaProgram p) {
    StringBuilder b = new StringBuilder("prepare\n");
    for (Launch l : p.prepare()) b.append(line(l));
    b.append("forward\n");
    for (Launch l : p.forward()) b.append(line(l));
    return b.toString();
  }

  private static String line(Launch l) {
    StringBuilder b = new StringBuilder(String.format(Locale.ROOT, "%s %d %d %d %d %d %d", l.kernel(), l.work(),
        l.workPerItem(), l.perBlock(), l.gridY(), l.gridZ(), l.threads()));
    for (Ptr p : l.args()) {
      b.append(' ').append(p.region().ordinal()).append(',').append(p.index()).append(',').append(p.perItem())
          .append(',').append(p.fixed());
    }
    return b.append(" # ").append(l.comment().replace('\n', ' ')).append('\n').toString();
  }
}

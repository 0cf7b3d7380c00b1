package dev.netc.compiler.emit.java;

import com.palantir.javapoet.ClassName;
import com.palantir.javapoet.CodeBlock;
import com.palantir.javapoet.JavaFile;
import com.palantir.javapoet.MethodSpec;
import com.palantir.javapoet.TypeName;
import com.palantir.javapoet.TypeSpec;
import dev.netc.compiler.plan.Plan;
import dev.netc.runtime.io.LoadOptions;
import java.io.IOException;
import java.nio.file.Path;
import javax.lang.model.element.Modifier;

/**
 * A network's generated class compiled and loaded in this JVM, with a driver that calls it directly: what
 * {@code netc bench}, {@code netc run} and the tests use to run generated code without writing files.
 */
public final class CompiledNetwork {
  private final JavaFile source;
  private final NetworkDriver driver;

  private CompiledNetwork(JavaFile source, NetworkDriver driver) {
    this.source = source;
    this.driver = driver;
  }

  /** Emits {@code plan}'s class, compiles it with {@code -Xlint:all -Werror} and loads it. */
  public static CompiledNetwork compile(Plan plan, EmitOptions options) {
    return compile(plan, JavaEmitter.emit(plan, options), false);
  }

  /** As {@link #compile}, a profiling build: its sessions' {@link NetworkSession#stepNanos} time every step. */
  public static CompiledNetwork compileProfiled(Plan plan, EmitOptions options) {
    return compile(plan, JavaEmitter.emitProfiled(plan, options), true);
  }

  private static CompiledNetwork compile(Plan plan, JavaFile model, boolean profiled) {
    JavaFile driver = driver(model, plan.graph().inputs().size(), plan.graph().outputs().size(), profiled);
    ClassLoader loader = InMemoryJavac.compile(java.util.List.of(model, driver));
    String name = driver.packageName().isEmpty() ? driver.typeSpec().name()
        : driver.packageName() + "." + driver.typeSpec().name();
    try {
      Class<?> c = Class.forName(name, true, loader);
      return new CompiledNetwork(model, (NetworkDriver) c.getDeclaredConstructor().newInstance());
    } catch (ReflectiveOperationException e) {
      throw new IllegalStateException("cannot instantiate the compiled driver " + name, e);
    }
  }

  /** The generated source. */
  public JavaFile source() { return source; }

  /** Loads weights from a safetensors file through the generated {@code load}, strictly (every tensor used). */
  public Object load(Path weights) throws IOException { return driver.load(weights, LoadOptions.strict()); }

  /** Loads weights from a safetensors file through the generated {@code load} with these options. */
  public Object load(Path weights, LoadOptions options) throws IOException { return driver.load(weights, options); }

  /** The generated {@code randomWeights(seed)}. */
  public Object randomWeights(long seed) { return driver.randomWeights(seed); }

  public NetworkSession newSession(Object model, int batch, int threads) {
    return driver.newSession(model, batch, threads);
  }

  /** The driver class: direct calls into the generated class, sessions adapted to {@link NetworkSession}. */
  private static JavaFile driver(JavaFile model, int inputs, int outputs, boolean profiled) {
    ClassName cls = ClassName.get(model.packageName(), model.typeSpec().name());
    ClassName session = cls.nestedClass("Session");
    CodeBlock.Builder args = CodeBlock.builder();
    for (int i = 0; i < inputs; i++) args.add(i == 0 ? "in[$L]" : ", in[$L]", i);
    for (int i = 0; i < outputs; i++) args.add(", out[$L]", i);
    TypeName floats2 = TypeName.get(float[][].class);
    TypeSpec.Builder bound = TypeSpec.recordBuilder("Bound").addModifiers(Modifier.PRIVATE)
        .addSuperinterface(NetworkSession.class)
        .recordConstructor(MethodSpec.constructorBuilder().addParameter(session, "session").build())
        .addMethod(MethodSpec.methodBuilder("forward").addAnnotation(Override.class).addModifiers(Modifier.PUBLIC)
            .addParameter(floats2, "in").addParameter(floats2, "out")
            .addStatement("session.forward($L)", args.build()).build())
        .addMethod(MethodSpec.methodBuilder("close").addAnnotation(Override.class).addModifiers(Modifier.PUBLIC)
            .addStatement("session.close()").build());
    if (profiled) {
      bound.addMethod(MethodSpec.methodBuilder("stepNanos").addAnnotation(Override.class).addModifiers(Modifier.PUBLIC)
          .returns(long[].class).addStatement("return session.$N", SessionEmitter.PROFILE_NANOS).build());
    }
    // The model's class may be named like a type the driver uses (Object, Override): in this package it hides it,
    // so every type of that simple name is written qualified.
    TypeSpec driver = TypeSpec.classBuilder(cls.simpleName() + "Driver").addModifiers(Modifier.PUBLIC, Modifier.FINAL)
        .alwaysQualify(cls.simpleName())
        .addSuperinterface(NetworkDriver.class)
        .addMethod(MethodSpec.methodBuilder("load").addAnnotation(Override.class).addModifiers(Modifier.PUBLIC)
            .returns(Object.class).addParameter(Path.class, "weights").addParameter(LoadOptions.class, "options")
            .addException(IOException.class)
            .addStatement("return $T.load(weights, options)", cls).build())
        .addMethod(MethodSpec.methodBuilder("randomWeights").addAnnotation(Override.class)
            .addModifiers(Modifier.PUBLIC).returns(Object.class).addParameter(long.class, "seed")
            .addStatement("return $T.randomWeights(seed)", cls).build())
        .addMethod(MethodSpec.methodBuilder("newSession").addAnnotation(Override.class).addModifiers(Modifier.PUBLIC)
            .returns(NetworkSession.class).addParameter(Object.class, "model").addParameter(int.class, "batch")
            .addParameter(int.class, "threads")
            .addStatement("return new Bound((($T) model).newSession(batch, threads))", cls).build())
        .addType(bound.build())
        .build();
    return JavaFile.builder(model.packageName(), driver).skipJavaLangImports(true).indent("  ").build();
  }
}

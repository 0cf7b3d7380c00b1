package dev.netc.maven;

import com.palantir.javapoet.JavaFile;
import dev.netc.compiler.Compilation;
import dev.netc.compiler.Compiler;
import dev.netc.compiler.diag.Diagnostic;
import dev.netc.compiler.diag.DiagnosticRenderer;
import dev.netc.compiler.diag.UserError;
import dev.netc.compiler.emit.cuda.CudaEmitter;
import dev.netc.compiler.emit.cuda.CudaJavaEmitter;
import dev.netc.compiler.emit.cuda.CudaProgram;
import dev.netc.compiler.emit.cuda.CudaUnsupportedException;
import dev.netc.compiler.emit.cuda.Nvcc;
import dev.netc.compiler.syntax.Ast;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;

/**
 * One {@code .net} file through the compiler's {@link Compiler} facade, the same path as {@code netc compile}:
 * front end, optimization passes, planner, Java emitter (or, for {@code --target cuda}, the CUDA emitter, its Java
 * class and {@code nvcc}). The result is in memory; {@link Generator} decides what to write.
 */
final class NetFile {
  private NetFile() {}

  /** What compiling a file gave: one Java file per network, the files it imports, and any warnings. */
  sealed interface Outcome permits Compiled, Failed {}

  /**
   * @param imports every file the input imports, directly or not (absolute real paths), without the input
   * @param resources class-path resources the classes need beside them (CUDA: launch table, PTX, the CUDA source)
   * @param notices warning lines that are not diagnostics of the source (no nvcc on this machine)
   */
  record Compiled(List<JavaFile> classes, List<Path> imports, List<Diagnostic> warnings, List<Resource> resources,
      List<String> notices) implements Outcome {
    Compiled(List<JavaFile> classes, List<Path> imports, List<Diagnostic> warnings) {
      this(classes, imports, warnings, List.of(), List.of());
    }
  }

  /** A class-path resource: {@code fileName} in the folder of package {@code packageName}. */
  record Resource(String packageName, String fileName, String text) {}

  /** What the classes run on: the CPU runtime ({@code java}) or an NVIDIA GPU ({@code cuda}). */
  enum Target {
    JAVA, CUDA;

    /** {@code java} or {@code cuda}, as the {@code target} parameter and {@code netc compile --target} spell it. */
    static Target of(String name) {
      return switch (name == null ? "java" : name.strip()) {
        case "java" -> JAVA;
        case "cuda" -> CUDA;
        default -> throw new IllegalArgumentException("target " + name + ": expected java or cuda");
      };
    }
  }

  /**
   * @param lines what to print: each diagnostic rendered with its source line and caret, headline first
   *     ({@code /abs/path/file.net:3:7: error[NET001]: ...})
   * @param errors how many errors the lines describe
   */
  record Failed(List<String> lines, int errors) implements Outcome {
    static Failed of(List<Diagnostic> diagnostics) {
      DiagnosticRenderer renderer = new DiagnosticRenderer(false);
      List<String> lines = new ArrayList<>();
      for (Diagnostic d : diagnostics) lines.addAll(renderer.render(d).lines().toList());
      return new Failed(lines, (int) diagnostics.stream().filter(Diagnostic::isError).count());
    }
  }

  /**
   * As {@link #compile}, but a failure of the compiler itself (a bug, never the user's mistake) is rethrown naming
   * the file, so the build says which model to report it with.
   */
  static Outcome compileOrExplain(Path file, String packageName) {
    return compileOrExplain(file, packageName, Target.JAVA);
  }

  /** As {@link #compileOrExplain(Path, String)} for {@code target}. */
  static Outcome compileOrExplain(Path file, String packageName, Target target) {
    try {
      return compile(file, packageName, target);
    } catch (RuntimeException | InternalError e) {
      throw new CompilerFailure(file, e);
    }
  }

  /** The compiler failed on a file with something other than diagnostics. */
  static final class CompilerFailure extends RuntimeException {
    CompilerFailure(Path file, Throwable cause) {
      super("the netc compiler failed on " + file + " (a compiler bug; please report it with that file): " + cause,
          cause);
    }
  }

  /** Compiles every network declared in {@code file} (an absolute path) into {@code packageName}. */
  static Outcome compile(Path file, String packageName) { return compile(file, packageName, Target.JAVA); }

  /** As {@link #compile(Path, String)} for {@code target}. */
  static Outcome compile(Path file, String packageName, Target target) {
    Compilation r;
    try {
      r = Compiler.compile(Compiler.Options.file(file).withPackage(packageName));
    } catch (UserError e) {
      return Failed.of(e.diagnostics());
    }
    if (target == Target.CUDA) return cuda(file, r);
    List<JavaFile> classes = new ArrayList<>();
    for (Compilation.Network n : r.networks()) {
      try {
        classes.add(n.java());
      } catch (UnsupportedOperationException e) {
        // A valid network the Java emitter cannot generate yet: the user's build fails, naming the network.
        Ast.NetworkDecl decl = r.program().network(n.name());
        String at = decl == null ? file.toString() : decl.nameSpan().location();
        return new Failed(List.of(at + ": error: network " + n.name() + " cannot be compiled to Java: "
            + e.getMessage()), 1);
      }
    }
    return new Compiled(classes, imports(r), r.warnings());
  }

  /**
   * Every network for CUDA: its Java class, and beside it the launch table, the CUDA source and the PTX that
   * {@code nvcc} makes of it (warnings as errors; without nvcc on this machine, a notice and no PTX: the class
   * then says at load time that its PTX is missing).
   */
  private static Outcome cuda(Path file, Compilation r) {
    List<JavaFile> classes = new ArrayList<>();
    List<Resource> resources = new ArrayList<>();
    List<String> notices = new ArrayList<>();
    Optional<Path> nvcc = Nvcc.find();
    for (Compilation.Network n : r.networks()) {
      Ast.NetworkDecl decl = r.program().network(n.name());
      String at = decl == null ? file.toString() : decl.nameSpan().location();
      CudaProgram p;
      try {
        p = CudaEmitter.emit(n.plan());
      } catch (CudaUnsupportedException e) {
        return new Failed(List.of(at + ": error: network " + n.name() + " cannot be compiled for CUDA: "
            + e.getMessage()), 1);
      }
      JavaFile java = CudaJavaEmitter.emit(n.plan(), p, n.emitOptions());
      classes.add(java);
      String cls = java.typeSpec().name();
      resources.add(new Resource(java.packageName(), cls + ".launches", CudaJavaEmitter.launchTable(p)));
      resources.add(new Resource(java.packageName(), cls + ".cu", p.source()));
      if (nvcc.isEmpty()) {
        notices.add(file + ": warning: nvcc is not on this machine: no " + cls + ".ptx for network " + n.name()
            + " (put the CUDA toolkit's bin folder on the PATH, or set CUDA_HOME)");
        continue;
      }
      try {
        resources.add(new Resource(java.packageName(), cls + ".ptx", ptx(nvcc.get(), p, cls)));
      } catch (IOException e) {
        return new Failed(List.of(at + ": error: nvcc could not compile the CUDA source of network " + n.name()
            + ": " + e.getMessage().lines().findFirst().orElse("") + " " + e.getMessage().lines().skip(1)
            .findFirst().orElse("")), 1);
      }
    }
    return new Compiled(classes, imports(r), r.warnings(), resources, notices);
  }

  /** The PTX of {@code p}, compiled in a temporary folder that is removed after. */
  private static String ptx(Path nvcc, CudaProgram p, String name) throws IOException {
    Path tmp = Files.createTempDirectory("netc-cuda");
    try {
      Path cu = tmp.resolve(name + ".cu");
      Files.writeString(cu, p.source());
      return Files.readString(Nvcc.ptx(nvcc, List.of(cu), tmp).getFirst());
    } finally {
      try (var files = Files.walk(tmp)) {
        files.sorted(java.util.Comparator.reverseOrder()).forEach(f -> f.toFile().delete());
      }
    }
  }

  private static List<Path> imports(Compilation r) {
    Path root = r.program().root().source().path();
    List<Path> out = new ArrayList<>();
    for (Ast.File f : r.program().files()) {
      Path p = real(f.source().path());
      if (!p.equals(real(root))) out.add(p);
    }
    return out;
  }

  static Path real(Path p) {
    try {
      return p.toRealPath();
    } catch (IOException e) {
      return p.toAbsolutePath().normalize();
    }
  }
}

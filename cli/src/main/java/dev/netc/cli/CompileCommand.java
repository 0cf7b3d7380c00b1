package dev.netc.cli;

import com.palantir.javapoet.JavaFile;
import dev.netc.compiler.Compilation;
import dev.netc.compiler.Compiler;
import dev.netc.compiler.emit.java.EmitOptions;
import java.io.PrintWriter;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.Callable;
import javax.lang.model.SourceVersion;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Option;
import picocli.CommandLine.Parameters;
import picocli.CommandLine.ParentCommand;

/**
 * {@code netc compile FILE --java OUT_DIR}: one Java class per network, on the netc runtime only, written under
 * {@code OUT_DIR} in its package's folders (made if missing, {@code OUT_DIR} included). Every class is generated
 * before any is written, and each is written through {@link Outputs}: a killed compile leaves the previous source
 * or the new one, never a truncated file.
 */
@Command(name = "compile", mixinStandardHelpOptions = true,
    description = "Compile networks to Java: one class per network (weights, sessions, an allocation-free forward).")
final class CompileCommand implements Callable<Integer> {
  @ParentCommand Main main;

  @Parameters(paramLabel = "FILE", description = "The .net file.")
  Path file;

  @Option(names = "--java", paramLabel = "OUT_DIR", required = true,
      description = "Where to write the sources (in package folders; made if missing).")
  Path outDir;

  @Option(names = "--package", paramLabel = "P",
      description = "The Java package (default: ${DEFAULT-VALUE}; '' for the unnamed package).")
  String packageName = EmitOptions.DEFAULT_PACKAGE;

  @Option(names = "--target", paramLabel = "java|cuda",
      description = "java: a class on the CPU runtime (default); cuda: a class that runs on an NVIDIA GPU, with its CUDA "
          + "source, launch table and, when nvcc is on the PATH, PTX beside it (class-path resources).")
  String target = "java";

  @Mixin NetworkOptions networkOptions;

  @Override
  public Integer call() {
    if (!target.equals("java") && !target.equals("cuda")) {
      throw CliException.usage("--target " + target + ": expected java or cuda");
    }
    PrintWriter out = main.spec.commandLine().getOut();
    PrintWriter err = main.spec.commandLine().getErr();
    checkPackage(packageName);
    if (Files.exists(outDir) && !Files.isDirectory(outDir)) {
      throw CliException.user("--java " + outDir + " is a file; give the folder to write the sources under");
    }
    Reporter reporter = new Reporter(err, main.useColor());
    return reporter.guard(() -> {
      Compilation c = Compiler.compile(networkOptions.of(file).withPackage(packageName));
      reporter.print(c.warnings());
      Map<Path, String> sources = new LinkedHashMap<>();
      for (Compilation.Network n : c.networks()) {
        if (target.equals("cuda")) {
          var p = CudaDevice.program(n);
          JavaFile java = dev.netc.compiler.emit.cuda.CudaJavaEmitter.emit(n.plan(), p, n.emitOptions());
          for (var f : CudaDevice.files(n, java, p, folder(java.packageName()), err).entrySet()) {
            if (sources.put(f.getKey(), f.getValue()) != null) {
              throw CliException.user("two networks of " + file + " would both be written to " + f.getKey());
            }
          }
          continue;
        }
        JavaFile java = java(n);
        Path target = folder(java.packageName()).resolve(java.typeSpec().name() + ".java");
        if (sources.put(target, java.toString()) != null) {
          throw CliException.user("two networks of " + file + " would both be written to " + target);
        }
      }
      for (var e : sources.entrySet()) {
        Outputs.createFolders(e.getKey().getParent(), "the Java sources");
        Outputs.writeString(e.getKey(), e.getValue(), "the generated source");
        out.println("wrote " + e.getKey());
      }
      out.flush();
      return Main.OK;
    });
  }

  private static JavaFile java(Compilation.Network n) {
    try {
      return n.java();
    } catch (UnsupportedOperationException e) {
      throw CliException.user("network " + n.name() + " cannot be compiled to Java yet: " + e.getMessage());
    }
  }

  private Path folder(String pkg) {
    Path dir = outDir;
    if (!pkg.isEmpty()) for (String part : pkg.split("\\.")) dir = dir.resolve(part);
    return dir;
  }

  /** A usage error unless {@code p} is empty (the unnamed package) or a package name Java allows. */
  static void checkPackage(String p) {
    if (p.isEmpty()) return;
    List<String> bad = new ArrayList<>();
    for (String part : p.split("\\.", -1)) {
      if (!SourceVersion.isIdentifier(part) || SourceVersion.isKeyword(part)) bad.add("'" + part + "'");
    }
    if (!bad.isEmpty()) {
      throw CliException.usage("--package " + p + " is not a Java package name (" + String.join(", ", bad)
          + (bad.size() == 1 ? " is not a Java identifier" : " are not Java identifiers")
          + "; e.g. --package com.example.models)");
    }
    if (p.equals("java") || p.startsWith("java.")) {
      throw CliException.usage("--package " + p + ": the JVM refuses classes in java.* packages; choose another");
    }
  }
}

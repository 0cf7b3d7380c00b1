package dev.netc.cli;

import com.palantir.javapoet.JavaFile;
import dev.netc.compiler.Compilation;
import dev.netc.compiler.Compiler;
import dev.netc.compiler.emit.java.EmitOptions;
import java.io.IOException;
import java.io.PrintWriter;
import java.io.UncheckedIOException;
import java.nio.file.Path;
import java.util.concurrent.Callable;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Option;
import picocli.CommandLine.Parameters;
import picocli.CommandLine.ParentCommand;

/**
 * {@code netc compile FILE --java OUT_DIR}: one Java class per network, on the netc runtime only, written under
 * {@code OUT_DIR} in its package's folders.
 */
@Command(name = "compile", mixinStandardHelpOptions = true,
    description = "Compile networks to Java: one class per network (weights, sessions, an allocation-free forward).")
final class CompileCommand implements Callable<Integer> {
  @ParentCommand Main main;

  @Parameters(paramLabel = "FILE", description = "The .net file.")
  Path file;

  @Option(names = "--java", paramLabel = "OUT_DIR", required = true,
      description = "Where to write the sources (in package folders).")
  Path outDir;

  @Option(names = "--package", paramLabel = "P", description = "The Java package (default: ${DEFAULT-VALUE}).")
  String packageName = EmitOptions.DEFAULT_PACKAGE;

  @Mixin NetworkOptions networkOptions;

  @Override
  public Integer call() {
    PrintWriter out = main.spec.commandLine().getOut();
    PrintWriter err = main.spec.commandLine().getErr();
    if (!packageName.isEmpty() && !javax.lang.model.SourceVersion.isName(packageName)) {
      err.println("netc: --package " + packageName + " is not a Java package name");
      return Main.USAGE;
    }
    Reporter reporter = new Reporter(err, main.useColor());
    return reporter.guard(() -> {
      Compilation c = Compiler.compile(networkOptions.of(file).withPackage(packageName));
      for (Compilation.Network n : c.networks()) out.println("wrote " + write(n.java()));
      out.flush();
      return Main.OK;
    });
  }

  private Path write(JavaFile java) {
    try {
      return java.writeToPath(outDir);
    } catch (IOException e) {
      throw new UncheckedIOException("cannot write under " + outDir + ": " + e.getMessage(), e);
    }
  }
}

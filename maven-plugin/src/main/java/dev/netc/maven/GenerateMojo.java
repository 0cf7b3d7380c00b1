package dev.netc.maven;

import dev.netc.compiler.Compiler;
import dev.netc.compiler.Version;
import java.io.File;
import java.io.UncheckedIOException;
import java.net.URISyntaxException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import org.apache.maven.plugin.MojoExecutionException;
import org.apache.maven.plugin.MojoFailureException;
import org.apache.maven.plugins.annotations.LifecyclePhase;
import org.apache.maven.plugins.annotations.Mojo;
import org.apache.maven.plugins.annotations.Parameter;

/**
 * {@code netc:generate}: compiles every {@code .net} file under {@code src/main/net} to Java (one class per
 * network, on dev.netc:netc-runtime only) in {@code target/generated-sources/netc}, and adds that folder to the
 * project's sources. Incremental: see {@link Generator}. Errors fail the build as {@code file:line:col:
 * error[NETxxx]: message} lines with absolute paths.
 */
@Mojo(name = "generate", defaultPhase = LifecyclePhase.GENERATE_SOURCES, threadSafe = true)
public final class GenerateMojo extends AbstractNetcMojo {
  /** Where the Java sources go, in package folders. */
  @Parameter(property = "netc.outputDirectory", defaultValue = "${project.build.directory}/generated-sources/netc")
  File outputDirectory;

  /** One Java package for every generated class; when unset, the package follows each file's folder. */
  @Parameter(property = "netc.packageName")
  String packageName;

  /** Fail the build when a file compiles with warnings. */
  @Parameter(property = "netc.failOnWarning", defaultValue = "false")
  boolean failOnWarning;

  /** Skip generation (the output folder is still added to the sources). */
  @Parameter(property = "netc.skip", defaultValue = "false")
  boolean skip;

  /** The incremental state: input and import hashes, and the classes each input produced. */
  @Parameter(defaultValue = "${project.build.directory}/netc/generate.state", readonly = true)
  File stateFile;

  @Override
  public void execute() throws MojoExecutionException, MojoFailureException {
    Path out = outputDirectory.toPath().toAbsolutePath().normalize();
    project.addCompileSourceRoot(out.toString());
    if (skip) {
      getLog().info("netc: generate skipped");
      return;
    }
    try {
      PackageNames.checkConfigured(packageName);
    } catch (IllegalArgumentException e) {
      throw new MojoFailureException("netc: " + e.getMessage());
    }
    try {
      Generator generator = new Generator(sourceRoot(), out, blankToNull(packageName), failOnWarning, log());
      Path state = stateFile.toPath();
      List<Path> inputs = inputs();
      Generator.Summary s = generator.run(inputs, BuildState.load(state), fingerprint(out));
      s.state().save(state);
      if (inputs.isEmpty()) getLog().info("netc: no .net files under " + sourceRoot());
      else summarize(s);
    } catch (UncheckedIOException | NetFile.CompilerFailure e) {
      throw new MojoExecutionException("netc: " + e.getMessage(), e);
    }
  }

  private void summarize(Generator.Summary s) throws MojoFailureException {
    if (s.upToDate() > 0 || (s.generated() == 0 && s.errors() == 0)) {
      getLog().info("netc: " + s.upToDate() + " network" + (s.upToDate() == 1 ? "" : "s") + " up to date");
    }
    if (s.errors() > 0) {
      throw new MojoFailureException("netc: " + s.errors() + " error" + (s.errors() == 1 ? "" : "s") + " in "
          + s.failedFiles() + " file" + (s.failedFiles() == 1 ? "" : "s") + " (see the lines above)");
    }
    if (failOnWarning && s.warnings() > 0) {
      throw new MojoFailureException("netc: " + s.warnings() + " warning" + (s.warnings() == 1 ? "" : "s")
          + " and failOnWarning is set");
    }
  }

  /**
   * Everything besides the inputs that decides what a class looks like: the compiler and this plugin (their jars'
   * hashes, so a rebuilt SNAPSHOT counts as a new compiler), the package and output settings.
   */
  private String fingerprint(Path out) {
    return Hashes.of(String.join("\n", List.of(Version.version(), codeHash(Compiler.class),
        codeHash(GenerateMojo.class), String.valueOf(blankToNull(packageName)), out.toString(),
        String.valueOf(failOnWarning))));
  }

  private static String codeHash(Class<?> c) {
    try {
      Path p = Path.of(c.getProtectionDomain().getCodeSource().getLocation().toURI());
      return Files.isRegularFile(p) ? Hashes.compute(p) : p.toString();
    } catch (URISyntaxException | RuntimeException e) {
      return "unknown";
    }
  }

  private static String blankToNull(String s) { return s == null || s.isBlank() ? null : s.strip(); }
}

package dev.netc.maven;

import dev.netc.compiler.Compiler;
import dev.netc.compiler.Version;
import java.io.File;
import java.io.UncheckedIOException;
import java.net.URISyntaxException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import org.apache.maven.model.Resource;
import org.apache.maven.plugin.MojoExecutionException;
import org.apache.maven.plugin.MojoFailureException;
import org.apache.maven.plugins.annotations.LifecyclePhase;
import org.apache.maven.plugins.annotations.Mojo;
import org.apache.maven.plugins.annotations.Parameter;

/**
 * {@code netc:generate}: compiles every {@code .net} file under {@code src/main/net} to Java (one class per
 * network, on dev.netc:netc-runtime only) in {@code target/generated-sources/netc}, and adds that folder to the
 * project's sources. With {@code <target>cuda</target>} the classes run on an NVIDIA GPU (they need
 * dev.netc:netc-runtime-cuda), and each one's launch table, CUDA source and PTX (compiled by {@code nvcc}, found on
 * the {@code PATH} or under {@code CUDA_HOME}) go to {@code target/generated-resources/netc}, added to the project's
 * resources, so they land beside the class on the class path. Incremental: see {@link Generator}. Errors fail the build as {@code file:line:col:
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

  /**
   * What the classes run on: {@code java} (the CPU runtime, the default) or {@code cuda} (an NVIDIA GPU, as
   * {@code netc compile --target cuda}).
   */
  @Parameter(property = "netc.target", defaultValue = "java")
  String target;

  /** Where the resources of {@code cuda} classes go (launch tables, PTX, CUDA sources), in package folders. */
  @Parameter(property = "netc.resourceDirectory",
      defaultValue = "${project.build.directory}/generated-resources/netc")
  File resourceDirectory;

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
    NetFile.Target kind;
    try {
      kind = NetFile.Target.of(target);
    } catch (IllegalArgumentException e) {
      throw new MojoFailureException("netc: " + e.getMessage());
    }
    Path resources = resourceDirectory.toPath().toAbsolutePath().normalize();
    if (kind == NetFile.Target.CUDA) {
      Resource r = new Resource();
      r.setDirectory(resources.toString());
      project.addResource(r);
    }
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
      Generator generator = new Generator(sourceRoot(), out, blankToNull(packageName), failOnWarning, kind, resources,
          log());
      Path state = stateFile.toPath();
      List<Path> inputs = inputs();
      Generator.Summary s = generator.run(inputs, BuildState.load(state), fingerprint(out, kind, resources));
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
   * hashes, so a rebuilt SNAPSHOT counts as a new compiler), the package, output and target settings.
   */
  private String fingerprint(Path out, NetFile.Target kind, Path resources) {
    List<String> parts = new java.util.ArrayList<>(List.of(Version.version(), codeHash(Compiler.class),
        codeHash(GenerateMojo.class), String.valueOf(blankToNull(packageName)), out.toString(),
        String.valueOf(failOnWarning)));
    // The Java target's fingerprint stays what it was, so existing builds stay up to date.
    if (kind == NetFile.Target.CUDA) parts.addAll(List.of("cuda", resources.toString()));
    return Hashes.of(String.join("\n", parts));
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

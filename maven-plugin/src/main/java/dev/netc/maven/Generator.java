package dev.netc.maven;

import com.palantir.javapoet.JavaFile;
import dev.netc.compiler.diag.Diagnostic;
import dev.netc.compiler.diag.DiagnosticRenderer;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;

/**
 * The incremental {@code generate} step, free of Maven so tests can drive it. Given the inputs found now and the
 * state of the last run, it
 * <ol>
 *   <li>drops everything when the fingerprint changed (other compiler, package or output settings);
 *   <li>deletes the classes of inputs that are gone;
 *   <li>keeps an input whose text, imported files and written classes are all as recorded;
 *   <li>recompiles every other input, writes its classes (only those whose text changed, so an unchanged class
 *       keeps its timestamp), and deletes classes it no longer produces.
 * </ol>
 * An input that fails keeps no classes at all: a generated class is never older than its source. Its errors are
 * collected; the caller fails the build after the state is saved (so the inputs that did compile stay current).
 */
final class Generator {
  private final Path sourceRoot;
  private final Path outputDir;
  private final String packageName;
  private final boolean failOnWarning;
  private final NetFile.Target target;
  private final Path resourceDir;
  private final BuildLog log;
  private final Hashes hashes = new Hashes();
  private final DiagnosticRenderer renderer = new DiagnosticRenderer(false);

  /**
   * @param sourceRoot the source folder (absolute)
   * @param outputDir where classes go, in package folders (absolute)
   * @param packageName the configured package, or null to derive it from each file's folder
   */
  Generator(Path sourceRoot, Path outputDir, String packageName, boolean failOnWarning, BuildLog log) {
    this(sourceRoot, outputDir, packageName, failOnWarning, NetFile.Target.JAVA, null, log);
  }

  /**
   * @param target what the classes run on; for {@link NetFile.Target#CUDA} each class's resources (launch table,
   *     PTX, CUDA source) go to {@code resourceDir} (absolute), in package folders
   */
  Generator(Path sourceRoot, Path outputDir, String packageName, boolean failOnWarning, NetFile.Target target,
      Path resourceDir, BuildLog log) {
    this.sourceRoot = sourceRoot;
    this.outputDir = outputDir;
    this.packageName = packageName;
    this.failOnWarning = failOnWarning;
    this.target = target;
    this.resourceDir = resourceDir;
    this.log = log;
  }

  /** What a run did; {@code state} is what to save. */
  record Summary(BuildState state, int upToDate, int generated, int removed, int errors, int failedFiles,
      int warnings) {}

  Summary run(List<Path> inputs, BuildState previous, String fingerprint) {
    BuildState prev = previous;
    if (!prev.fingerprint().equals(fingerprint)) {
      // Other compiler or settings: nothing recorded can be trusted, and old classes may sit elsewhere.
      prev.entries().values().forEach(e -> e.outputs().forEach(this::delete));
      prev = BuildState.empty(fingerprint);
    }
    Run run = new Run();
    Set<String> present = new java.util.HashSet<>();
    inputs.forEach(p -> present.add(SourceScan.slashed(p)));
    for (BuildState.Entry e : prev.entries().values()) {
      if (!present.contains(e.input())) run.removed += removeAll(e, "its source " + e.input() + " is gone");
    }
    Map<Path, BuildState.Entry> stale = new LinkedHashMap<>();
    for (Path rel : inputs) {
      BuildState.Entry old = prev.entries().get(SourceScan.slashed(rel));
      if (old != null && current(old, rel)) {
        run.keep(old);
      } else {
        stale.put(rel, old);
      }
    }
    stale.forEach((rel, old) -> compile(rel, old, run));
    return new Summary(new BuildState(fingerprint, run.entries), run.upToDate, run.generated, run.removed,
        run.errors, run.failedFiles, run.warnings);
  }

  /** The mutable tallies of one run. */
  private static final class Run {
    final Map<String, BuildState.Entry> entries = new HashMap<>();
    final Map<Path, String> claimed = new HashMap<>();
    int upToDate, generated, removed, errors, failedFiles, warnings;

    void keep(BuildState.Entry e) {
      entries.put(e.input(), e);
      e.outputs().forEach(o -> claimed.put(o, e.input()));
      upToDate += classes(e.outputs());
    }
  }

  /** The generated classes among {@code outputs} (the rest are their resources). */
  private static int classes(List<Path> outputs) {
    return (int) outputs.stream().filter(o -> o.getFileName().toString().endsWith(".java")).count();
  }

  private boolean current(BuildState.Entry e, Path rel) {
    if (!hashes.of(sourceRoot.resolve(rel)).equals(e.sha256())) return false;
    for (Map.Entry<Path, String> imp : e.imports().entrySet()) {
      if (!hashes.of(imp.getKey()).equals(imp.getValue())) return false;
    }
    return e.outputs().stream().allMatch(Files::isRegularFile);
  }

  private void compile(Path rel, BuildState.Entry old, Run run) {
    Path file = sourceRoot.resolve(rel).toAbsolutePath().normalize();
    String pkg;
    try {
      pkg = PackageNames.of(rel, packageName);
    } catch (IllegalArgumentException e) {
      fail(run, old, List.of(file + ": error: " + e.getMessage()), 1);
      return;
    }
    switch (NetFile.compileOrExplain(file, pkg, target)) {
      case NetFile.Failed f -> fail(run, old, f.lines(), f.errors());
      case NetFile.Compiled c -> accept(rel, file, old, c, run);
    }
  }

  private void accept(Path rel, Path file, BuildState.Entry old, NetFile.Compiled c, Run run) {
    for (Diagnostic w : c.warnings()) renderer.render(w).lines().forEach(log::warn);
    run.warnings += c.warnings().size();
    c.notices().forEach(log::warn);
    List<Path> outputs = new ArrayList<>();
    List<String> texts = new ArrayList<>();
    for (JavaFile java : c.classes()) {
      outputs.add(outputDir.resolve(java.packageName().replace('.', '/')).resolve(java.typeSpec().name() + ".java"));
      texts.add(java.toString());
    }
    for (NetFile.Resource r : c.resources()) {
      outputs.add(resourceDir.resolve(r.packageName().replace('.', '/')).resolve(r.fileName()));
      texts.add(r.text());
    }
    for (Path out : outputs) {
      String owner = run.claimed.get(out);
      if (owner != null) {
        fail(run, old, List.of(file + ": error: network " + out.getFileName().toString().replaceFirst("\\.[a-z]+$", "")
            + " would generate " + out + ", which " + owner + " already generates; rename one of the networks or"
            + " give the files different folders"), 1);
        return;
      }
    }
    for (int i = 0; i < outputs.size(); i++) write(outputs.get(i), texts.get(i));
    if (old != null) old.outputs().stream().filter(o -> !outputs.contains(o)).forEach(this::delete);
    outputs.forEach(o -> run.claimed.put(o, SourceScan.slashed(rel)));
    Map<Path, String> imports = new LinkedHashMap<>();
    c.imports().forEach(p -> imports.put(p, hashes.of(p)));
    // With failOnWarning a file with warnings must fail again next time: record it under a hash nothing matches.
    String sha = failOnWarning && !c.warnings().isEmpty() ? "warned" : hashes.of(file);
    run.entries.put(SourceScan.slashed(rel), new BuildState.Entry(SourceScan.slashed(rel), sha, imports, outputs));
    run.generated += classes(outputs);
    log.info("netc: " + SourceScan.slashed(rel) + " -> " + (outputs.isEmpty() ? "no networks (blocks only)"
        : String.join(", ", c.classes().stream().map(j -> qualified(j)).toList())));
  }

  private static String qualified(JavaFile j) {
    return j.packageName().isEmpty() ? j.typeSpec().name() : j.packageName() + "." + j.typeSpec().name();
  }

  private void fail(Run run, BuildState.Entry old, List<String> lines, int errors) {
    lines.forEach(log::error);
    if (old != null) old.outputs().forEach(this::delete);
    run.errors += errors;
    run.failedFiles++;
  }

  /** Deletes an entry's outputs; returns how many were classes. */
  private int removeAll(BuildState.Entry e, String why) {
    e.outputs().forEach(this::delete);
    if (!e.outputs().isEmpty()) {
      log.info("netc: removed " + String.join(", ", e.outputs().stream().map(p -> p.getFileName().toString())
          .toList()) + " (" + why + ")");
    }
    return classes(e.outputs());
  }

  /** Writes {@code text} unless the file already holds exactly it (an unchanged class keeps its timestamp). */
  private void write(Path out, String text) {
    try {
      if (Files.isRegularFile(out) && Files.readString(out).equals(text)) return;
      Files.createDirectories(out.getParent());
      Files.writeString(out, text);
    } catch (IOException e) {
      throw new UncheckedIOException("cannot write " + out + ": " + e.getMessage(), e);
    }
  }

  private void delete(Path out) {
    try {
      Files.deleteIfExists(out);
    } catch (IOException e) {
      throw new UncheckedIOException("cannot delete " + out + ": " + e.getMessage(), e);
    }
  }
}

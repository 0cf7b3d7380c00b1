package dev.netc.cli;

import dev.netc.compiler.Compilation;
import dev.netc.compiler.Compiler;
import dev.netc.compiler.analysis.render.DotRenderer;
import java.io.IOException;
import java.io.OutputStream;
import java.io.PrintWriter;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.Callable;
import picocli.CommandLine;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Option;
import picocli.CommandLine.Parameters;
import picocli.CommandLine.ParentCommand;

/**
 * {@code netc graph FILE -o out.dot|out.svg}: the network as a picture. DOT is written directly; SVG is made by
 * Graphviz's {@code dot} (the program named by system property {@code netc.dot}, default {@code dot}); without it,
 * one line says how to get it and the exit code is 1. Both are written through {@link Outputs} (never left
 * truncated; a missing folder or a read-only file is one line).
 */
@Command(name = "graph", mixinStandardHelpOptions = true, sortOptions = false,
    description = "Draw a network: Graphviz DOT, or SVG through Graphviz's dot.")
final class GraphCommand implements Callable<Integer> {
  @ParentCommand Main main;

  @CommandLine.Spec CommandLine.Model.CommandSpec spec;

  @Parameters(index = "0", paramLabel = "FILE", description = "The .net file.")
  Path file;

  @Option(names = {"-o", "--output"}, paramLabel = "OUT.dot|OUT.svg",
      description = "Where to write; the extension picks the format (default: DOT on standard output).")
  Path output;

  @Mixin NetworkOptions networkOptions;

  @Option(names = "--input", paramLabel = "NAME=C,H,W", description = "Override an input's shape (repeatable).")
  List<String> inputs = new ArrayList<>();

  @Override
  public Integer call() {
    boolean svg = output != null && extension(output).equals("svg");
    if (output != null && !svg && !extension(output).equals("dot") && !extension(output).equals("gv")) {
      throw new CommandLine.ParameterException(spec.commandLine(), "-o " + output
          + ": the file name must end in .dot, .gv or .svg");
    }
    Map<String, List<Integer>> shapes = ReportCommand.parse(spec, () -> ReportCommand.inputShapes(inputs));
    Compiler.Options options = ReportCommand.parse(spec, () -> networkOptions.of(file).withInputShapes(shapes));
    PrintWriter out = spec.commandLine().getOut();
    PrintWriter err = spec.commandLine().getErr();
    Reporter reporter = new Reporter(err, main.useColor());
    return reporter.guard(() -> {
      Compilation r = Compiler.compile(options);
      reporter.print(r.warnings());
      if (r.graphs().isEmpty()) return fail(err, file + " declares no networks to draw");
      String dot = DotRenderer.render(r.graphs());
      if (output == null) {
        out.print(dot);
        out.flush();
        return Main.OK;
      }
      if (!svg) {
        Outputs.writeString(output, dot, "the graph to");
        return Main.OK;
      }
      return svg(dot, err);
    });
  }

  /** Graphviz's {@code dot} turns the DOT text into SVG on its standard output, which is written to the file. */
  private int svg(String dot, PrintWriter err) {
    String program = System.getProperty("netc.dot", "dot");
    Process p;
    try {
      p = new ProcessBuilder(program, "-Tsvg").start();
    } catch (IOException e) {
      return fail(err, "SVG output needs Graphviz's '" + program + "' program, which is not installed: install"
          + " Graphviz (apt-get install graphviz, brew install graphviz) or write DOT with -o "
          + dotName(output));
    }
    // DOT goes in and the error stream is read on threads of their own: dot writes while it reads.
    CompletableFuture<byte[]> said = new CompletableFuture<>();
    Thread.ofPlatform().daemon().start(() -> said.complete(readAll(p.getErrorStream())));
    Thread feeder = Thread.ofPlatform().daemon().start(() -> {
      try (OutputStream in = p.getOutputStream()) {
        in.write(dot.getBytes(StandardCharsets.UTF_8));
      } catch (IOException e) {
        // dot stopped reading: its exit code and message say why
      }
    });
    byte[] svgBytes = readAll(p.getInputStream());
    try {
      int code = p.waitFor();
      feeder.join();
      if (code != 0) {
        err.println("netc: internal error (this is a bug in netc): " + program + " rejected the graph (exit " + code
            + "): " + new String(said.join(), StandardCharsets.UTF_8).strip());
        err.flush();
        return Main.INTERNAL;
      }
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      return fail(err, "interrupted while waiting for " + program);
    }
    Outputs.write(output, o -> o.write(svgBytes), "the graph to");
    return Main.OK;
  }

  private static byte[] readAll(java.io.InputStream in) {
    try (in) {
      return in.readAllBytes();
    } catch (IOException e) {
      return new byte[0];
    }
  }

  private static int fail(PrintWriter err, String message) {
    err.println("netc: " + message);
    err.flush();
    return Main.USER_ERROR;
  }

  private static String extension(Path p) {
    String name = String.valueOf(p.getFileName());
    int dot = name.lastIndexOf('.');
    return dot < 0 ? "" : name.substring(dot + 1).toLowerCase(Locale.ROOT);
  }

  private static String dotName(Path svg) {
    String name = String.valueOf(svg.getFileName());
    return name.substring(0, name.length() - 4) + ".dot";
  }
}

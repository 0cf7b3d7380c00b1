package dev.netc.cli;

import dev.netc.compiler.Compilation;
import dev.netc.compiler.Compiler;
import dev.netc.compiler.analysis.ReportError;
import dev.netc.viz.DiffWriter;
import dev.netc.viz.NetworkDiff;
import java.io.PrintWriter;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.concurrent.Callable;
import picocli.CommandLine;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Option;
import picocli.CommandLine.Parameters;
import picocli.CommandLine.ParentCommand;

/**
 * {@code netc diff A.net B.net} (or one file of two networks): what a change costs. The totals of both networks side
 * by side (parameters, MACs, memory, planned arena) and the layers added, removed or changed (op, arguments, shape,
 * counts), aligned by path; at {@code --depth N} the report's groups instead of layers. Table, JSON or HTML.
 */
@Command(name = "diff", mixinStandardHelpOptions = true, sortOptions = false,
    description = "Compare two networks: totals side by side, layers added, removed and changed, aligned by path.")
final class DiffCommand implements Callable<Integer> {
  @ParentCommand Main main;

  @CommandLine.Spec CommandLine.Model.CommandSpec spec;

  @Parameters(arity = "1..2", paramLabel = "FILE",
      description = "Two .net files (their network each), or one file that declares two networks.")
  List<Path> files = new ArrayList<>();

  @Option(names = "--format", paramLabel = "FORMAT", defaultValue = "table",
      description = "table, json or html (default: ${DEFAULT-VALUE}).")
  String format;

  @Option(names = {"-o", "--output"}, paramLabel = "FILE", description = "Write to FILE instead of standard output.")
  Path output;

  @Option(names = "--depth", paramLabel = "N", defaultValue = "0",
      description = "Compare the groups of the first N path segments instead of layers (0: layers).")
  int depth;

  @Option(names = "--batch", paramLabel = "N", defaultValue = "1", description = "Batch size (default: 1).")
  int batch;

  @Mixin NetworkOptions networkOptions;

  @Option(names = "--input", paramLabel = "NAME=C,H,W", description = "Override an input's shape in both (repeatable).")
  List<String> inputs = new ArrayList<>();

  @Override
  public Integer call() {
    String fmt = format.trim().toLowerCase(Locale.ROOT);
    if (!List.of("table", "json", "html").contains(fmt)) {
      throw usage("--format " + format + ": expected table, json or html");
    }
    if (depth < 0) throw usage("--depth must not be negative, got " + depth);
    if (batch < 1) throw usage("--batch must be at least 1, got " + batch);
    Map<String, List<Integer>> shapes = ReportCommand.parse(spec, () -> ReportCommand.inputShapes(inputs));
    List<Compiler.Options> options = new ArrayList<>();
    for (Path f : files) {
      options.add(ReportCommand.parse(spec, () -> networkOptions.of(f).withInputShapes(shapes).withBatch(batch)));
    }
    PrintWriter out = spec.commandLine().getOut();
    PrintWriter err = spec.commandLine().getErr();
    Reporter reporter = new Reporter(err, main.useColor());
    return reporter.guard(() -> {
      List<NetworkDiff.Side> sides = new ArrayList<>();
      try {
        for (int i = 0; i < options.size(); i++) {
          Compilation c = Compiler.compile(options.get(i));
          reporter.print(c.warnings());
          sides.addAll(sides(files.get(i), c, files.size() == 1 ? 2 : 1));
        }
      } catch (ReportError e) {
        throw CliException.user(e.getMessage());
      }
      NetworkDiff d = NetworkDiff.of(sides.get(0), sides.get(1), depth);
      String text = switch (fmt) {
        case "json" -> DiffWriter.json(d);
        case "html" -> DiffWriter.html(d);
        default -> DiffWriter.text(d);
      };
      if (output == null) {
        out.print(text);
        out.flush();
      } else {
        Outputs.writeString(output, text, "the comparison to");
      }
      return Main.OK;
    });
  }

  /** The {@code want} networks of a file (one of each of two files, two of a single file). */
  private static List<NetworkDiff.Side> sides(Path file, Compilation c, int want) {
    if (c.networks().size() != want) {
      String has = c.networks().size() + " network" + (c.networks().size() == 1 ? "" : "s");
      throw CliException.user(want == 2
          ? file + " declares " + has + "; diff compares two: give two files, or a file of two networks"
          : file + " declares " + has + "; pick one with --network NAME");
    }
    List<NetworkDiff.Side> out = new ArrayList<>();
    for (Compilation.Network n : c.networks()) {
      out.add(new NetworkDiff.Side(n.report(), String.valueOf(file.getFileName()), n.compiledStats().arenaBytes()));
    }
    return out;
  }

  private CommandLine.ParameterException usage(String message) {
    return new CommandLine.ParameterException(spec.commandLine(), message);
  }
}

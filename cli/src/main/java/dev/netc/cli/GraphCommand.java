package dev.netc.cli;

import dev.netc.compiler.Compilation;
import dev.netc.compiler.Compiler;
import dev.netc.compiler.analysis.NetworkReport;
import dev.netc.viz.Coloring;
import dev.netc.viz.DotWriter;
import dev.netc.viz.GraphView;
import dev.netc.viz.Layout;
import dev.netc.viz.MermaidWriter;
import dev.netc.viz.PngWriter;
import dev.netc.viz.SvgWriter;
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
 * {@code netc graph FILE -o out.svg|out.png|out.dot|out.mmd}: the network as a picture, drawn in the JVM (laid out
 * by Eclipse ELK, no Graphviz). Each box shows the layer's op, output shape, parameters and MACs; blocks and stages
 * are frames, collapsed into one box each below {@code --depth}; {@code --color} fills boxes by kind or by a cost.
 * DOT and Mermaid are text for Graphviz and Mermaid to lay out themselves. Files are written through
 * {@link Outputs} (never left truncated; a missing folder or a read-only file is one line).
 */
@Command(name = "graph", mixinStandardHelpOptions = true, sortOptions = false,
    description = "Draw a network: SVG or PNG (laid out in netc, no Graphviz needed), Graphviz DOT or Mermaid.")
final class GraphCommand implements Callable<Integer> {
  @ParentCommand Main main;

  @CommandLine.Spec CommandLine.Model.CommandSpec spec;

  @Parameters(index = "0", paramLabel = "FILE", description = "The .net file.")
  Path file;

  @Option(names = {"-o", "--output"}, paramLabel = "OUT.svg|OUT.png|OUT.dot|OUT.mmd",
      description = "Where to write; the extension picks the format (default: --format on standard output).")
  Path output;

  @Option(names = "--format", paramLabel = "FORMAT",
      description = "svg, dot or mmd (Mermaid) on standard output (default: dot); with -o, the extension decides.")
  String format;

  @Option(names = "--depth", paramLabel = "N", defaultValue = "0",
      description = "Collapse the layers under each path prefix of N segments into one box (0: every layer).")
  int depth;

  @Option(names = "--color", paramLabel = "BY", defaultValue = "kind",
      description = "Fill boxes by kind of layer, or by macs, params, memory or time (measured as netc profile "
          + "does; white to dark red) (default: ${DEFAULT-VALUE}).")
  String color;

  @Option(names = "--scale", paramLabel = "F", defaultValue = "2",
      description = "PNG pixels per layout unit (default: ${DEFAULT-VALUE}).")
  double scale;

  @Mixin NetworkOptions networkOptions;

  @Option(names = "--input", paramLabel = "NAME=C,H,W", description = "Override an input's shape (repeatable).")
  List<String> inputs = new ArrayList<>();

  /** The formats, by file extension. */
  private enum Format { SVG, PNG, DOT, MMD }

  @Override
  public Integer call() {
    Format f = format();
    if (depth < 0) throw usage("--depth must not be negative, got " + depth);
    if (!(scale > 0 && scale <= 8)) throw usage("--scale must be above 0 and at most 8, got " + scale);
    Coloring coloring = ReportCommand.parse(spec, () -> Coloring.parse(color));
    Map<String, List<Integer>> shapes = ReportCommand.parse(spec, () -> ReportCommand.inputShapes(inputs));
    Compiler.Options options = ReportCommand.parse(spec, () -> networkOptions.of(file).withInputShapes(shapes));
    PrintWriter out = spec.commandLine().getOut();
    PrintWriter err = spec.commandLine().getErr();
    Reporter reporter = new Reporter(err, main.useColor());
    return reporter.guard(() -> {
      Compilation r = Compiler.compile(options);
      reporter.print(r.warnings());
      if (r.graphs().isEmpty()) {
        err.println("netc: " + file + " declares no networks to draw");
        err.flush();
        return Main.USER_ERROR;
      }
      List<NetworkReport> reports = r.networks().stream().map(Compilation.Network::report).toList();
      List<Map<String, Long>> times = new ArrayList<>();
      if (coloring == Coloring.TIME) {
        int threads = Threads.of(null, err);
        for (Compilation.Network n : r.networks()) {
          times.add(Profiling.measure(n, null, 1, threads, 2, 10).nanosByPath());
        }
      }
      GraphView view = GraphView.of(reports, depth, times);
      String title = reports.size() == 1 ? reports.getFirst().name() : "networks";
      if (f == Format.PNG) {
        if (!PngWriter.fontsAvailable()) {
          throw CliException.user("PNG needs a font to draw text and this machine has none: install one "
              + "(apt-get install fonts-dejavu-core), or write SVG, which needs none");
        }
        byte[] png = PngWriter.write(Layout.of(view, coloring, caption(title, coloring)), scale);
        Outputs.write(output, o -> o.write(png), "the graph to");
        return Main.OK;
      }
      String text = switch (f) {
        case SVG -> SvgWriter.write(Layout.of(view, coloring, caption(title, coloring)));
        case DOT -> DotWriter.write(view, coloring, title);
        case MMD -> MermaidWriter.write(view, coloring);
        case PNG -> throw new IllegalStateException();
      };
      if (output == null) {
        out.print(text);
        out.flush();
      } else {
        Outputs.writeString(output, text, "the graph to");
      }
      return Main.OK;
    });
  }

  private static String caption(String title, Coloring c) {
    return c == Coloring.KIND ? title : title + " \u2014 fill: " + c.what() + " (white 0, dark red the largest)";
  }

  private Format format() {
    if (output == null) {
      String name = format == null ? "dot" : format.trim().toLowerCase(Locale.ROOT);
      return switch (name) {
        case "svg" -> Format.SVG;
        case "dot", "gv" -> Format.DOT;
        case "mmd", "mermaid" -> Format.MMD;
        case "png" -> throw usage("--format png writes binary: give a file with -o OUT.png");
        default -> throw usage("--format " + format + ": expected svg, dot or mmd");
      };
    }
    return switch (extension(output)) {
      case "svg" -> Format.SVG;
      case "png" -> Format.PNG;
      case "dot", "gv" -> Format.DOT;
      case "mmd", "mermaid" -> Format.MMD;
      default -> throw usage("-o " + output + ": the file name must end in .svg, .png, .dot, .gv or .mmd");
    };
  }

  private CommandLine.ParameterException usage(String message) {
    return new CommandLine.ParameterException(spec.commandLine(), message);
  }

  private static String extension(Path p) {
    String name = String.valueOf(p.getFileName());
    int dot = name.lastIndexOf('.');
    return dot < 0 ? "" : name.substring(dot + 1).toLowerCase(Locale.ROOT);
  }
}

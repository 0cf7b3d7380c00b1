package dev.netc.cli;

import dev.netc.compiler.Compilation;
import dev.netc.compiler.Compiler;
import dev.netc.compiler.analysis.Budgets;
import dev.netc.compiler.analysis.NetworkReport;
import dev.netc.compiler.analysis.Quantity;
import dev.netc.compiler.analysis.ReportDoc;
import dev.netc.compiler.analysis.ReportError;
import dev.netc.compiler.analysis.Sweep;
import dev.netc.compiler.analysis.SweepSpec;
import dev.netc.compiler.analysis.render.ReportFormat;
import java.io.PrintWriter;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.LinkedHashMap;
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
 * {@code netc report FILE}: parameters, MACs, FLOPs, other ops, memory and receptive fields of each network, per
 * layer and in total, as a table, Markdown, JSON or CSV; optionally over several input sizes and against budgets
 * (a budget exceeded prints one line per budget on stderr and exits 1, after the report). Every report shows the
 * planned activation arena of compiled execution beside the naive peak; {@code --optimized} adds the network as it
 * will run beside the network as written ({@link Compilation.Network#compiledStats}).
 */
@Command(name = "report", mixinStandardHelpOptions = true, sortOptions = false,
    description = "Count parameters, MACs/FLOPs, other ops, memory and receptive fields of each network.")
final class ReportCommand implements Callable<Integer> {
  @ParentCommand Main main;

  @CommandLine.Spec CommandLine.Model.CommandSpec spec;

  @Parameters(index = "0", paramLabel = "FILE", description = "The .net file.")
  Path file;

  @Mixin NetworkOptions networkOptions;

  @Option(names = "--format", paramLabel = "FORMAT", defaultValue = "table", converter = FormatConverter.class,
      description = "table, markdown, json, csv or html (one self-contained page with charts; default: "
          + "${DEFAULT-VALUE}).")
  Format format;

  @Option(names = {"-o", "--output"}, paramLabel = "FILE",
      description = "Write the report to FILE instead of standard output (e.g. report.html).")
  Path output;

  @Option(names = "--depth", paramLabel = "N", defaultValue = "0",
      description = "Group layers by the first N path segments, with subtotals (0: every layer).")
  int depth;

  @Option(names = "--batch", paramLabel = "N", defaultValue = "1", description = "Batch size (default: 1).")
  int batch;

  @Option(names = "--input", paramLabel = "NAME=C,H,W", description = "Override an input's shape (repeatable).")
  List<String> inputs = new ArrayList<>();

  @Option(names = "--sweep", paramLabel = "NAME=S,S,...",
      description = "Also report totals with input NAME at each spatial size (224, or 224x320).")
  String sweep;

  @Option(names = "--optimized",
      description = "Also show the network after optimization and planning: layers, fused kernels, plan steps, "
          + "counts, and the planned arena beside the naive peak.")
  boolean optimized;

  @Option(names = "--profile",
      description = "With --format html: also run the generated code (random weights, all processors) and show "
          + "the measured time per layer and stage (as netc profile).")
  boolean profile;

  @Option(names = "--max-params", paramLabel = "N", converter = QuantityConverter.class,
      description = "Exit 1 if a network has more parameters (e.g. 25M).")
  Long maxParams;

  @Option(names = "--max-macs", paramLabel = "N", converter = QuantityConverter.class,
      description = "Exit 1 if a network needs more MACs (e.g. 4.1G).")
  Long maxMacs;

  @Option(names = "--max-memory", paramLabel = "BYTES", converter = QuantityConverter.class,
      description = "Exit 1 if weights plus peak activations need more bytes (e.g. 100MiB).")
  Long maxMemory;

  @Override
  public Integer call() {
    if (batch < 1) throw usage("--batch must be at least 1, got " + batch);
    if (depth < 0) throw usage("--depth must not be negative, got " + depth);
    if (profile && !format.html()) throw usage("--profile adds measured times to the HTML report: use --format html");
    SweepSpec sweepSpec = parse(() -> sweep == null ? null : SweepSpec.parse(sweep));
    if (sweepSpec != null && sweepSpec.sizes().isEmpty()) {
      throw usage("--sweep " + sweep + " gives no sizes; give at least one (e.g. " + sweepSpec.input()
          + "=224,320,640)");
    }
    Map<String, List<Integer>> shapes = parse(() -> inputShapes(inputs));
    Compiler.Options options = parse(() -> networkOptions.of(file).withInputShapes(shapes).withBatch(batch));
    PrintWriter out = spec.commandLine().getOut();
    PrintWriter err = spec.commandLine().getErr();
    Reporter reporter = new Reporter(err, main.useColor());
    return reporter.guard(() -> {
      try {
        return report(sweepSpec, options, reporter, out, err);
      } catch (ReportError | ArithmeticException e) {
        err.println("netc: " + (e instanceof ArithmeticException ? "counts overflow 64-bit integers at batch " + batch
            : e.getMessage()));
        err.flush();
        return Main.USER_ERROR;
      }
    });
  }

  private int report(SweepSpec sweepSpec, Compiler.Options options, Reporter reporter, PrintWriter out,
      PrintWriter err) {
    Compilation r = Compiler.compile(options);
    reporter.print(r.warnings());
    if (r.networks().isEmpty()) {
      err.println("netc: " + file + " declares no networks to report");
      err.flush();
      return Main.USER_ERROR;
    }
    Budgets budgets = new Budgets(maxParams, maxMacs, maxMemory);
    List<ReportDoc> docs = new ArrayList<>();
    List<String> over = new ArrayList<>();
    for (Compilation.Network n : r.networks()) {
      NetworkReport rep = n.report();
      over.addAll(budgets.violations(n.name(), rep.totals(), rep.peak().bytes()));
      Sweep sw = sweepSpec == null ? null : sweep(n, sweepSpec);
      if (sw != null) {
        for (NetworkReport p : sw.points()) {
          String where = n.name() + " at " + sw.input() + " " + ReportDoc.shapeText(sw.inputType(p), batch);
          over.addAll(budgets.violations(where, p.totals(), p.peak().bytes()));
        }
      }
      docs.add(ReportDoc.of(String.valueOf(file.getFileName()), rep, depth, sw)
          .withCompiled(n.compiledStats(), optimized));
    }
    String text = format.html() ? HtmlPage.render(file, r, docs, profile ? profiles(r, err) : List.of())
        : format.text().render(docs);
    if (output == null) {
      out.print(text);
      out.flush();
    } else {
      Outputs.writeString(output, text, "the report to");
    }
    for (String line : over) err.println("netc: " + line);
    err.flush();
    return over.isEmpty() ? Main.OK : Main.USER_ERROR;
  }

  /** Each network measured as {@code netc profile} does, with a shorter warm-up and fewer passes. */
  private List<Map<String, Object>> profiles(Compilation r, PrintWriter err) {
    int threads = Threads.of(null, err);
    List<Map<String, Object>> out = new ArrayList<>();
    for (Compilation.Network n : r.networks()) out.add(Profiling.measure(n, null, batch, threads, 2, 10).json());
    return out;
  }

  /** Elaborates the network again at each size of the sweep (shapes, and so costs, change with size). */
  private static Sweep sweep(Compilation.Network n, SweepSpec s) {
    List<NetworkReport> points = new ArrayList<>();
    for (List<Integer> size : s.sizes()) {
      points.add(n.resized(Map.of(s.input(), s.shapeFor(n.graph(), size))).report());
    }
    return new Sweep(s.input(), points);
  }

  private CommandLine.ParameterException usage(String message) {
    return new CommandLine.ParameterException(spec.commandLine(), message);
  }

  /** Runs a parse of an option's text; a malformed option is a usage error (exit 2). */
  private <T> T parse(java.util.function.Supplier<T> parser) {
    return parse(spec, parser);
  }

  static <T> T parse(CommandLine.Model.CommandSpec spec, java.util.function.Supplier<T> parser) {
    try {
      return parser.get();
    } catch (IllegalArgumentException | CommandLine.TypeConversionException e) {
      throw new CommandLine.ParameterException(spec.commandLine(), e.getMessage());
    }
  }

  /** {@code --input image=3,320,320} (or {@code 3x320x320}): input name to dims without batch. */
  static Map<String, List<Integer>> inputShapes(List<String> specs) {
    Map<String, List<Integer>> out = new LinkedHashMap<>();
    for (String s : specs) {
      int eq = s.indexOf('=');
      if (eq <= 0) throw new IllegalArgumentException("--input expects NAME=C,H,W, got '" + s + "'");
      List<Integer> dims = new ArrayList<>();
      for (String d : s.substring(eq + 1).split("[,xX]", -1)) {
        try {
          int v = Integer.parseInt(d.trim());
          if (v < 1) throw new NumberFormatException();
          dims.add(v);
        } catch (NumberFormatException e) {
          throw new IllegalArgumentException("--input " + s + ": '" + d.trim() + "' is not a positive size");
        }
      }
      out.put(s.substring(0, eq).trim(), dims);
    }
    return out;
  }

  /** A text format of the compiler's renderers, or the HTML page (drawn by the viz module). */
  record Format(ReportFormat text, boolean html) {}

  /** {@code --format}, any case. */
  static final class FormatConverter implements CommandLine.ITypeConverter<Format> {
    @Override
    public Format convert(String value) {
      if (value.trim().equalsIgnoreCase("html")) return new Format(null, true);
      try {
        return new Format(ReportFormat.valueOf(value.trim().toUpperCase(Locale.ROOT)), false);
      } catch (IllegalArgumentException e) {
        throw new CommandLine.TypeConversionException("'" + value
            + "' is not a format (table, markdown, json, csv, html)");
      }
    }
  }

  /** Budget sizes: {@code 25000000}, {@code 25M}, {@code 4.1G}, {@code 100MiB}. */
  static final class QuantityConverter implements CommandLine.ITypeConverter<Long> {
    @Override
    public Long convert(String value) {
      try {
        return Quantity.parse(value);
      } catch (IllegalArgumentException e) {
        throw new CommandLine.TypeConversionException(e.getMessage());
      }
    }
  }
}

package dev.netc.bench;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;
import java.time.Instant;
import java.time.ZoneOffset;
import java.time.format.DateTimeFormatter;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;

/**
 * The "vs ONNX Runtime" report of issue 10 from {@link VsOrt}'s tab-separated lines ({@code bench/vs-ort.sh} runs
 * it at the end): the host's CPU, the native vector width, the kernels netc selected and the FMA peak, then per
 * model, batch and thread count the netc and ONNX Runtime medians, their ratio against the target, max
 * |netc − ORT| over every output, and — when the set ran more than once ({@code REPEATS=N}) — the run-to-run spread
 * of each engine's medians, (max − min) / median over the runs (target: within 10 %). Batches above 1 get a
 * throughput table (items/s).
 *
 * <p>Usage: {@code java -cp benchmarks.jar dev.netc.bench.VsOrtReport [--out FILE.md] FILE.tsv...}.
 */
public final class VsOrtReport {
  /** The columns {@link #append} writes, in order; the first line of a file names them. */
  static final List<String> COLUMNS = List.of("time", "model", "batch", "threads", "gmacs", "netc_ms", "ort_ms",
      "ratio", "max_diff", "max_abs", "netc_p25", "netc_p75", "ort_p25", "ort_p75", "passes", "peak_gflops",
      "native_bits", "kernels", "cpu", "cpus", "ort_version", "ort_spin");
  /** The run-to-run spread of the medians issue 10 accepts. */
  static final double SPREAD_TARGET = 0.10;

  private VsOrtReport() {}

  /** One line of a file: one (model, batch, threads) result of one run. */
  record Line(Map<String, String> cells) {
    String get(String column) {
      return cells.get(column);
    }

    double num(String column) {
      return Double.parseDouble(cells.get(column));
    }

    int integer(String column) {
      return Integer.parseInt(cells.get(column));
    }

    String key() {
      return get("model") + "/" + get("batch") + "/" + get("threads");
    }
  }

  public static void main(String[] args) throws IOException {
    Path out = null;
    List<List<Line>> files = new ArrayList<>();
    boolean compare = false;
    for (int i = 0; i < args.length; i++) {
      if (args[i].equals("--out") && i + 1 < args.length) {
        out = Path.of(args[++i]);
      } else if (args[i].equals("--compare")) {
        compare = true;
      } else {
        Path p = Path.of(args[i]);
        try {
          files.add(parse(p.getFileName().toString(), Files.readAllLines(p)));
        } catch (IllegalArgumentException e) {
          System.err.println("vs-ort report: " + e.getMessage());
          System.exit(2);
        } catch (java.nio.file.NoSuchFileException e) {
          System.err.println("vs-ort report: no file " + p + " (did every VsOrt run fail?)");
          System.exit(2);
        }
      }
    }
    List<Line> lines = files.stream().flatMap(List::stream).toList();
    if (lines.isEmpty() || compare && files.size() != 2) {
      System.err.println("vs-ort report: usage: VsOrtReport [--out FILE.md] FILE.tsv... | VsOrtReport [--out FILE.md]"
          + " --compare A.tsv B.tsv" + (lines.isEmpty() ? " (no lines)" : ""));
      System.exit(2);
    }
    String md = compare ? compare(files.get(0), files.get(1)) : report(lines);
    System.out.print(md);
    if (out != null) {
      Files.writeString(out, md);
    }
  }

  /** Appends one result to {@code tsv}, with the header line first when the file is new or empty. */
  static void append(Path tsv, VsOrt.Host h, VsOrt.Result r) throws IOException {
    boolean fresh = !Files.exists(tsv) || Files.size(tsv) == 0;
    List<String> v = List.of(Instant.now().toString(), r.model(), str(r.batch()), str(r.threads()),
        fmt("%.4f", r.gmacs()), fmt("%.4f", r.netcMs()), fmt("%.4f", r.ortMs()), fmt("%.4f", r.ratio()),
        fmt("%.4e", r.maxDiff()), fmt("%.4e", r.maxAbs()), fmt("%.4f", VsOrt.quantile(r.netcTimes(), 0.25)),
        fmt("%.4f", VsOrt.quantile(r.netcTimes(), 0.75)), fmt("%.4f", VsOrt.quantile(r.ortTimes(), 0.25)),
        fmt("%.4f", VsOrt.quantile(r.ortTimes(), 0.75)), str(r.netcTimes().length),
        fmt("%.2f", h.peak(r.threads())), str(h.nativeBits()), clean(h.kernels()), clean(h.cpu()), str(h.cpus()),
        clean(h.ortVersion()), h.ortSpin() ? "1" : "0");
    String text = (fresh ? String.join("\t", COLUMNS) + "\n" : "") + String.join("\t", v) + "\n";
    Files.writeString(tsv, text, StandardOpenOption.CREATE, StandardOpenOption.APPEND);
  }

  /** The lines of one file, its first line naming the columns. */
  static List<Line> parse(String name, List<String> text) {
    if (text.isEmpty() || !text.getFirst().startsWith("time\tmodel\t")) {
      throw new IllegalArgumentException(name + ": the first line does not name the columns (time, model, ...): "
          + "written by an older VsOrt?");
    }
    List<String> header = Arrays.asList(text.getFirst().split("\t", -1));
    for (String c : List.of("model", "batch", "threads", "gmacs", "netc_ms", "ort_ms", "ratio", "max_diff",
        "max_abs", "peak_gflops")) {
      if (!header.contains(c)) throw new IllegalArgumentException(name + ": no column " + c);
    }
    List<Line> lines = new ArrayList<>();
    for (int i = 1; i < text.size(); i++) {
      String row = text.get(i);
      if (row.isBlank() || row.startsWith("time\tmodel\t")) continue;
      String[] cells = row.split("\t", -1);
      if (cells.length != header.size()) {
        throw new IllegalArgumentException(name + ":" + (i + 1) + ": " + cells.length + " cells, expected "
            + header.size());
      }
      Map<String, String> m = new LinkedHashMap<>();
      for (int c = 0; c < cells.length; c++) m.put(header.get(c), cells[c]);
      lines.add(new Line(m));
    }
    return lines;
  }

  /** The Markdown report over all lines (each (model, batch, threads) once per run). */
  static String report(List<Line> lines) {
    Map<String, List<Line>> groups = byKey(lines);
    int runs = groups.values().stream().mapToInt(List::size).max().orElse(0);
    StringBuilder sb = new StringBuilder();
    sb.append(header(lines, runs)).append("\n\n");
    List<List<Line>> single = groups.values().stream().filter(g -> g.getFirst().integer("batch") == 1).toList();
    List<List<Line>> batched = groups.values().stream().filter(g -> g.getFirst().integer("batch") > 1).toList();
    int[] met = new int[2];
    int[] spreads = new int[2];
    if (!single.isEmpty()) {
      sb.append("| model | GMACs | threads | netc ms | ORT ms | netc / ORT | target | max \\|diff\\| | spread netc / ORT"
          + " | netc GFLOP/s (of peak) | ORT GFLOP/s (of peak) |\n");
      sb.append("| --- | ---: | ---: | ---: | ---: | ---: | --- | ---: | ---: | ---: | ---: |\n");
      for (List<Line> g : single) sb.append(latencyRow(g, met, spreads)).append('\n');
      sb.append('\n');
    }
    if (!batched.isEmpty()) {
      sb.append("| model | batch | threads | netc items/s | ORT items/s | netc / ORT throughput | target | max \\|diff\\|"
          + " | spread netc / ORT | netc GFLOP/s (of peak) | ORT GFLOP/s (of peak) |\n");
      sb.append("| --- | ---: | ---: | ---: | ---: | ---: | --- | ---: | ---: | ---: | ---: |\n");
      for (List<Line> g : batched) sb.append(throughputRow(g, met, spreads)).append('\n');
      sb.append('\n');
    }
    sb.append(String.format(Locale.ROOT, "Targets of issue 10 (2 threads): %d of %d ratios met", met[0], met[1]));
    if (runs > 1) {
      sb.append(String.format(Locale.ROOT, "; run-to-run spread of the medians within %.0f %%: %d of %d", 100
          * SPREAD_TARGET, spreads[0], spreads[1]));
    } else {
      sb.append("; one run, so no run-to-run spread (REPEATS=N runs the set N times)");
    }
    sb.append(". Outputs: ").append(lines.stream().allMatch(VsOrtReport::agree) ? "every max |diff| within 1e-4 + "
        + "1e-3 max |ORT|." : "MISMATCH beyond 1e-4 + 1e-3 max |ORT| (see max |diff|).").append('\n');
    sb.append("GFLOP/s: twice the model's multiply-adds as direct convolution counts them (`netc report`) over the median"
        + " time. netc runs 3x3 stride-1 layers by Winograd's minimal filtering, which does fewer multiplications,"
        + " so its rate is an effective one and may pass the FMA peak.\n");
    return sb.toString();
  }

  /**
   * Two builds compared (A: the lines of {@code a}, B: those of {@code b}, from runs that alternated the two jars):
   * per model, batch and thread count, each build's netc / ORT ratio run by run, their medians and B's over A's,
   * and in how many rounds B's ratio was the lower (round k of A against round k of B). The ratio of two engines
   * measured in one JVM cancels most of the machine's drift between runs, which on a shared host is larger than
   * the few per cent a change is worth.
   */
  static String compare(List<Line> a, List<Line> b) {
    Map<String, List<Line>> ga = byKey(a);
    Map<String, List<Line>> gb = byKey(b);
    StringBuilder sb = new StringBuilder();
    sb.append("A/B: netc / ORT of build A and of build B, run by run").append(span(a)).append("\n\n");
    sb.append("| model | batch | threads | A, per run | B, per run | median A | median B | B / A | B lower |\n");
    sb.append("| --- | ---: | ---: | --- | --- | ---: | ---: | ---: | ---: |\n");
    for (Map.Entry<String, List<Line>> e : ga.entrySet()) {
      List<Line> lb = gb.get(e.getKey());
      if (lb == null) continue;
      double[] ra = e.getValue().stream().mapToDouble(l -> l.num("ratio")).toArray();
      double[] rb = lb.stream().mapToDouble(l -> l.num("ratio")).toArray();
      int rounds = Math.min(ra.length, rb.length);
      int lower = 0;
      for (int i = 0; i < rounds; i++) {
        if (rb[i] < ra[i]) lower++;
      }
      Line f = e.getValue().getFirst();
      double ma = median(ra);
      double mb = median(rb);
      sb.append("| ").append(String.join(" | ", name(f.get("model")), f.get("batch"), f.get("threads"), list(ra),
          list(rb), fmt("%.3f", ma), fmt("%.3f", mb), fmt("%.3f", mb / ma), lower + " of " + rounds)).append(" |\n");
    }
    boolean agree = a.stream().allMatch(VsOrtReport::agree) && b.stream().allMatch(VsOrtReport::agree);
    sb.append("\nOutputs: ").append(agree ? "every max |diff| within 1e-4 + 1e-3 max |ORT|." : "MISMATCH beyond 1e-4 + "
        + "1e-3 max |ORT| in a run.").append('\n');
    return sb.toString();
  }

  /** The lines by (model, batch, threads), in the order each first appears; a group's lines in run order. */
  private static Map<String, List<Line>> byKey(List<Line> lines) {
    Map<String, List<Line>> groups = new LinkedHashMap<>();
    for (Line l : lines) groups.computeIfAbsent(l.key(), k -> new ArrayList<>()).add(l);
    return groups;
  }

  private static String list(double[] xs) {
    return String.join(", ", Arrays.stream(xs).mapToObj(x -> fmt("%.3f", x)).toList());
  }

  private static String header(List<Line> lines, int runs) {
    Line first = lines.getFirst();
    Map<Integer, List<Double>> peaks = new LinkedHashMap<>();
    for (Line l : lines) peaks.computeIfAbsent(l.integer("threads"), k -> new ArrayList<>()).add(l.num("peak_gflops"));
    List<String> peakText = new ArrayList<>();
    peaks.entrySet().stream().sorted(Map.Entry.comparingByKey()).forEach(e -> peakText.add(String.format(Locale.ROOT,
        "%.1f GFLOP/s on %d thread%s", median(e.getValue()), e.getKey(), e.getKey() == 1 ? "" : "s")));
    String when = span(lines);
    int bits = first.integer("native_bits");
    return String.format(Locale.ROOT, "**Host:** %s, %s CPUs; native vector width %d bits (%d floats); netc kernels: %s."
        + " FMA peak (12 chains at %d bits, median over the runs): %s. ONNX Runtime %s, idle threads %s. %s%s, medians "
        + "of %s timed passes per engine, alternating.", first.get("cpu"), first.get("cpus"), bits, bits / 32,
        first.get("kernels"), bits, String.join(", ", peakText), first.get("ort_version"),
        "1".equals(first.get("ort_spin")) ? "spin" : "do not spin", runs == 1 ? "1 run" : runs + " runs", when,
        passes(lines));
  }

  /** The timed passes per engine of the lines: {@code "24"}, or their range ({@code "24–560"}). */
  private static String passes(List<Line> lines) {
    int lo = lines.stream().mapToInt(l -> l.integer("passes")).min().orElse(0);
    int hi = lines.stream().mapToInt(l -> l.integer("passes")).max().orElse(0);
    return lo == hi ? str(lo) : lo + "–" + hi;
  }

  /** {@code " (17:40-17:52 UTC)"} from the lines' times, or nothing. */
  private static String span(List<Line> lines) {
    try {
      List<Instant> t = lines.stream().map(l -> Instant.parse(l.get("time"))).sorted().toList();
      DateTimeFormatter f = DateTimeFormatter.ofPattern("yyyy-MM-dd HH:mm").withZone(ZoneOffset.UTC);
      DateTimeFormatter h = DateTimeFormatter.ofPattern("HH:mm").withZone(ZoneOffset.UTC);
      return " (" + f.format(t.getFirst()) + "–" + h.format(t.getLast()) + " UTC)";
    } catch (RuntimeException e) {
      return "";
    }
  }

  private static String latencyRow(List<Line> g, int[] met, int[] spreads) {
    Line f = g.getFirst();
    double netc = median(g, "netc_ms");
    double ort = median(g, "ort_ms");
    double target = target(f.get("model"), 1, f.integer("threads"));
    return "| " + String.join(" | ", name(f.get("model")), fmt("%.3f", f.num("gmacs")), f.get("threads"), ms(netc),
        ms(ort), ratio(g), verdict(g, target, met), fmt("%.1e", max(g, "max_diff")), spread(g, spreads),
        rate(g, netc, 1), rate(g, ort, 1)) + " |";
  }

  private static String throughputRow(List<Line> g, int[] met, int[] spreads) {
    Line f = g.getFirst();
    int batch = f.integer("batch");
    double netc = median(g, "netc_ms");
    double ort = median(g, "ort_ms");
    double target = target(f.get("model"), batch, f.integer("threads"));
    return "| " + String.join(" | ", name(f.get("model")), str(batch), f.get("threads"),
        fmt("%.1f", batch / netc * 1e3), fmt("%.1f", batch / ort * 1e3), inverseRatio(g), verdict(g, target, met),
        fmt("%.1e", max(g, "max_diff")), spread(g, spreads), rate(g, netc, batch), rate(g, ort, batch)) + " |";
  }

  /** The netc / ORT latency the issue asks for (2 threads), or NaN where it sets none. */
  static double target(String model, int batch, int threads) {
    if (threads != 2) return Double.NaN;
    if (batch > 1) return model.equals("resnet50") && batch == 16 ? 1.0 : Double.NaN;
    return switch (model) {
      case "resnet50", "resnet18", "googlenet", "vgg16", "squeezenet1_1" -> 1.0;
      case "mobilenet_v2" -> 0.8;
      default -> Double.NaN;
    };
  }

  /** Median over the runs of each run's ratio; with its range when there are several. */
  private static String ratio(List<Line> g) {
    double[] r = g.stream().mapToDouble(l -> l.num("ratio")).toArray();
    String m = fmt("%.2f", median(r));
    return r.length == 1 ? m : m + " (" + fmt("%.2f", min(r)) + "–" + fmt("%.2f", maxOf(r)) + ")";
  }

  /** Throughput ratio netc / ORT = ORT ms / netc ms, per run, median (range). */
  private static String inverseRatio(List<Line> g) {
    double[] r = g.stream().mapToDouble(l -> 1 / l.num("ratio")).toArray();
    String m = fmt("%.2f", median(r));
    return r.length == 1 ? m : m + " (" + fmt("%.2f", min(r)) + "–" + fmt("%.2f", maxOf(r)) + ")";
  }

  private static String verdict(List<Line> g, double target, int[] met) {
    if (Double.isNaN(target)) return "";
    double r = median(g.stream().mapToDouble(l -> l.num("ratio")).toArray());
    boolean ok = r <= target;
    met[1]++;
    if (ok) met[0]++;
    boolean batched = g.getFirst().integer("batch") > 1;
    return (batched ? "≥ 1.00" : "≤ " + fmt("%.2f", target)) + (ok ? " met" : " not met");
  }

  /** Each engine's (max − min) / median of its medians over the runs, or a dash for one run. */
  private static String spread(List<Line> g, int[] spreads) {
    if (g.size() < 2) return "–";
    double a = spreadOf(g, "netc_ms");
    double b = spreadOf(g, "ort_ms");
    spreads[1] += 2;
    if (a <= SPREAD_TARGET) spreads[0]++;
    if (b <= SPREAD_TARGET) spreads[0]++;
    return fmt("%.0f", 100 * a) + " % / " + fmt("%.0f", 100 * b) + " %";
  }

  static double spreadOf(List<Line> g, String column) {
    double[] v = g.stream().mapToDouble(l -> l.num(column)).toArray();
    return (maxOf(v) - min(v)) / median(v);
  }

  /** GFLOP/s at the median time and its share of the median peak of the runs for that thread count. */
  private static String rate(List<Line> g, double ms, int batch) {
    double gflops = 2 * g.getFirst().num("gmacs") * batch / ms * 1e3;
    double peak = median(g, "peak_gflops");
    return fmt("%.1f", gflops) + " (" + fmt("%.0f", 100 * gflops / peak) + " %)";
  }

  private static boolean agree(Line l) {
    return l.num("max_diff") <= 1e-4 + 1e-3 * l.num("max_abs");
  }

  /** The models' names as the README writes them. */
  static String name(String model) {
    return switch (model) {
      case "resnet18" -> "ResNet-18";
      case "resnet50" -> "ResNet-50";
      case "googlenet" -> "GoogLeNet";
      case "mobilenet_v2" -> "MobileNetV2";
      case "squeezenet1_1" -> "SqueezeNet 1.1";
      case "vgg16" -> "VGG-16";
      default -> model;
    };
  }

  private static double median(List<Line> g, String column) {
    return median(g.stream().mapToDouble(l -> l.num(column)).toArray());
  }

  private static double median(List<Double> xs) {
    return median(xs.stream().mapToDouble(d -> d).toArray());
  }

  static double median(double[] xs) {
    return VsOrt.median(xs);
  }

  private static double max(List<Line> g, String column) {
    return g.stream().mapToDouble(l -> l.num(column)).reduce(0, (a, b) -> Double.isNaN(a) || Double.isNaN(b)
        ? Double.NaN : Math.max(a, b));
  }

  private static double min(double[] xs) {
    return Arrays.stream(xs).min().orElse(Double.NaN);
  }

  private static double maxOf(double[] xs) {
    return Arrays.stream(xs).max().orElse(Double.NaN);
  }

  private static String ms(double v) {
    return fmt(v >= 100 ? "%.1f" : "%.2f", v);
  }

  private static String fmt(String f, double v) {
    return String.format(Locale.ROOT, f, v);
  }

  private static String str(int v) {
    return Integer.toString(v);
  }

  /** A cell without tabs or line breaks. */
  private static String clean(String s) {
    return s.replace('\t', ' ').replace('\n', ' ');
  }
}

package dev.netc.bench;

import dev.netc.runtime.io.Json;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Locale;
import java.util.Map;

/**
 * Turns JMH JSON results into the Markdown table of bench/README.md: per benchmark the median
 * time per call, the rate (GFLOP/s or GB/s) and that rate as a fraction of the FMA peak — or,
 * for the memory-bound depthwise layer, of the triad bandwidth — measured in the same file with
 * the same number of threads.
 *
 * <p>Usage: {@code java --add-modules jdk.incubator.vector -cp benchmarks.jar
 * dev.netc.bench.BenchReport result.json...} prints one table per file;
 * {@code BenchReport --summary result.json...} prints one table whose cells are medians over the
 * files (each fraction still taken against the peak of its own file).
 */
public final class BenchReport {
  private BenchReport() {}

  /** One benchmark result: name, threads that did the work, parameters, median µs per call. */
  record Row(String name, int threads, Map<String, Object> params, double medianMicros) {
    String param(String key) {
      Object v = params.get(key);
      return v == null ? "" : v.toString();
    }
  }

  /** Prints the table for each file, or the summary over all files. */
  public static void main(String[] args) throws IOException {
    if (args.length > 0 && args[0].equals("--summary")) {
      summary(Arrays.copyOfRange(args, 1, args.length));
      return;
    }
    for (String file : args) {
      List<Row> rows = read(Path.of(file));
      System.out.println("Results of " + Path.of(file).getFileName() + " (medians of the measured iterations)");
      System.out.println();
      System.out.println("| benchmark | threads | median per call | rate | fraction | target |");
      System.out.println("| --- | --- | --- | --- | --- | --- |");
      for (Row r : rows) {
        System.out.println(format(line(r, rows)));
      }
      System.out.println();
    }
  }

  /** Medians over files of the time, the rate and the fraction of each (benchmark, threads) line. */
  private static void summary(String[] files) throws IOException {
    java.util.Map<String, List<String[]>> cells = new java.util.LinkedHashMap<>();
    for (String file : files) {
      List<Row> rows = read(Path.of(file));
      for (Row r : rows) {
        String[] c = line(r, rows);
        String key = c[0] + " | " + c[1];
        cells.computeIfAbsent(key, k -> new ArrayList<>()).add(c);
      }
    }
    System.out.println("Medians over " + files.length + " runs");
    System.out.println();
    System.out.println("| benchmark | threads | median per call | rate | fraction | target | runs |");
    System.out.println("| --- | --- | --- | --- | --- | --- | --- |");
    for (List<String[]> runs : cells.values()) {
      String[] first = runs.get(0);
      System.out.println(format(new String[] {first[0], first[1], medianCell(runs, 2), medianCell(runs, 3),
          medianCell(runs, 4), first[5], Integer.toString(runs.size())}));
    }
  }

  /** The median of column {@code i} over runs, by the first number in each cell, keeping its text. */
  private static String medianCell(List<String[]> runs, int i) {
    List<String[]> sorted = new ArrayList<>(runs);
    sorted.sort(java.util.Comparator.comparingDouble(c -> firstNumber(c[i])));
    return sorted.get(sorted.size() / 2)[i];
  }

  private static double firstNumber(String s) {
    java.util.regex.Matcher m = java.util.regex.Pattern.compile("[0-9]+(\\.[0-9]+)?").matcher(s);
    return m.find() ? Double.parseDouble(m.group()) : 0;
  }

  static List<Row> read(Path file) throws IOException {
    List<Row> rows = new ArrayList<>();
    for (Object o : (List<?>) Json.parse(Files.readString(file))) {
      Map<?, ?> m = (Map<?, ?>) o;
      String bench = (String) m.get("benchmark");
      String name = bench.substring(bench.lastIndexOf('.', bench.lastIndexOf('.') - 1) + 1);
      @SuppressWarnings("unchecked")
      Map<String, Object> params = m.get("params") == null ? Map.of() : (Map<String, Object>) m.get("params");
      int jmhThreads = ((Number) m.get("threads")).intValue();
      int threads = params.containsKey("threads") ? Integer.parseInt(params.get("threads").toString()) : jmhThreads;
      Map<?, ?> metric = (Map<?, ?>) m.get("primaryMetric");
      rows.add(new Row(name, threads, params, median((List<?>) metric.get("rawData"))));
    }
    return rows;
  }

  private static double median(List<?> forks) {
    List<Double> all = new ArrayList<>();
    for (Object f : forks) {
      for (Object v : (List<?>) f) {
        all.add(((Number) v).doubleValue());
      }
    }
    double[] a = all.stream().mapToDouble(Double::doubleValue).toArray();
    Arrays.sort(a);
    return a.length % 2 == 1 ? a[a.length / 2] : (a[a.length / 2 - 1] + a[a.length / 2]) / 2;
  }

  private static String format(String[] cells) {
    return "| " + String.join(" | ", cells) + " |";
  }

  private static String[] line(Row r, List<Row> all) {
    double sec = r.medianMicros() * 1e-6;
    String label = r.name() + describe(r);
    String time = String.format(Locale.ROOT, "%.1f µs", r.medianMicros());
    return switch (r.name()) {
      case "PeakFmaBench.fma1", "PeakFmaBench.fma2" -> row(label, r, time,
          gflops(r.threads() * PeakFmaBench.flopsPerCall() / sec), "peak", "");
      case "TriadBench.triad" -> row(label, r, time, gbs(Workloads.triadBytes() / sec), "bandwidth", "");
      case "GemmBench.sgemm", "GemmBench.sgemmPackedB" ->
          ofPeak(label, r, time, Workloads.gemmFlops() / sec, all, "≥ 75 %");
      case "ConvBench.conv" -> ofPeak(label, r, time, Workloads.convFlops(r.param("layer")) / sec, all,
          switch (r.param("layer")) {
            case "conv3x3", "conv3x3s2" -> "≥ 60 %";
            case "conv1x1", "conv1x1k2048" -> "≥ 65 %";
            default -> "≥ 50 %";
          });
      case "DepthwiseBench.depthwise" -> ofBandwidth(label, r, time, sec, all, "≥ 70 %");
      case "LayoutBench.depthwiseNchw" -> ofBandwidth(label, r, time, sec, all, "");
      case "LayoutBench.conv3x3Im2col" -> ofPeak(label, r, time, Workloads.convFlops("conv3x3") / sec, all, "");
      default -> row(label, r, time, "", "", "");
    };
  }

  private static String describe(Row r) {
    StringBuilder sb = new StringBuilder();
    for (Map.Entry<String, Object> p : r.params().entrySet()) {
      if (!p.getKey().equals("threads")) {
        sb.append(sb.isEmpty() ? " (" : ", ").append(p.getKey()).append('=').append(p.getValue());
      }
    }
    return sb.isEmpty() ? "" : sb.append(')').toString();
  }

  private static String[] ofPeak(String label, Row r, String time, double flops, List<Row> all, String target) {
    Double peak = find(all, r.threads() == 1 ? "PeakFmaBench.fma1" : "PeakFmaBench.fma2", 1);
    String fraction = peak == null ? "(no peak in file)"
        : pct(flops / (r.threads() * PeakFmaBench.flopsPerCall() / (peak * 1e-6))) + " of peak";
    return row(label, r, time, gflops(flops), fraction, target);
  }

  private static String[] ofBandwidth(String label, Row r, String time, double sec, List<Row> all,
      String target) {
    Double triad = find(all, "TriadBench.triad", r.threads());
    double bytes = Workloads.depthwiseBytes() / sec;
    String fraction = triad == null ? "(no triad in file)"
        : pct(bytes / (Workloads.triadBytes() / (triad * 1e-6))) + " of triad";
    return row(label, r, time, gbs(bytes) + ", " + gflops(Workloads.convFlops("depthwise") / sec), fraction,
        target);
  }

  /** The median µs of {@code name} with {@code threads} threads (peaks: the file's only one). */
  private static Double find(List<Row> all, String name, int threads) {
    for (Row r : all) {
      if (r.name().equals(name) && (name.startsWith("PeakFma") || r.threads() == threads)) {
        return r.medianMicros();
      }
    }
    return null;
  }

  private static String[] row(String label, Row r, String time, String rate, String fraction, String target) {
    return new String[] {label, Integer.toString(r.threads()), time, rate, fraction, target};
  }

  private static String gflops(double flopsPerSecond) {
    return String.format(Locale.ROOT, "%.1f GFLOP/s", flopsPerSecond / 1e9);
  }

  private static String gbs(double bytesPerSecond) {
    return String.format(Locale.ROOT, "%.1f GB/s", bytesPerSecond / 1e9);
  }

  private static String pct(double f) {
    return String.format(Locale.ROOT, "%.0f %%", 100 * f);
  }
}

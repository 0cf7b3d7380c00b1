package dev.netc.bench;

import ai.onnxruntime.OnnxTensor;
import ai.onnxruntime.OrtEnvironment;
import ai.onnxruntime.OrtException;
import ai.onnxruntime.OrtSession;
import dev.netc.compiler.Compilation;
import dev.netc.compiler.emit.java.CompiledNetwork;
import dev.netc.compiler.emit.java.NetworkSession;
import dev.netc.compiler.ir.Node;
import dev.netc.runtime.io.Json;
import dev.netc.viz.Profile;
import java.nio.FloatBuffer;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;

/**
 * Where the time goes, layer by layer, in netc and in ONNX Runtime on the same model and weights (as {@link VsOrt}
 * sets them up): netc's profiling build (a timestamp around each plan step, as {@code netc profile}) and an ONNX
 * Runtime session with its profiler on run alternately in blocks; the per-layer medians of convolutions and matrix
 * products are paired by output shape in execution order (ONNX Runtime renames the nodes it fuses, so names do not
 * match) and printed with their ratio, largest netc − ORT difference first. Other layers, and ORT's own nodes (NCHWc
 * reorders), show on one side only. Both profilers cost a little
 * per step, so the sums are a few per cent above the plain passes of {@link VsOrt}.
 *
 * <p>Arguments: {@code MODEL [--threads N] [--passes N] [--block N] [--warmup S]} (defaults 1, 40, 4, 6).
 * Run with {@code bash bench/vs-ort.sh --layers MODEL [options]}.
 */
public final class VsOrtLayers {
  /** One layer's medians in µs; NaN on the side that has no such layer. */
  private record Row(String layer, String op, String ort, double netcUs, double ortUs, double gflops) {
    double diff() {
      return (Double.isNaN(netcUs) ? 0 : netcUs) - (Double.isNaN(ortUs) ? 0 : ortUs);
    }
  }

  private VsOrtLayers() {}

  public static void main(String[] args) throws Exception {
    if (args.length == 0 || args[0].startsWith("--")) {
      System.err.println("vs-ort-layers: usage: VsOrtLayers MODEL [--threads N] [--passes N] [--block N] [--warmup S]");
      System.exit(2);
    }
    String name = args[0];
    int threads = 1;
    int passes = 40;
    int block = 4;
    double warmup = 6;
    for (int i = 1; i + 1 < args.length; i += 2) {
      switch (args[i]) {
        case "--threads" -> threads = Integer.parseInt(args[i + 1]);
        case "--passes" -> passes = Integer.parseInt(args[i + 1]);
        case "--block" -> block = Integer.parseInt(args[i + 1]);
        case "--warmup" -> warmup = Double.parseDouble(args[i + 1]);
        default -> {
          System.err.println("vs-ort-layers: unknown option " + args[i]);
          System.exit(2);
        }
      }
    }
    PeerModel m = PeerModel.load(name, true);
    Compilation.Network n = m.network();
    CompiledNetwork net = m.net();
    Object model = m.model();
    byte[] onnx = m.onnx();
    String inputName = m.inputName();
    long[] shape = m.shape(1);
    float[] in = m.randomInput(1);
    int outLen = m.outputLength(1);
    int steps = n.plan().steps().size();
    long[][] perPass = new long[passes][];
    long[] pass = new long[passes];
    Path prof = Files.createTempDirectory("vs-ort-layers");
    OrtEnvironment env = OrtEnvironment.getEnvironment();
    Map<String, OrtNode> ortNodes;
    try (NetworkSession s = net.newSession(model, 1, threads);
        OrtSession.SessionOptions opts = new OrtSession.SessionOptions()) {
      opts.setIntraOpNumThreads(threads);
      opts.setInterOpNumThreads(1);
      opts.setExecutionMode(OrtSession.SessionOptions.ExecutionMode.SEQUENTIAL);
      opts.setOptimizationLevel(OrtSession.SessionOptions.OptLevel.ALL_OPT);
      opts.addConfigEntry("session.intra_op.allow_spinning", "0");
      try (OrtSession ort = env.createSession(onnx, opts);
          OnnxTensor x = OnnxTensor.createTensor(env, FloatBuffer.wrap(in), shape)) {
        float[][] ins = {in};
        float[][] outs = {new float[outLen]};
        Runnable peer = () -> run(ort, inputName, x);
        long end = System.nanoTime() + (long) (warmup * 1e9);
        while (System.nanoTime() < end) {
          s.forward(ins, outs);
          peer.run();
        }
      }
      // A second session with the profiler on, now that the JIT has settled: its file holds only timed passes.
      opts.enableProfiling(prof.resolve("ort").toString());
      try (OrtSession ort = env.createSession(onnx, opts);
          OnnxTensor x = OnnxTensor.createTensor(env, FloatBuffer.wrap(in), shape)) {
        float[][] ins = {in};
        float[][] outs = {new float[outLen]};
        for (int i = 0; i < 4; i++) {
          run(ort, inputName, x);
        }
        long[] nanos = s.stepNanos();
        for (int done = 0; done < passes; ) {
          int k = Math.min(block, passes - done);
          for (int i = 0; i < k; i++) {
            Arrays.fill(nanos, 0);
            long t0 = System.nanoTime();
            s.forward(ins, outs);
            pass[done + i] = System.nanoTime() - t0;
            perPass[done + i] = Arrays.copyOf(nanos, steps);
          }
          for (int i = 0; i < k; i++) {
            run(ort, inputName, x);
          }
          done += k;
        }
        String json = Files.readString(Path.of(ort.endProfiling()));
        ortNodes = nodeTimes(json);
      }
    }
    Profile p = new Profile(n.plan(), 1, threads, passes, Profile.medians(perPass),
        (long) (VsOrt.median(toMs(pass)) * 1e6), 0);
    print(name, threads, passes, p, ortNodes, passes);
  }

  /** The kind of work a layer is, for pairing the engines' layers in order: convolutions, matrix products, others. */
  private static String kind(String op) {
    String o = op.toLowerCase(Locale.ROOT);
    return o.contains("conv") ? "conv" : o.contains("gemm") || o.contains("matmul") || o.contains("linear") ? "gemm" : o;
  }

  /**
   * netc's layers in plan order beside ONNX Runtime's nodes in execution order, paired by kind, output shape and
   * multiply-adds (each convolution with the first unpaired ORT convolution of the same output shape and work;
   * two branches of an inception block with the same shape and work may pair crosswise), largest difference
   * first. ORT's node name and output shape are printed to check the pairing.
   */
  private static void print(String name, int threads, int passes, Profile p, Map<String, OrtNode> ort, int timed) {
    Map<String, List<OrtNode>> byKind = new LinkedHashMap<>();
    double ortSum = 0;
    Map<OrtNode, Double> us = new LinkedHashMap<>();
    for (OrtNode n : ort.values()) {
      List<Long> d = n.micros().subList(Math.max(0, n.micros().size() - timed), n.micros().size());
      double m = VsOrt.median(d.stream().mapToDouble(Long::doubleValue).toArray());
      us.put(n, m);
      ortSum += m;
      byKind.computeIfAbsent(kind(n.op()), k -> new ArrayList<>()).add(n);
    }
    Map<String, String> shapes = new LinkedHashMap<>();
    for (Node node : p.plan().graph().nodes()) {
      StringBuilder b = new StringBuilder("1");
      for (int i = 0; i < node.type().rank(); i++) {
        b.append('x').append(node.type().dim(i));
      }
      shapes.put(node.path(), b.toString());
    }
    List<Row> rows = new ArrayList<>();
    double netcSum = 0;
    for (Profile.Layer l : p.layers()) {
      netcSum += l.nanos() / 1e3;
      List<OrtNode> q = byKind.getOrDefault(kind(l.op()), new ArrayList<>());
      OrtNode o = null;
      if (kind(l.op()).equals("conv") || kind(l.op()).equals("gemm")) {
        String shape = shapes.get(l.path());
        long macs = l.flops() / 2;
        o = q.stream().filter(c -> c.output().equals(shape) && Math.abs(c.macs() - macs) <= macs / 100).findFirst()
            .or(() -> q.stream().filter(c -> c.output().equals(shape)).findFirst())
            .orElse(q.isEmpty() ? null : q.getFirst());
        q.remove(o);
      }
      rows.add(new Row(l.path(), l.op(), o == null ? "" : o.name() + " " + o.output(), l.nanos() / 1e3,
          o == null ? Double.NaN : us.get(o), l.gflops()));
    }
    byKind.values().forEach(q -> q.forEach(o -> rows.add(new Row("", "", o.name() + " (" + o.op() + ") " + o.output(),
        Double.NaN, us.get(o), 0))));
    rows.sort((a, b) -> Double.compare(b.diff(), a.diff()));
    System.out.printf(Locale.ROOT,
        "%s, %d thread%s, medians of %d passes per layer; netc layers %.2f ms (whole passes %.2f), ORT nodes %.2f ms%n",
        name, threads, threads == 1 ? "" : "s", passes, netcSum / 1e3, p.passNanos() / 1e6, ortSum / 1e3);
    System.out.printf(Locale.ROOT, "%-24s %-14s %-40s %9s %9s %8s %9s %8s%n", "layer", "op", "ORT node, output", "netc us",
        "ORT us", "netc/ORT", "diff us", "GFLOP/s");
    for (Row r : rows) {
      System.out.printf(Locale.ROOT, "%-24s %-14s %-40s %9.1f %9.1f %8.2f %9.1f %8.1f%n", r.layer(), r.op(), r.ort(),
          r.netcUs(), r.ortUs(), r.netcUs() / r.ortUs(), r.diff(), r.gflops());
    }
  }

  /** One ONNX Runtime node: its kernel times (µs) in order, its op and the shapes of its weight and output. */
  record OrtNode(String name, String op, String weight, String output, List<Long> micros) {
    /** Multiply-adds of a convolution: output elements times the weight's elements per output channel (else 0). */
    long macs() {
      if (weight.isEmpty() || output.isEmpty()) {
        return 0;
      }
      long[] w = Arrays.stream(weight.split("x")).mapToLong(Long::parseLong).toArray();
      long perOut = 1;
      for (int i = 1; i < w.length; i++) {
        perOut *= w[i];
      }
      return Arrays.stream(output.split("x")).mapToLong(Long::parseLong).reduce(1, (a, b) -> a * b) * perOut;
    }
  }

  /** Every node's kernel times from ONNX Runtime's profile (a JSON array of trace events), in execution order. */
  @SuppressWarnings("unchecked")
  static Map<String, OrtNode> nodeTimes(String json) {
    Map<String, OrtNode> m = new LinkedHashMap<>();
    for (Object o : (List<Object>) Json.parse(json)) {
      Map<String, Object> ev = (Map<String, Object>) o;
      String name = (String) ev.get("name");
      if (!"Node".equals(ev.get("cat")) || name == null || !name.endsWith("_kernel_time")) {
        continue;
      }
      Map<String, Object> a = (Map<String, Object>) ev.get("args");
      List<Object> ins = (List<Object>) a.getOrDefault("input_type_shape", List.of());
      List<Object> outs = (List<Object>) a.getOrDefault("output_type_shape", List.of());
      String node = name.substring(0, name.length() - "_kernel_time".length());
      m.computeIfAbsent(node, k -> new OrtNode(k, String.valueOf(a.get("op_name")),
          ins.size() > 1 ? shape(ins.get(1)) : "", outs.isEmpty() ? "" : shape(outs.get(0)), new ArrayList<>()))
          .micros().add(((Number) ev.get("dur")).longValue());
    }
    return m;
  }

  @SuppressWarnings("unchecked")
  private static String shape(Object typeShape) {
    Object dims = ((Map<String, Object>) typeShape).values().iterator().next();
    return ((List<Object>) dims).stream().map(d -> String.valueOf(((Number) d).longValue()))
        .reduce((x, y) -> x + "x" + y).orElse("");
  }

  private static double[] toMs(long[] nanos) {
    return Arrays.stream(nanos).mapToDouble(v -> v / 1e6).toArray();
  }

  private static void run(OrtSession ort, String inputName, OnnxTensor x) {
    try (OrtSession.Result r = ort.run(Map.of(inputName, x))) {
      r.get(0);
    } catch (OrtException e) {
      throw new IllegalStateException("ONNX Runtime: " + e.getMessage(), e);
    }
  }
}

package dev.netc.cli;

import com.palantir.javapoet.JavaFile;
import dev.netc.compiler.Compilation;
import dev.netc.compiler.emit.cuda.CudaEmitter;
import dev.netc.compiler.emit.cuda.CudaJavaEmitter;
import dev.netc.compiler.emit.cuda.CudaProgram;
import dev.netc.compiler.emit.cuda.CudaUnsupportedException;
import dev.netc.compiler.emit.cuda.Nvcc;
import dev.netc.compiler.emit.java.JavaEmitter;
import dev.netc.compiler.interp.Weights;
import dev.netc.runtime.cuda.CudaDriver;
import dev.netc.runtime.cuda.CudaNetwork;
import dev.netc.runtime.cuda.CudaUnavailableException;
import java.io.IOException;
import java.io.PrintWriter;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Arrays;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;

/**
 * The command line's CUDA side: {@code compile --target cuda} (the Java class, its {@code .cu}, launch table and,
 * with nvcc, PTX) and {@code run}/{@code bench --device cuda} (the network compiled, its PTX made by nvcc and run
 * through the CUDA driver). Without a driver or GPU these fail with one line and exit code 1.
 */
final class CudaDevice {
  private CudaDevice() {}

  /** The CUDA program of a network, or a one-line error naming the op without a kernel. */
  static CudaProgram program(Compilation.Network n) {
    try {
      return CudaEmitter.emit(n.plan());
    } catch (CudaUnsupportedException e) {
      throw CliException.user("network " + n.name() + " cannot be compiled for CUDA yet: " + e.getMessage());
    }
  }

  /** The files of {@code --target cuda} for one network, under {@code folder}: path to text. */
  static Map<Path, String> files(Compilation.Network n, JavaFile java, CudaProgram p, Path folder, PrintWriter err) {
    String cls = java.typeSpec().name();
    Map<Path, String> files = new LinkedHashMap<>();
    files.put(folder.resolve(cls + ".java"), java.toString());
    files.put(folder.resolve(cls + ".cu"), p.source());
    files.put(folder.resolve(cls + ".launches"), CudaJavaEmitter.launchTable(p));
    var nvcc = Nvcc.find();
    if (nvcc.isEmpty()) {
      err.println("netc: warning: nvcc is not on this machine: no " + cls + ".ptx written (compile " + cls
          + ".cu with nvcc --ptx -arch=" + Nvcc.ARCH + ")");
      return files;
    }
    try {
      files.put(folder.resolve(cls + ".ptx"), ptx(nvcc.get(), p, cls));
    } catch (IOException e) {
      throw CliException.user("cannot run nvcc: " + e.getMessage());
    }
    return files;
  }

  private static String ptx(Path nvcc, CudaProgram p, String name) throws IOException {
    Path tmp = Files.createTempDirectory("netc-cuda");
    try {
      Path cu = tmp.resolve(name + ".cu");
      Files.writeString(cu, p.source());
      try {
        return Files.readString(Nvcc.ptx(nvcc, List.of(cu), tmp).getFirst());
      } catch (IOException e) {
        throw CliException.user("nvcc could not compile the generated CUDA source of " + p.name() + ": "
            + e.getMessage().lines().findFirst().orElse(""));
      }
    } finally {
      try (var s = Files.walk(tmp)) {
        s.sorted(java.util.Comparator.reverseOrder()).forEach(f -> f.toFile().delete());
      }
    }
  }

  /** The driver, or a one-line user error. */
  static CudaDriver driver() {
    try {
      return CudaDriver.get();
    } catch (CudaUnavailableException e) {
      throw CliException.user("--device cuda: " + e.getMessage());
    }
  }

  /** The network on the GPU with the given weights (random, seed {@code seed}, when {@code weights} is null). */
  static CudaNetwork load(Compilation.Network n, CudaProgram p, Path weights, long seed) throws IOException {
    var nvcc = Nvcc.find().orElseThrow(() -> CliException.user("--device cuda needs nvcc on the PATH to make the "
        + "kernels' PTX"));
    String ptx = ptx(nvcc, p, "net");
    Weights w = weights == null ? Weights.random(n.graph(), seed) : Weights.load(weights, n.graph());
    float[] blob = new float[Math.toIntExact(p.weightFloats())];
    for (CudaProgram.Weight wt : p.weights()) {
      float[] d = w.get(wt.name()).data();
      System.arraycopy(d, 0, blob, Math.toIntExact(wt.offset()), d.length);
    }
    String[] table = CudaJavaEmitter.launchTable(p).split("\nforward\n", 2);
    long[] in = sizes(p.inputs());
    long[] out = sizes(p.outputs());
    return new CudaNetwork(ptx, blob, CudaNetwork.Launch.parse(table[0]), CudaNetwork.Launch.parse(table[1]),
        p.batchedArena(), p.fixedArena(), in, out);
  }

  private static long[] sizes(List<CudaProgram.Io> ios) {
    long[] v = new long[2 * ios.size()];
    for (int i = 0; i < ios.size(); i++) {
      var t = ios.get(i).type();
      v[2 * i] = t.batched() ? t.elements() : 0;
      v[2 * i + 1] = t.batched() ? 0 : t.elements();
    }
    return v;
  }

  /** {@code run --device cuda}: seeded random inputs valid for what they feed (batch 1), each output summarized. */
  static int run(Compilation.Network n, Path weights, Long weightSeed, Long inputSeed, PrintWriter out)
      throws IOException {
    driver();
    CudaProgram p = program(n);
    CudaNetwork net = load(n, p, weights, weightSeed == null ? 0 : weightSeed);
    try (CudaNetwork.Session s = net.newSession(1)) {
      float[][] in = RandomInputs.arrays(n.graph(), 1, inputSeed == null ? 0 : inputSeed);
      float[][] res = outputs(p, 1);
      s.run(in, res);
      for (int i = 0; i < res.length; i++) {
        double sum = 0;
        for (float v : res[i]) sum += v;
        out.printf(Locale.ROOT, "%s %s on %s: mean %.6g, first %s%n", p.outputs().get(i).name(),
            p.outputs().get(i).type(), net.device(), sum / res[i].length,
            Arrays.toString(Arrays.copyOf(res[i], Math.min(5, res[i].length))));
      }
    }
    out.flush();
    return Main.OK;
  }

  /**
   * {@code bench --device cuda}: median time of the kernels (no copies) and of a whole forward (copies included),
   * achieved TFLOP/s (2 × MACs per second) and the fraction of the GPU's FP32 peak (SMs × FP32 lanes per SM × 2 ×
   * clock).
   */
  static int bench(Compilation.Network n, Path weights, int batch, int iterations, double warmupSeconds,
      PrintWriter out) {
    CudaDriver cuda = driver();
    CudaProgram p = program(n);
    CudaNetwork net;
    try {
      net = load(n, p, weights, 0);
    } catch (IOException e) {
      throw CliException.user(e.getMessage());
    }
    long macs = JavaEmitter.macs(n.graph()) * batch;
    try (CudaNetwork.Session s = net.newSession(batch)) {
      float[][] in = RandomInputs.arrays(n.graph(), batch, 1);
      float[][] res = outputs(p, batch);
      s.run(in, res);
      long end = System.nanoTime() + (long) (warmupSeconds * 1e9);
      while (System.nanoTime() < end) s.runKernelsOnly();
      double[] kernels = new double[iterations];
      double[] whole = new double[iterations];
      for (int i = 0; i < iterations; i++) {
        long t0 = System.nanoTime();
        s.runKernelsOnly();
        kernels[i] = (System.nanoTime() - t0) / 1e6;
        t0 = System.nanoTime();
        s.run(in, res);
        whole[i] = (System.nanoTime() - t0) / 1e6;
      }
      Arrays.sort(kernels);
      Arrays.sort(whole);
      double ms = kernels[iterations / 2];
      double tflops = 2.0 * macs / (ms / 1e3) / 1e12;
      double peak = peakTflops(cuda);
      out.printf(Locale.ROOT, "%s on %s, batch %d: kernels %.3f ms (min %.3f), forward with copies %.3f ms; "
              + "%.2f TFLOP/s = %.1f %% of the FP32 peak %.1f TFLOP/s; %d kernels%s%n", n.name(), net.device(), batch,
          ms, kernels[0], whole[iterations / 2], tflops, 100 * tflops / peak, peak, p.forward().size(),
          s.graphs() ? ", replayed as one CUDA Graph" : "");
    }
    out.flush();
    return Main.OK;
  }

  /** FP32 peak: SMs × FP32 lanes per SM (by compute capability) × 2 (FMA) × clock. */
  static double peakTflops(CudaDriver cuda) {
    int sms = cuda.attribute(16, 0);
    double clockKhz = cuda.attribute(13, 0);
    int major = cuda.attribute(75, 0);
    int minor = cuda.attribute(76, 0);
    int lanes = major == 7 || major == 8 && minor == 0 ? 64 : 128;
    return sms * lanes * 2.0 * clockKhz * 1e3 / 1e12;
  }

  private static float[][] outputs(CudaProgram p, int batch) {
    float[][] o = new float[p.outputs().size()][];
    for (int i = 0; i < o.length; i++) o[i] = new float[Math.toIntExact(p.outputs().get(i).floats(batch))];
    return o;
  }

}

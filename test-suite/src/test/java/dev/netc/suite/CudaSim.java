package dev.netc.suite;

import dev.netc.compiler.emit.cuda.CudaProgram;
import dev.netc.compiler.emit.cuda.SimRunner;
import dev.netc.compiler.interp.Weights;
import dev.netc.runtime.Tensor;
import java.io.IOException;
import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.TimeUnit;

/**
 * Runs a {@link CudaProgram} through the CPU simulation: writes the {@code .cu}, {@code netc_sim.h} and the
 * generated runner to a directory, compiles them with the host {@code g++}, and runs the program on raw float
 * files.
 */
final class CudaSim {
  private CudaSim() {}

  /** Whether {@code g++} runs on this machine. */
  static boolean gppPresent() { return tool("g++", "--version"); }

  static boolean tool(String... cmd) {
    try {
      Process p = new ProcessBuilder(cmd).redirectErrorStream(true).start();
      p.getInputStream().readAllBytes();
      return p.waitFor(30, TimeUnit.SECONDS) && p.exitValue() == 0;
    } catch (IOException | InterruptedException e) {
      return false;
    }
  }

  /** The outputs of {@code p} on {@code inputs} (graph input order, batch first), batch {@code batch}. */
  static List<float[]> run(CudaProgram p, Weights w, List<Tensor> inputs, int batch, Path dir) throws Exception {
    Files.createDirectories(dir);
    Files.writeString(dir.resolve("net.cu"), p.source());
    Files.writeString(dir.resolve("netc_sim.h"), SimRunner.header());
    Files.writeString(dir.resolve("runner.cpp"), SimRunner.source(p, "net.cu"));
    float[] blob = new float[Math.toIntExact(p.weightFloats())];
    for (CudaProgram.Weight wt : p.weights()) {
      float[] d = w.get(wt.name()).data();
      System.arraycopy(d, 0, blob, Math.toIntExact(wt.offset()), d.length);
    }
    write(dir.resolve("weights.bin"), blob);
    List<String> cmd = new ArrayList<>(List.of(dir.resolve("runner").toString(), String.valueOf(batch),
        dir.resolve("weights.bin").toString()));
    for (int i = 0; i < inputs.size(); i++) {
      Path f = dir.resolve("in" + i + ".bin");
      write(f, inputs.get(i).data());
      cmd.add(f.toString());
    }
    for (int i = 0; i < p.outputs().size(); i++) cmd.add(dir.resolve("out" + i + ".bin").toString());
    exec(dir, List.of("g++", "-std=c++20", "-O1", "-pthread", "-w", "-o", "runner", "runner.cpp"), 300);
    exec(dir, cmd, 600);
    List<float[]> outs = new ArrayList<>();
    for (int i = 0; i < p.outputs().size(); i++) outs.add(read(dir.resolve("out" + i + ".bin")));
    return outs;
  }

  private static void exec(Path dir, List<String> cmd, int seconds) throws Exception {
    Process pr = new ProcessBuilder(cmd).directory(dir.toFile()).redirectErrorStream(true).start();
    byte[] out = pr.getInputStream().readAllBytes();
    if (!pr.waitFor(seconds, TimeUnit.SECONDS)) {
      pr.destroyForcibly();
      throw new AssertionError(cmd.getFirst() + " ran over " + seconds + " s in " + dir);
    }
    if (pr.exitValue() != 0) {
      String text = new String(out);
      throw new AssertionError(String.join(" ", cmd.subList(0, Math.min(3, cmd.size()))) + " failed in " + dir + ":\n"
          + (text.length() > 4000 ? text.substring(0, 4000) : text));
    }
  }

  private static void write(Path f, float[] v) throws IOException {
    ByteBuffer b = ByteBuffer.allocate(v.length * 4).order(ByteOrder.LITTLE_ENDIAN);
    b.asFloatBuffer().put(v);
    Files.write(f, b.array());
  }

  private static float[] read(Path f) throws IOException {
    ByteBuffer b = ByteBuffer.wrap(Files.readAllBytes(f)).order(ByteOrder.LITTLE_ENDIAN);
    float[] v = new float[b.remaining() / 4];
    b.asFloatBuffer().get(v);
    return v;
  }
}

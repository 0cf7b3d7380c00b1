package dev.netc.cli;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;
import static org.junit.jupiter.api.Assumptions.assumeFalse;

import dev.netc.compiler.emit.cuda.Nvcc;
import dev.netc.runtime.cuda.CudaDriver;
import dev.netc.runtime.cuda.CudaUnavailableException;
import java.io.IOException;
import java.io.PrintWriter;
import java.io.StringWriter;
import java.nio.file.Files;
import java.nio.file.Path;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** {@code compile --target cuda} and {@code run}/{@code bench --device cuda}, on a machine without a GPU. */
class CudaCommandsTest {
  @TempDir Path dir;

  record Result(int code, String out, String err) {}

  static Result run(String... args) {
    StringWriter out = new StringWriter(), err = new StringWriter();
    int code = Main.run(args, new PrintWriter(out), new PrintWriter(err));
    return new Result(code, out.toString(), err.toString());
  }

  private Path net(String text) throws IOException {
    Path p = dir.resolve("small.net");
    Files.writeString(p, text);
    return p;
  }

  @Test
  void compileForCudaWritesTheClassItsSourceAndLaunchTable() throws IOException {
    Path f = net("network small { input x: [3, 8, 8]; c: conv(8, 3, pad: 1); r: relu; p: maxpool(2) }\n");
    Result r = run("compile", f.toString(), "--target", "cuda", "--java", dir.resolve("out").toString());
    assertEquals(0, r.code(), r.err());
    Path pkg = dir.resolve("out/netc/generated");
    assertTrue(Files.readString(pkg.resolve("Small.java")).contains("CudaNetwork"));
    assertTrue(Files.readString(pkg.resolve("Small.cu")).contains("__global__"));
    assertTrue(Files.readString(pkg.resolve("Small.launches")).startsWith("prepare\n"));
    assertEquals(Nvcc.find().isPresent(), Files.isRegularFile(pkg.resolve("Small.ptx")), r.err());
  }

  @Test
  void sequenceOpsCompileForCudaAndTokenIdsAreCheckedOnTheHost() throws IOException {
    Path f = net("network small { input ids: [4]; emb: embedding(5, 8); positional_encoding; a: attention(2); "
        + "r: lstm(6) }\n");
    Result r = run("compile", f.toString(), "--target", "cuda", "--java", dir.resolve("out").toString());
    assertEquals(0, r.code(), r.err());
    Path pkg = dir.resolve("out/netc/generated");
    assertTrue(Files.readString(pkg.resolve("Small.java")).contains("CudaNetwork.checkTokenIds(ids, 5, 4, \"emb\")"));
    assertTrue(Files.readString(pkg.resolve("Small.cu")).contains("k3_r_l0_steps"), r.err());
  }

  @Test
  void anUnknownTargetOrDeviceIsAUsageError() throws IOException {
    Path f = net("network small { input x: [4]; fc: linear(2) }\n");
    assertEquals(2, run("compile", f.toString(), "--target", "opencl", "--java", dir.toString()).code());
    assertEquals(2, run("bench", f.toString(), "--device", "tpu").code());
  }

  @Test
  void runAndBenchOnCudaFailCleanlyWithoutAGpu() throws IOException {
    boolean gpu;
    try {
      CudaDriver.get();
      gpu = true;
    } catch (CudaUnavailableException e) {
      gpu = false;
    }
    assumeFalse(gpu, "this machine has a GPU: the no-GPU failure is not tested here");
    Path f = net("network small { input x: [4]; fc: linear(2) }\n");
    for (String[] args : new String[][] {{"run", f.toString(), "--device", "cuda", "--random-weights", "1",
        "--random-input", "1"}, {"bench", f.toString(), "--device", "cuda"}}) {
      Result r = run(args);
      assertEquals(1, r.code(), args[0] + ": " + r.err());
      assertTrue(r.err().startsWith("netc: --device cuda: "), r.err());
      assertEquals(1, r.err().strip().lines().count(), args[0] + ": one line: " + r.err());
      assertFalse(r.err().contains("Exception"), r.err());
    }
  }
}

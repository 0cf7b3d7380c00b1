package dev.netc.compiler.interp;

import static dev.netc.compiler.interp.InterpreterNets.f;
import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.netc.compiler.cli.Main;
import dev.netc.runtime.Tensor;
import dev.netc.runtime.io.Npy;
import dev.netc.runtime.io.SafeTensorsWriter;
import java.io.IOException;
import java.io.PrintWriter;
import java.io.StringWriter;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** {@code netc run}: files in and out, summaries, and user errors as one line with exit code 1. */
class RunCommandTest {
  @TempDir Path dir;

  private Path net;
  private Path weights;
  private Path input;

  /** What one invocation printed and returned. */
  record Result(int code, String out, String err) {}

  @BeforeEach
  void files() throws IOException {
    net = dir.resolve("n.net");
    Files.writeString(net, """
        network n {
          input x: [1, 3, 3]
          c: conv(1, 2)
          head sum { flatten; fc: linear(1, bias: false) }
          head pooled { global_maxpool; flatten }
        }
        """);
    weights = dir.resolve("w.safetensors");
    new SafeTensorsWriter().put("c.weight", Tensor.of(f(1, 1, 1, 1), 1, 1, 2, 2)).put("c.bias", Tensor.of(f(0.5), 1))
        .put("fc.weight", Tensor.of(f(1, 1, 1, 1), 1, 4)).write(weights);
    input = dir.resolve("x.npy");
    Npy.write(input, Tensor.of(f(1, 2, 3, 4, 5, 6, 7, 8, 9), 1, 1, 3, 3));
  }

  private static Result netc(String... args) {
    StringWriter out = new StringWriter();
    StringWriter err = new StringWriter();
    int code = Main.run(args, new PrintWriter(out), new PrintWriter(err));
    return new Result(code, out.toString(), err.toString());
  }

  private List<String> args(String... more) {
    List<String> a = new ArrayList<>(List.of("run", net.toString(), "--weights", weights.toString(), "--input",
        input.toString()));
    a.addAll(List.of(more));
    return a;
  }

  private Result netcRun(String... more) { return netc(args(more).toArray(String[]::new)); }

  @Test
  void writesNamedOutputsAndSummarizesTheRest() throws IOException {
    Path sum = dir.resolve("sum.npy");
    Result r = netcRun("--interpret", "--output", "sum=" + sum);
    assertEquals(0, r.code(), r.err());
    assertEquals("", r.err());
    // conv windows 12.5, 16.5, 24.5, 28.5 sum to 82; the max is 28.5
    assertArrayEquals(f(82), Npy.read(sum).data());
    assertArrayEquals(new int[] {1, 1}, Npy.read(sum).shape().dims());
    assertTrue(r.out().contains("sum [1, 1] -> " + sum), r.out());
    assertTrue(r.out().contains("pooled [1, 1]: min 28.5000 max 28.5000 mean 28.5000; first: 28.5000"), r.out());
  }

  @Test
  void bareOutputFilesGoToTheOutputsInOrderAndBareNamesAreSummarized() throws IOException {
    Path a = dir.resolve("a.npy");
    Result r = netcRun("--interpret", "--output", "sum", "--output", a.toString());
    assertEquals(0, r.code(), r.err());
    assertArrayEquals(f(28.5), Npy.read(a).data());
    assertTrue(r.out().startsWith("sum [1, 1]: min 82.0000"), r.out());
  }

  @Test
  void compiledExecutionIsTheDefaultAndAgreesWithTheInterpreter() throws IOException {
    Path compiled = dir.resolve("compiled.npy");
    Path interpreted = dir.resolve("interpreted.npy");
    Result c = netcRun("--threads", "2", "--output", "sum=" + compiled);
    assertEquals(0, c.code(), c.err());
    assertEquals("", c.err());
    Result i = netcRun("--interpret", "--output", "sum=" + interpreted);
    assertEquals(0, i.code(), i.err());
    assertArrayEquals(f(82), Npy.read(compiled).data());
    assertArrayEquals(Npy.read(interpreted).data(), Npy.read(compiled).data());
    assertEquals(c.out().lines().skip(1).toList(), i.out().lines().skip(1).toList());
  }

  @Test
  void anInputOfAnotherSizeElaboratesTheNetworkAgain() throws IOException {
    Path small = dir.resolve("pool.net");
    Files.writeString(small, """
        network p {
          input x: [1, 3, 3]
          c: conv(2, 1)
          head pooled { global_maxpool; flatten }
        }
        """);
    Path w = dir.resolve("p.safetensors");
    new SafeTensorsWriter().put("c.weight", Tensor.of(f(1, -1), 2, 1, 1, 1)).put("c.bias", Tensor.of(f(0, 0), 2)).write(w);
    Path big = dir.resolve("big.npy");
    Npy.write(big, Tensor.of(f(1, 2, 3, 4, 5, 6, 7, 8, 9, 10, 11, 12, 13, 14, 15, 16, 17, 18, 19, 20), 1, 1, 4, 5));
    for (String mode : List.of("--threads=1", "--interpret")) {
      Result r = netc("run", small.toString(), mode, "--weights", w.toString(), "--input", big.toString());
      assertEquals(0, r.code(), r.err());
      assertTrue(r.out().startsWith("pooled [1, 2]: min -1.00000 max 20.0000"), r.out());
    }
    Path rank = dir.resolve("rank.npy");
    Npy.write(rank, Tensor.of(new float[4], 1, 4));
    assertOneLineError(netc("run", small.toString(), "--weights", w.toString(), "--input", rank.toString()),
        "netc: input 'x': expected [N, 1, 3, 3], got [1, 4] (batch first, then [1, 3, 3])");
  }

  private static void assertOneLineError(Result r, String expected) {
    assertEquals(Main.USER_ERROR, r.code(), r.err());
    assertEquals(expected, r.err().strip());
    assertEquals(1, r.err().strip().lines().count(), "one line, no stack trace: " + r.err());
  }

  @Test
  void userErrorsAreOneLine() throws IOException {
    assertOneLineError(netc("run", net.toString(), "--interpret", "--weights", dir.resolve("none.safetensors").toString(),
        "--input", input.toString()), "netc: weights file not found: " + dir.resolve("none.safetensors"));
    assertOneLineError(netc("run", net.toString(), "--interpret", "--input", input.toString()),
        "netc: network n has parameters: give them with --weights W.safetensors (or --random-weights SEED to try the network)");
    Path wrong = dir.resolve("wrong.npy");
    Npy.write(wrong, Tensor.of(new float[16], 1, 1, 4, 4));
    for (String mode : List.of("--interpret", "--threads=1")) {
      Result r = netc("run", net.toString(), mode, "--weights", weights.toString(), "--input", wrong.toString());
      assertEquals(Main.USER_ERROR, r.code(), r.err());
      assertTrue(r.err().startsWith("netc: input 'x' is [1, 1, 4, 4], declared [N, 1, 3, 3]; at that size: "), r.err());
      assertTrue(r.err().contains("fc.weight"), r.err());
      assertEquals(1, r.err().strip().lines().count(), r.err());
    }
    Path junk = dir.resolve("junk.npy");
    Files.write(junk, new byte[] {1, 2, 3, 4, 5, 6, 7, 8, 9, 10});
    Result bad = netc("run", net.toString(), "--interpret", "--weights", weights.toString(), "--input", junk.toString());
    assertEquals(Main.USER_ERROR, bad.code());
    assertTrue(bad.err().startsWith("netc: junk.npy: "), bad.err());
    assertEquals(1, bad.err().strip().lines().count(), bad.err());
    assertOneLineError(netc("run", net.toString(), "--interpret", "--weights", weights.toString(), "--input",
        dir.resolve("missing.npy").toString()), "netc: input file not found: " + dir.resolve("missing.npy"));
    assertOneLineError(netcRun("--interpret", "--output", "logits=y.npy"),
        "netc: no output named 'logits'; the network's outputs: sum, pooled");
    assertOneLineError(netc("run", net.toString(), "--interpret", "--weights", weights.toString()),
        "netc: no file for input 'x': give --input x=X.npy (inputs: x)");
  }

  @Test
  void randomWeightsTryANetwork() {
    Result r = netc("run", net.toString(), "--interpret", "--random-weights", "3", "--input", input.toString());
    assertEquals(0, r.code(), r.err());
    assertEquals(2, r.out().lines().count(), r.out());
  }
}

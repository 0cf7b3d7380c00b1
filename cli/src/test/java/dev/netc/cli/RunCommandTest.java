package dev.netc.cli;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

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
  void anInputOfAnotherSizeIsRefusedOrWithResizeElaboratesTheNetworkAgain() throws IOException {
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
      // Refused by default, as the generated class refuses it: one line with the input and both shapes.
      assertOneLineError(netc("run", small.toString(), mode, "--weights", w.toString(), "--input", big.toString()),
          "netc: input 'x' is [1, 1, 4, 5], declared [N, 1, 3, 3]; give an input of the declared size, or --resize"
              + " to run the network at the file's size");
      Result r = netc("run", small.toString(), mode, "--resize", "--weights", w.toString(), "--input", big.toString());
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
      Result r = netc("run", net.toString(), mode, "--resize", "--weights", weights.toString(), "--input",
          wrong.toString());
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
        "netc: no file for input 'x': give --input x=X.npy, or --random-input SEED (inputs: x)");
  }

  @Test
  void randomWeightsTryANetwork() {
    Result r = netc("run", net.toString(), "--interpret", "--random-weights", "3", "--input", input.toString());
    assertEquals(0, r.code(), r.err());
    assertEquals(2, r.out().lines().count(), r.out());
  }

  @Test
  void randomInputsNeedNoFileAndAreSeeded() {
    for (String mode : List.of("--interpret", "--threads=1")) {
      Result a = netc("run", net.toString(), mode, "--random-weights", "3", "--random-input", "5");
      assertEquals(0, a.code(), a.err());
      assertEquals(2, a.out().lines().count(), a.out());
      assertEquals(a.out(), netc("run", net.toString(), mode, "--random-weights", "3", "--random-input", "5").out());
      assertTrue(!a.out().equals(netc("run", net.toString(), mode, "--random-weights", "3", "--random-input", "6")
          .out()), "another seed, other values");
    }
    // A file given for an input wins over --random-input.
    Result withFile = netcRun("--interpret", "--random-input", "5");
    assertEquals(netcRun("--interpret").out(), withFile.out());
  }

  /** Token-id inputs (reaching an embedding, here through a reshape) get integers inside the smallest table. */
  @Test
  void randomTokenIdsAreValidIds() throws IOException {
    Path lm = dir.resolve("lm.net");
    Files.writeString(lm, """
        network lm {
          input ids: [2, 3]
          input types: [6]
          @types
          embedding(2, 4) -> segments
          @ids
          reshape(6)
          words: embedding(7, 4)
          add(@segments)
          head logits { linear(5) }
        }
        """);
    for (String mode : List.of("--interpret", "--threads=1")) {
      for (int seed = 0; seed < 5; seed++) {
        Result r = netc("run", lm.toString(), mode, "--random-weights", "1", "--random-input", String.valueOf(seed));
        assertEquals(0, r.code(), mode + " seed " + seed + ": " + r.err());
      }
    }
  }

  @Test
  void twoOutputsToOneFileAreRefused() {
    Path same = dir.resolve("same.npy");
    assertOneLineError(netcRun("--interpret", "--output", "sum=" + same, "--output", "pooled=" + same),
        "netc: outputs 'sum' and 'pooled' are both to be written to " + same + "; give each output its own file");
    assertOneLineError(netcRun("--interpret", "--output", "sum=" + same, "--output", "pooled=" + dir.resolve(".")
        .resolve("same.npy")), "netc: outputs 'sum' and 'pooled' are both to be written to " + dir.resolve(".")
        .resolve("same.npy") + "; give each output its own file");
    assertTrue(Files.notExists(same), "nothing written");
    assertOneLineError(netcRun("--interpret", "--output", "sum=" + dir.resolve("nodir/y.npy")),
        "netc: cannot write output 'sum' to " + dir.resolve("nodir/y.npy") + ": the folder " + dir.resolve("nodir")
            + " does not exist");
  }

  @Test
  void tooManyThreadsAreCappedWithANote() {
    int cap = 4 * Runtime.getRuntime().availableProcessors();
    Result r = netcRun("--threads", "100000");
    assertEquals(0, r.code(), r.err());
    assertTrue(r.err().startsWith("netc: --threads 100000 is more than 4 per processor; using " + cap), r.err());
    assertEquals(Main.USAGE, netcRun("--threads", "0").code());
  }

  private static float[] f(double... v) {
    float[] r = new float[v.length];
    for (int i = 0; i < v.length; i++) r[i] = (float) v[i];
    return r;
  }

  /** Tensors in the weights file that the network does not use are an error, as in PyTorch's strict loading. */
  @Test
  void unusedWeightsAreAnErrorUnlessAllowed() throws IOException {
    new SafeTensorsWriter().put("c.weight", Tensor.of(f(1, 1, 1, 1), 1, 1, 2, 2)).put("c.bias", Tensor.of(f(0.5), 1))
        .put("fc.weight", Tensor.of(f(1, 1, 1, 1), 1, 4)).put("extra.bias", Tensor.of(f(0), 1)).write(weights);
    for (String path : new String[] {"--interpret", "--threads=1"}) {
      Result strict = netcRun(path);
      assertEquals(1, strict.code(), path + ": " + strict.err());
      assertTrue(strict.err().contains("extra.bias"), path + ": " + strict.err());
      Result lenient = netcRun(path, "--allow-unused-weights");
      assertEquals(0, lenient.code(), path + ": " + lenient.err());
      assertTrue(lenient.out().contains("pooled [1, 1]: min 28.5000"), lenient.out());
    }
  }
}

package dev.netc.cli;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * {@code netc bench}: argument ranges, the spread and kernels it reports, no {@code \r} off a terminal, valid
 * inputs for token-id networks, and warm-up that ends when latency is stable (on a clock the test drives).
 */
class BenchCommandTest {
  @TempDir Path dir;

  private Path file(String name, String text) throws IOException {
    Path p = dir.resolve(name);
    Files.writeString(p, text);
    return p;
  }

  @Test
  void reportsTheSpreadAndTheKernelsWithoutProgressLinesOffATerminal() throws IOException {
    Path net = file("t.net", "network t { input x: [3, 8, 8]; conv(8, 3, pad: 1); relu; global_avgpool; flatten; linear(4) }\n");
    CliTest.Result r = CliTest.run("bench", net.toString(), "--warmup", "0.3", "--iterations", "20", "--threads", "1");
    assertEquals(0, r.code(), r.err());
    assertTrue(r.out().startsWith("t: batch 1, 1 thread, 20 passes after "), r.out());
    assertTrue(r.out().matches("(?s).*median [0-9.e-]+ ms \\(min [0-9.e-]+, p90 [0-9.e-]+, max [0-9.e-]+; IQR "
        + "[0-9.e-]+-[0-9.e-]+\\).*"), r.out());
    assertTrue(r.out().contains("  kernels: "), r.out());
    assertFalse(r.err().contains("\r"), "progress lines only on a terminal: " + r.err());
    CliTest.Result json = CliTest.run("bench", net.toString(), "--warmup", "0", "--iterations", "3", "--format", "json");
    assertEquals(0, json.code(), json.err());
    @SuppressWarnings("unchecked")
    Map<String, Object> m = (Map<String, Object>) dev.netc.runtime.io.Json.parse(json.out());
    for (String key : new String[] {"min_ms", "p25_ms", "median_ms", "p75_ms", "p90_ms", "max_ms", "variation",
        "warmup_s", "warmup_stable", "vector_api", "vector_bits"}) {
      assertTrue(m.containsKey(key), key + " in " + json.out());
    }
    assertEquals(0.0, ((Number) m.get("warmup_s")).doubleValue());
  }

  /** {@code --session-batch M}: a session opened for M items runs {@code --batch} of them per pass. */
  @Test
  void aSessionForMoreItemsRunsTheBatchAsked() throws IOException {
    Path net = file("t.net", "network t { input x: [3, 8, 8]; conv(8, 3, pad: 1); relu; global_avgpool; flatten; linear(4) }\n");
    CliTest.Result r = CliTest.run("bench", net.toString(), "--warmup", "0", "--iterations", "3", "--batch", "2",
        "--session-batch", "8", "--threads", "1");
    assertEquals(0, r.code(), r.err());
    assertTrue(r.out().startsWith("t: batch 2 (session for 8), 1 thread, 3 passes after "), r.out());
    CliTest.Result json = CliTest.run("bench", net.toString(), "--warmup", "0", "--iterations", "3", "--batch", "2",
        "--session-batch", "8", "--format", "json");
    assertEquals(0, json.code(), json.err());
    @SuppressWarnings("unchecked")
    Map<String, Object> m = (Map<String, Object>) dev.netc.runtime.io.Json.parse(json.out());
    assertEquals(2, ((Number) m.get("batch")).intValue());
    assertEquals(8, ((Number) m.get("session_batch")).intValue());
    CliTest.Result small = CliTest.run("bench", net.toString(), "--batch", "4", "--session-batch", "3");
    assertEquals(Main.USAGE, small.code(), small.err());
    assertEquals("netc: --session-batch must be at least --batch (4), got 3", small.err().strip());
  }

  /** lstm_lm and transformer_encoder take token ids: random floats made the embedding refuse them. */
  @Test
  void tokenIdNetworksGetValidIds() throws IOException {
    Path lm = file("lm.net", """
        network lm {
          input ids: [6]
          input types: [6]
          @types
          embedding(2, 4) -> segments
          @ids
          embedding(1000, 4)
          add(@segments)
          head logits { linear(5) }
        }
        """);
    CliTest.Result r = CliTest.run("bench", lm.toString(), "--warmup", "0", "--iterations", "5", "--batch", "3");
    assertEquals(0, r.code(), r.err());
  }

  @Test
  void argumentsOutOfRangeAreUsageErrors() throws IOException {
    Path net = file("t.net", "network t { input x: [4]; linear(2) }\n");
    String[][] bad = {{"--warmup", "Infinity"}, {"--warmup", "NaN"}, {"--warmup", "1e308"}, {"--warmup", "-1"},
        {"--warmup", "3601"}, {"--iterations", "0"}, {"--iterations", "2000000"}, {"--batch", "0"},
        {"--threads", "0"}, {"--format", "xml"}};
    for (String[] b : bad) {
      CliTest.Result r = CliTest.run("bench", net.toString(), b[0], b[1]);
      assertEquals(Main.USAGE, r.code(), String.join(" ", b) + ": " + r.err());
      assertEquals(1, r.err().strip().lines().count(), r.err());
      assertTrue(r.err().startsWith("netc: " + b[0]), r.err());
    }
  }

  @Test
  void aBatchThatCannotFitIsOneLine() throws IOException {
    Path net = file("c.net", "network c { input x: [16, 64, 64]; conv(64, 3, pad: 1) }\n");
    CliTest.Result r = CliTest.run("bench", net.toString(), "--batch", "1000000");
    assertEquals(Main.USER_ERROR, r.code(), r.err());
    assertTrue(r.err().startsWith("netc: --batch 1000000 is too large for c: "), r.err());
    assertTrue(r.err().contains("(the largest batch that fits: 8191)"), r.err());
    // At 8191, arena, input and output arrays take 4 x 8191 x (262144 + 65536 + 2 x 262144) bytes: 27.9 GB.
    org.junit.jupiter.api.Assumptions.assumeTrue(Runtime.getRuntime().maxMemory() < 4L * 8191 * 851968,
        "a JVM with more than 28 GB of heap fits batch 8191");
    CliTest.Result mem = CliTest.run("bench", net.toString(), "--batch", "8191");
    assertEquals(Main.USER_ERROR, mem.code(), mem.err());
    assertTrue(mem.err().contains("more than the JVM can allocate"), mem.err());
    assertEquals(1, mem.err().strip().lines().count(), mem.err());
  }

  @Test
  void theKernelsAreTheRuntimesOwnChoice() {
    KernelInfo k = KernelInfo.current();
    assertEquals(dev.netc.runtime.VectorSupport.ENABLED, k.vector());
    if (k.vector()) {
      assertTrue(k.preferredBits() >= 64, k.toString());
      assertTrue(k.packedVector() != null, "read from the runtime: " + k);
      assertEquals(k.packedVector(), k.gemmBits() > 0, k.toString());
      assertEquals(System.getProperty("netc.kernel.bits"), k.forced(), k.toString());
      if (k.forced() == null) {
        assertEquals(k.packedVector() ? Math.max(256, Math.min(512, k.preferredBits())) : 0, k.convBits(),
            "the host's width: " + k);
      } else {
        assertEquals(k.packedVector() ? Integer.parseInt(k.forced()) : 0, k.convBits(), k.toString());
      }
      if (System.getProperty("netc.conv.winograd") == null) {
        assertEquals(-1, k.winogradTile(), "read from the runtime's ConvPlan: " + k);
      }
    }
    String auto = "; 3x3 stride-1 convolutions: Winograd F(4x4, 3x3) from 24x24 outputs, F(2x2, 3x3) below from ";
    assertEquals("Vector API, 512-bit vectors (16 floats); conv, depthwise and GEMM: 512-bit vector micro-kernels"
        + auto + "64 input channels", new KernelInfo(true, 512, true, 512, 512, null, -1).describe());
    assertEquals("Vector API, 512-bit vectors (16 floats); conv and depthwise: 512-bit vector micro-kernels, GEMM: "
        + "256-bit vector" + auto + "64 input channels", new KernelInfo(true, 512, true, 512, 256, null, -1).describe());
    assertEquals("Vector API, 256-bit vectors (8 floats); conv, depthwise and GEMM: 256-bit vector micro-kernels"
        + auto + "32 input channels", new KernelInfo(true, 256, true, 256, 256, null, -1).describe());
    assertEquals("Vector API, 256-bit vectors (8 floats); conv, depthwise and GEMM: 256-bit vector micro-kernels"
        + "; 3x3 stride-1 convolutions: direct (-Dnetc.conv.winograd=false)",
        new KernelInfo(true, 256, true, 256, 256, null, 0).describe());
    assertEquals("Vector API, 256-bit vectors (8 floats); conv, depthwise and GEMM: 512-bit vector micro-kernels "
        + "(emulated: wider than this JVM's vectors, slow; forced by -Dnetc.kernel.bits=512)"
        + "; 3x3 stride-1 convolutions: Winograd F(2x2, 3x3) (-Dnetc.conv.winograd=2)",
        new KernelInfo(true, 256, true, 512, 512, "512", 2).describe());
    assertEquals("Vector API, 512-bit vectors (16 floats); conv, depthwise and GEMM: 256-bit vector micro-kernels "
        + "(forced by -Dnetc.kernel.bits=256)" + auto + "32 input channels",
        new KernelInfo(true, 512, true, 256, 256, "256", -1).describe());
    assertEquals("Vector API, 512-bit vectors (16 floats); conv and depthwise: scalar micro-kernels (forced by "
        + "-Dnetc.kernel.bits=0), GEMM: 256-bit vector", new KernelInfo(true, 512, true, 0, 256, "0", -1).describe());
    assertTrue(new KernelInfo(true, 128, false, 0, 0, null, -1).describe().endsWith("conv, depthwise and GEMM: "
        + "scalar micro-kernels (this machine's vectors are narrower than 256 bits)"));
    assertTrue(new KernelInfo(false, 0, false, 0, 0, null, 0).describe().startsWith("scalar kernels"));
  }

  /** A pass that takes {@code slow} ns for its first {@code n} calls and then {@code fast} ns, on a fake clock. */
  private static final class FakeNetwork {
    long now;
    long calls;

    void pass(long n, long slow, long fast) { now += calls++ < n ? slow : fast; }
  }

  @Test
  void warmUpStopsOnceWindowMediansAgreeAfterTheMinimum() {
    FakeNetwork f = new FakeNetwork();
    // 30 passes of 20 ms (the code before the JIT's last tier), then 5 ms: three 20 ms windows agree at 0.6 s, too
    // early; the 5 ms windows agree at 1.055 s, after 121 passes.
    BenchCommand.Warmup w = BenchCommand.warmUp(() -> f.pass(30, 20_000_000, 5_000_000), () -> f.now, 10, s -> { });
    assertTrue(w.stable(), w.toString());
    assertEquals(1.055, w.seconds(), 1e-9);
    assertEquals(121, w.passes());
    assertEquals(0, w.lastVariation());
  }

  @Test
  void warmUpThatNeverSettlesStopsAtTheCap() {
    FakeNetwork f = new FakeNetwork();
    // Each pass 2 % slower than the last: windows of 3 or more passes never agree within 3 %.
    BenchCommand.Warmup w = BenchCommand.warmUp(() -> f.now += (long) (1e6 * Math.pow(1.02, f.calls++)),
        () -> f.now, 4, s -> { });
    assertFalse(w.stable(), w.toString());
    assertTrue(w.seconds() >= 4 && w.seconds() < 4.1, w.toString());
    assertEquals(0, BenchCommand.warmUp(() -> f.now++, () -> f.now, 0, s -> { }).passes());
  }

  @Test
  void spreadAndTheTenPercentWarning() {
    BenchCommand.Times steady = new BenchCommand.Times(new double[] {10, 10.1, 10.2, 10.2, 10.3, 10.4, 10.5, 10.5,
        10.6, 10.8});
    assertEquals(10.3, steady.quantile(0.5));
    assertEquals(10.6, steady.quantile(0.9));
    assertEquals(10.35, steady.median(), 1e-9);
    assertNull(BenchCommand.warning(steady, false));
    BenchCommand.Times noisy = new BenchCommand.Times(new double[] {10, 10, 10, 10, 10, 10, 10, 10, 12, 14});
    String warning = BenchCommand.warning(noisy, true);
    assertTrue(warning.startsWith("netc bench: warning: the timed passes vary by 20 % (p10 10.0 ms, p90 12.0 ms)"),
        warning);
    assertTrue(warning.endsWith("raise --iterations or --warmup"), warning);
  }
}

package dev.netc.bench;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** {@link VsOrtReport}: the lines {@link VsOrt} appends, read back into issue 10's table. */
class VsOrtReportTest {
  @TempDir Path dir;

  private static final VsOrt.Host HOST = new VsOrt.Host("AMD EPYC", 2, 256, "Vector API, 256-bit vectors", "1.23.2",
      false, new int[] {1, 2}, new double[] {100, 200});

  private static VsOrt.Result result(String model, int batch, int threads, double netc, double ort, double diff) {
    return new VsOrt.Result(model, batch, threads, 1.0, netc, ort, diff, 0.5, new double[] {netc, netc},
        new double[] {ort, ort});
  }

  @Test
  void twoRunsGiveMediansRatiosTargetsAndTheSpreadOfTheMedians() throws IOException {
    Path tsv = dir.resolve("r.tsv");
    // Run 1 and run 2 of the same set: ResNet-50 at 2 threads 12 ms then 10 ms (spread 2 / 11 = 18 %), ORT 10 both.
    for (double netc : new double[] {12, 10}) {
      VsOrtReport.append(tsv, HOST, result("resnet50", 1, 2, netc, 10, 1e-7));
      VsOrtReport.append(tsv, HOST, result("mobilenet_v2", 1, 2, 7, 10, 2e-7));
      VsOrtReport.append(tsv, HOST, result("resnet50", 16, 2, 160, 200, 3e-7));
    }
    List<String> text = Files.readAllLines(tsv);
    assertEquals(7, text.size(), "one header line, then one line per result");
    List<VsOrtReport.Line> lines = VsOrtReport.parse("r.tsv", text);
    String md = VsOrtReport.report(lines);
    assertTrue(md.contains("native vector width 256 bits (8 floats)"), md);
    assertTrue(md.contains("200.0 GFLOP/s on 2 threads"), md);
    assertTrue(md.contains("2 runs"), md);
    assertTrue(md.contains("medians of 2 timed passes per engine"), md);
    // Median of 12 and 10 is 11 ms; the ratios 1.2 and 1.0 give 1.10 (1.00-1.20); target <= 1.0 not met.
    assertTrue(md.contains("| ResNet-50 | 1.000 | 2 | 11.00 | 10.00 | 1.10 (1.00–1.20) | ≤ 1.00 not met | 1.0e-07 | "
        + "18 % / 0 % |"), md);
    assertTrue(md.contains("| MobileNetV2 | 1.000 | 2 | 7.00 | 10.00 | 0.70 (0.70–0.70) | ≤ 0.80 met |"), md);
    // Batch 16: 16 / 0.160 s = 100 items/s against 80; throughput ratio 1.25, target met.
    assertTrue(md.contains("| ResNet-50 | 16 | 2 | 100.0 | 80.0 | 1.25 (1.25–1.25) | ≥ 1.00 met |"), md);
    assertTrue(md.contains("2 of 3 ratios met"), md);
    assertTrue(md.contains("within 10 %: 5 of 6"), md);
    assertTrue(md.contains("every max |diff| within"), md);
  }

  @Test
  void oneRunHasNoSpreadAndAMismatchIsSaid() throws IOException {
    Path tsv = dir.resolve("one.tsv");
    VsOrtReport.append(tsv, HOST, result("squeezenet1_1", 1, 1, 9, 8, 0.5));
    String md = VsOrtReport.report(VsOrtReport.parse("one.tsv", Files.readAllLines(tsv)));
    assertTrue(md.contains("| SqueezeNet 1.1 | 1.000 | 1 | 9.00 | 8.00 | 1.13 |  | 5.0e-01 | – |"), md);
    assertTrue(md.contains("one run, so no run-to-run spread"), md);
    assertTrue(md.contains("0 of 0 ratios met"), "the issue's targets are at 2 threads: " + md);
    assertTrue(md.contains("MISMATCH"), md);
  }

  @Test
  void twoBuildsAreComparedRunByRun() throws IOException {
    Path a = dir.resolve("a.tsv");
    Path b = dir.resolve("b.tsv");
    // Three rounds; ORT 10 ms throughout. A: 12, 11, 13 ms (ratios 1.2, 1.1, 1.3), B: 10, 12, 11 (1.0, 1.2, 1.1).
    double[][] netc = {{12, 11, 13}, {10, 12, 11}};
    for (int round = 0; round < 3; round++) {
      VsOrtReport.append(a, HOST, result("resnet50", 1, 2, netc[0][round], 10, 1e-7));
      VsOrtReport.append(b, HOST, result("resnet50", 1, 2, netc[1][round], 10, 1e-7));
    }
    VsOrtReport.append(b, HOST, result("vgg16", 1, 2, 10, 10, 1e-7)); // only in B: left out
    String md = VsOrtReport.compare(VsOrtReport.parse("a.tsv", Files.readAllLines(a)),
        VsOrtReport.parse("b.tsv", Files.readAllLines(b)));
    // medians 1.2 and 1.1: B / A = 0.917; B lower in rounds 1 and 3
    assertTrue(md.contains("| ResNet-50 | 1 | 2 | 1.200, 1.100, 1.300 | 1.000, 1.200, 1.100 | 1.200 | 1.100 | 0.917 "
        + "| 2 of 3 |"), md);
    assertTrue(!md.contains("VGG-16"), md);
    assertTrue(md.contains("every max |diff| within"), md);
  }

  @Test
  void aFileWithoutTheHeaderIsRefusedByName() {
    List<String> old = new ArrayList<>(List.of("resnet18\t1\t48.3\t40.7\t1.19\t3.6e-7\t0.5"));
    IllegalArgumentException e = assertThrows(IllegalArgumentException.class, () -> VsOrtReport.parse("old.tsv", old));
    assertTrue(e.getMessage().startsWith("old.tsv: the first line does not name the columns"), e.getMessage());
  }

  @Test
  void theSpreadIsRangeOverMedian() {
    assertEquals(2.0 / 11.0, VsOrtReport.spreadOf(List.of(line(12), line(10)), "netc_ms"), 1e-12);
    assertEquals(3.0 / 10.0, VsOrtReport.spreadOf(List.of(line(9), line(12), line(10)), "netc_ms"), 1e-12);
  }

  private static VsOrtReport.Line line(double netc) {
    return new VsOrtReport.Line(java.util.Map.of("netc_ms", Double.toString(netc)));
  }
}

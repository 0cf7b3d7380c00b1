package dev.netc.cli;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.netc.runtime.io.Json;
import java.nio.file.Path;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import org.junit.jupiter.api.Test;

/** {@code netc profile}: measured time per step, mapped to layers and stages, with GFLOP/s against the peak. */
class ProfileCommandTest {
  private static final Path SMALL = ReportCli.write("small.net", ReportCli.SMALL);

  @Test
  void jsonMapsStepsToLayersAndStages() {
    ReportCli.Run r = ReportCli.run("profile", SMALL.toString(), "--warmup", "0.2", "--passes", "3", "--threads", "1",
        "--format", "json");
    assertEquals(0, r.code(), r.err());
    Map<?, ?> p = (Map<?, ?>) Json.parse(r.out());
    assertEquals("small", p.get("network"));
    assertEquals(3L, ((Number) p.get("passes")).longValue());
    assertTrue(((Number) p.get("peak_gflops")).doubleValue() > 0.1, "the peak is measured");
    long steps = 0, layers = 0, stages = 0;
    for (Object s : (List<?>) p.get("steps")) steps += ((Number) ((Map<?, ?>) s).get("time_ns")).longValue();
    Set<String> paths = new HashSet<>();
    for (Object o : (List<?>) p.get("layers")) {
      Map<?, ?> l = (Map<?, ?>) o;
      layers += ((Number) l.get("time_ns")).longValue();
      paths.add((String) l.get("path"));
    }
    for (Object s : (List<?>) p.get("stages")) stages += ((Number) ((Map<?, ?>) s).get("time_ns")).longValue();
    assertEquals(steps, ((Number) p.get("steps_ns")).longValue());
    assertEquals(steps, layers, "every step belongs to a layer");
    assertEquals(steps, stages, "every layer to a stage");
    assertTrue(paths.contains("stem") && paths.contains("layer1.0.conv1") && paths.contains("fc"), paths.toString());
    Map<?, ?> conv = ((List<?>) p.get("layers")).stream().map(o -> (Map<?, ?>) o)
        .filter(l -> l.get("path").equals("layer1.0.conv1")).findFirst().orElseThrow();
    assertEquals(2L * 2_359_296, ((Number) conv.get("flops")).longValue());
    assertTrue(((Number) conv.get("gflops")).doubleValue() > 0);
  }

  @Test
  void tableAndUsageErrors() {
    ReportCli.Run r = ReportCli.run("profile", SMALL.toString(), "--warmup", "0", "--passes", "1", "--threads", "1");
    assertEquals(0, r.code(), r.err());
    assertTrue(r.out().startsWith("small: batch 1, 1 thread, median of 1 passes\n"), r.out());
    assertTrue(r.out().contains("of this machine's measured peak"), r.out());
    assertEquals(2, ReportCli.run("profile", SMALL.toString(), "--passes", "0").code());
    assertEquals(2, ReportCli.run("report", SMALL.toString(), "--profile").code(), "--profile needs --format html");
  }

  @Test
  void htmlReportWithProfile() {
    ReportCli.Run r = ReportCli.run("report", SMALL.toString(), "--format", "html", "--profile");
    assertEquals(0, r.code(), r.err());
    assertTrue(r.out().contains("\"profile\":{\"network\":\"small\""), "the profile in the page's data");
    assertTrue(r.out().contains("<option value=\"time_ns\">measured time</option>"));
  }
}

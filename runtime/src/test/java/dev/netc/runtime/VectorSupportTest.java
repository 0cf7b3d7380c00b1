package dev.netc.runtime;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.File;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;

/** The scalar/vector switch, observed in child JVMs started with and without the incubator module. */
class VectorSupportTest {
  private static final String MESSAGE =
      "netc: Vector API not available (run with --add-modules jdk.incubator.vector); using scalar kernels";

  @Test
  void enabledUnderTheTestJvmsFlags() {
    assertTrue(VectorSupport.ENABLED, "surefire runs with --add-modules jdk.incubator.vector");
  }

  @Test
  void withoutTheModuleEveryFacadeRunsScalarAndSaysSoOnce() throws Exception {
    Result r = run(List.of());
    assertEquals(0, r.exit, r.toString());
    assertTrue(r.out.startsWith("enabled=false\nok "), r.toString());
    List<String> lines = r.err.lines().filter(l -> l.startsWith("netc:")).toList();
    assertEquals(List.of(MESSAGE), lines, r.toString());
  }

  @Test
  void scalarCanBeForcedSilently() throws Exception {
    Result r = run(List.of("--add-modules", "jdk.incubator.vector", "-Dnetc.scalar=true"));
    assertEquals(0, r.exit, r.toString());
    assertTrue(r.out.startsWith("enabled=false\nok "), r.toString());
    assertTrue(r.err.lines().noneMatch(l -> l.startsWith("netc:")), r.toString());
  }

  @Test
  void withTheModuleTheVectorPathRuns() throws Exception {
    Result r = run(List.of("--add-modules", "jdk.incubator.vector"));
    assertEquals(0, r.exit, r.toString());
    assertTrue(r.out.startsWith("enabled=true\nok "), r.toString());
  }

  private record Result(int exit, String out, String err) {}

  private static Result run(List<String> flags) throws IOException, InterruptedException {
    String java = Path.of(System.getProperty("java.home"), "bin", "java").toString();
    String classpath = location(VectorSupport.class) + File.pathSeparator + location(ScalarFallbackMain.class);
    List<String> cmd = new ArrayList<>(List.of(java, "-Xshare:auto", "-XX:TieredStopAtLevel=1"));
    cmd.addAll(flags);
    cmd.addAll(List.of("-cp", classpath, ScalarFallbackMain.class.getName()));
    Process p = new ProcessBuilder(cmd).start();
    byte[] out = p.getInputStream().readAllBytes();
    byte[] err = p.getErrorStream().readAllBytes();
    if (!p.waitFor(60, TimeUnit.SECONDS)) {
      p.destroyForcibly();
    }
    return new Result(p.exitValue(), new String(out, StandardCharsets.UTF_8), new String(err, StandardCharsets.UTF_8));
  }

  private static String location(Class<?> c) {
    try {
      return Path.of(c.getProtectionDomain().getCodeSource().getLocation().toURI()).toString();
    } catch (java.net.URISyntaxException e) {
      throw new IllegalStateException(e);
    }
  }
}

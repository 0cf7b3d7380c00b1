package dev.netc.runtime.kernels;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.netc.runtime.exec.Executor;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.util.List;
import java.util.Random;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;

/**
 * Without {@code --add-modules jdk.incubator.vector} the runtime still runs every packed kernel
 * (scalar paths, vector classes never loaded): a child JVM started without the module runs
 * {@link #main} and compares with the reference.
 */
class ScalarFallbackTest {
  @Test
  void kernelsRunWithoutTheVectorModule() throws IOException, InterruptedException {
    Path java = Path.of(System.getProperty("java.home"), "bin", "java");
    ProcessBuilder pb = new ProcessBuilder(List.of(java.toString(), "-cp",
        System.getProperty("java.class.path"), ScalarFallbackTest.class.getName()));
    pb.redirectErrorStream(true);
    Process p = pb.start();
    assertTrue(p.waitFor(120, TimeUnit.SECONDS), "child JVM timed out");
    String out = new String(p.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
    assertEquals(0, p.exitValue(), out);
    assertTrue(out.contains("scalar kernels ok"), out);
  }

  /** The child: conv, depthwise, transposed conv and GEMM on the scalar path, against the references. */
  public static void main(String[] args) {
    if (ModuleLayer.boot().findModule("jdk.incubator.vector").isPresent() || PackedKernels.VECTOR) {
      throw new AssertionError("the child JVM must run without the vector module");
    }
    Random rnd = new Random(3);
    for (ConvSpec spec : new ConvSpec[] {
        ConvSpec.conv2d(5, 20, 9, 11, 3, 3, 2, 1, 1, 1, 0, 1, 1, 2, 1),
        ConvSpec.conv2d(18, 18, 7, 7, 3, 3, 1, 1, 1, 1, 1, 1, 1, 1, 18),
        ConvSpec.convTranspose2d(6, 4, 2, new ConvAxis(4, 3, 2, 1, 1, 1, 1), new ConvAxis(5, 4, 2, 1, 1, 1, 0))}) {
      ConvPlanTest.check(spec, Layout.NCHWC16, Epilogue.NONE.withActivation(Activation.GELU), 2, rnd, false);
    }
    GemmSpec g = GemmSpec.dense(false, true, 9, 37, 21);
    float[] a = EpilogueCases.random(rnd, 9 * 37);
    float[] b = EpilogueCases.random(rnd, 21 * 37);
    float[] want = new float[9 * 21];
    float[] got = new float[9 * 21];
    GemmReference.run(g, Epilogue.NONE, 1, 9, a, 0, b, 0, want, 0, null, 0);
    GemmPlan.create(g, Epilogue.NONE).run(1, 9, a, 0, b, 0, got, 0, null, 0, Executor.serial());
    EpilogueCases.assertClose(want, 0, got, 0, got.length, 1e-4, 1e-4, "scalar GEMM");
    System.out.println("scalar kernels ok");
  }
}

package dev.netc.compiler.emit.java;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.netc.compiler.ir.Graph;
import dev.netc.compiler.opt.Pipeline;
import dev.netc.compiler.plan.Plan;
import dev.netc.compiler.plan.Planner;
import java.util.SplittableRandom;
import org.junit.jupiter.api.Test;

/**
 * The profiling build ({@code netc profile}): the same results as the normal build, every plan step timed; the
 * normal build has no timing code at all.
 */
class ProfiledBuildTest {
  private static final String NET = """
      network p {
        input x: [3, 16, 16]
        conv(8, 3, pad: 1); batchnorm; relu
        b: [conv(8, 3, pad: 1), relu]
        global_avgpool; flatten; fc: linear(4)
      }
      """;

  @Test
  void timesEveryStepAndComputesTheSame() {
    Graph g = Generated.graph(NET);
    Plan plan = Planner.plan(Pipeline.run(g));
    EmitOptions options = EmitOptions.of(g.name(), "test", "test");
    CompiledNetwork normal = CompiledNetwork.compile(plan, options);
    CompiledNetwork profiled = CompiledNetwork.compileProfiled(plan, options);
    assertFalse(normal.source().toString().contains("nanoTime"), "a normal build has no timing code");
    assertEquals(plan.steps().size(), count(profiled.source().toString(), "System.nanoTime() - profile$start"));
    float[][] in = {new float[3 * 16 * 16]};
    SplittableRandom r = new SplittableRandom(7);
    for (int i = 0; i < in[0].length; i++) in[0][i] = (float) r.nextDouble(-1, 1);
    float[][] a = {new float[4]}, b = {new float[4]};
    try (NetworkSession s = normal.newSession(normal.randomWeights(3), 1, 1);
        NetworkSession t = profiled.newSession(profiled.randomWeights(3), 1, 1)) {
      assertNull(s.stepNanos());
      s.forward(in, a);
      t.forward(in, b);
      long[] nanos = t.stepNanos();
      assertEquals(plan.steps().size(), nanos.length);
      for (long n : nanos) assertTrue(n > 0, "every step timed");
      long[] once = nanos.clone();
      t.forward(in, b);
      for (int i = 0; i < nanos.length; i++) assertTrue(nanos[i] > once[i], "times add up over calls");
    }
    assertArrayEquals(a[0], b[0], "timing changes no result");
  }

  private static int count(String s, String part) {
    int n = 0;
    for (int i = s.indexOf(part); i >= 0; i = s.indexOf(part, i + 1)) n++;
    return n;
  }
}

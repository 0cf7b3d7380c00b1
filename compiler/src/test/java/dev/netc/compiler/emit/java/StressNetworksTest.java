package dev.netc.compiler.emit.java;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.netc.compiler.Compilation;
import dev.netc.compiler.Compiler;
import dev.netc.compiler.diag.Code;
import dev.netc.compiler.diag.UserError;
import dev.netc.compiler.ir.Graph;
import dev.netc.compiler.opt.Pipeline;
import dev.netc.compiler.plan.Plan;
import dev.netc.compiler.plan.Planner;
import java.nio.file.Path;
import java.util.Arrays;
import org.junit.jupiter.api.Test;

/**
 * Networks at the sizes where Java's limits bite: thousands of layers (a method holds at most 64 KiB of bytecode,
 * so fields, constants and calls are split into holders and parts), labels near the path limit (generated names
 * and weight-name constants), and activations beyond one Java array (a plain NET023, not an overflow).
 */
class StressNetworksTest {
  private static Compilation compile(String text) {
    return Compiler.compile(Compiler.Options.text(Path.of("stress.net"), text));
  }

  /** Compiles the network to a loaded class, runs one forward on zeros and returns the output. */
  private static float[] run(String text, int outputFloats) {
    Graph g = compile(text).graphs().getFirst();
    Plan plan = Planner.plan(Pipeline.run(g));
    CompiledNetwork net = CompiledNetwork.compile(plan, EmitOptions.of(g.name(), text, "test"));
    float[] out = new float[outputFloats];
    try (NetworkSession s = net.newSession(net.randomWeights(3), 1, 1)) {
      float[] in = new float[4 * 4 * 4];
      Arrays.fill(in, 0.5f);
      s.forward(new float[][] {in}, new float[][] {out});
    }
    return out;
  }

  @Test
  void threeThousandConvolutionsCompileAndRun() {
    float[] out = run("network convs { input image: [4, 4, 4]; repeat 3000: conv(4, 1) }", 64);
    for (float v : out) assertTrue(Float.isFinite(v), Arrays.toString(out));
  }

  @Test
  void twoThousandResidualsCompileAndRun() {
    float[] out = run("network residuals { input image: [4, 4, 4]\n"
        + "  repeat 2000: residual { conv(4, 3, pad: 1); batchnorm; relu }\n}\n", 64);
    assertEquals(64, out.length);
  }

  @Test
  void holdersAreUsedOnlyBeyondTheInlineLimit() {
    Graph small = compile("network s { input image: [4, 4, 4]; repeat 200: conv(4, 1) }").graphs().getFirst();
    String inline = JavaEmitter.emit(Planner.plan(Pipeline.run(small)), EmitOptions.of("s", "", "t")).toString();
    assertTrue(!inline.contains("class Params0") && !inline.contains("runPart0"), "a 200-conv class has holders");
    Graph big = compile("network b { input image: [4, 4, 4]; repeat 600: conv(4, 1) }").graphs().getFirst();
    String split = JavaEmitter.emit(Planner.plan(Pipeline.run(big)), EmitOptions.of("b", "", "t")).toString();
    assertTrue(split.contains("class Params4") && split.contains("runPart1("), "600 convs: 5 holders, 2 parts");
  }

  @Test
  void aLabelOfFourThousandCharactersCompilesAndRuns() {
    String label = "l".repeat(4000);
    float[] out = run("network labels { input image: [4, 4, 4]; " + label + ": conv(4, 1); relu }", 64);
    assertEquals(64, out.length);
  }

  @Test
  void aLabelOfAMegabyteIsRefusedAtCheckTime() {
    String label = "x".repeat(1 << 20);
    UserError e = assertThrows(UserError.class,
        () -> compile("network labels { input image: [4, 4, 4]; " + label + ": conv(4, 1) }"));
    assertEquals(Code.NET023, e.diagnostics().getFirst().code());
    assertTrue(e.getMessage().contains("is 1048576 characters long, over the limit of 4096"), e.getMessage());
  }

  @Test
  void anArenaBeyondOneJavaArrayIsAPlainErrorAndTheReportStillWorks() {
    Compilation c = compile("network big {\n  input image: [1, 16384, 16384]\n  conv(4, 3, pad: 1)\n  relu\n"
        + "  conv(4, 3, pad: 1)\n}\n");
    Compilation.Network n = c.networks().getFirst();
    assertTrue(n.plan().batchedArena() > Integer.MAX_VALUE, "arena " + n.plan().batchedArena());
    assertTrue(n.report().toString().length() > 0);
    UserError e = assertThrows(UserError.class, n::java);
    assertEquals(Code.NET023, e.diagnostics().getFirst().code());
    assertEquals(2, e.diagnostics().getFirst().span().line(), "at the input");
    String message = e.diagnostics().getFirst().message();
    assertTrue(message.startsWith("network big: its plan keeps the activations of one item in an arena of "
        + String.format("%,d", n.plan().batchedArena() + n.plan().fixedArena()) + " floats"), message);
    assertTrue(message.contains("more than one Java float array holds (2,147,483,639)"), message);
  }
}

package dev.netc.compiler;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertSame;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.netc.compiler.diag.Code;
import dev.netc.compiler.diag.UserError;
import dev.netc.compiler.emit.java.CompiledNetwork;
import dev.netc.compiler.emit.java.EmitOptions;
import dev.netc.compiler.emit.java.NetworkSession;
import dev.netc.compiler.interp.Interpreter;
import dev.netc.compiler.interp.Weights;
import dev.netc.compiler.ir.Graph;
import dev.netc.compiler.ir.Input;
import dev.netc.compiler.ops.Value;
import dev.netc.runtime.Tensor;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import java.util.SplittableRandom;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** The facade: one entry point whose stages give what the stage classes give, each computed once. */
class CompilerTest {
  private static final String NET = """
      network small(width: int = 4) {
        input image: [3, 8, 8]
        conv1: conv(width, 3, pad: 1, bias: false)
        bn: batchnorm
        relu
        head logits { global_avgpool; flatten; fc: linear(2) }
      }

      network other {
        input x: [4]
        fc: linear(3)
      }
      """;

  private static Compiler.Options text() { return Compiler.Options.text(Path.of("small.net"), NET); }

  private static Compilation.Network small(Compiler.Options o) {
    return Compiler.compile(o.withNetwork("small")).networks().getFirst();
  }

  @Test
  void aFileAndTheSameTextCompileAlike(@TempDir Path dir) throws IOException {
    Path file = Files.writeString(dir.resolve("small.net"), NET);
    Compilation fromFile = Compiler.compile(file);
    Compilation fromText = Compiler.compile(text());
    assertEquals(List.of("small", "other"), fromFile.networks().stream().map(Compilation.Network::name).toList());
    assertEquals(NET, fromText.source());
    assertEquals(fromFile.networks().getFirst().java().toString(), fromText.networks().getFirst().java().toString());
  }

  @Test
  void eachStageRunsOnceAndIsKept() {
    Compilation.Network n = small(text());
    assertSame(n.plan(), n.plan());
    assertSame(n.java(), n.java());
    assertSame(n.report(), n.report());
    assertSame(n.plan().graph(), n.optimized());
    assertEquals(n.passes().getLast().graph(), n.optimized());
  }

  @Test
  void optionsReachTheEmittedClass() {
    Compilation.Network n = small(text().withPackage("com.example.nets").withCompilerVersion("9.9"));
    String java = n.java().toString();
    assertTrue(java.contains("\npackage com.example.nets;\n"), java);
    assertTrue(java.contains("COMPILER_VERSION = \"9.9\""), "the version recorded");
    assertTrue(java.contains("SOURCE_SHA256 = \"" + EmitOptions.sha256(NET) + "\""), "the source's hash");
  }

  @Test
  void parametersAndBatchApply() {
    Compilation.Network n = small(text().withParams(Map.of("width", new Value.Int(6))).withBatch(4));
    assertEquals(3 * 3 * 3 * 6 + 2 * 6 + 6 * 2 + 2, n.report().totals().params());
    assertEquals(4, n.report().batch());
    assertEquals(n.plan().arenaFloats(4) * 4, n.compiledStats().arenaBytes());
  }

  @Test
  void withoutOptimizationThePlanIsOfTheGraphAsWritten() {
    Compilation.Network off = small(text().withOptimize(false));
    Compilation.Network on = small(text());
    assertEquals(1, off.passes().size());
    assertSame(off.graph(), off.optimized());
    assertTrue(on.optimized().nodes().size() < on.graph().nodes().size(), "the batchnorm folds when optimizing");
    assertTrue(off.compiledStats().steps() > on.compiledStats().steps(),
        off.compiledStats() + " vs " + on.compiledStats());
    // Both compute the network's function: the interpreter's outputs on the same random weights.
    float[] want = interpret(on.graph());
    assertClose(want, forward(on.compiled(), on.graph()));
    assertClose(want, forward(off.compiled(), off.graph()));
  }

  @Test
  void resizedElaboratesTheLoadedProgramAgain() {
    Compilation.Network n = small(text());
    Compilation.Network big = n.resized(Map.of("image", List.of(3, 16, 16)));
    assertEquals("[3, 16, 16]", big.graph().node(big.graph().inputs().getFirst()).type().shape().toString());
    assertEquals(3 * 3 * 3 * 4 * 8 * 8 + 4 * 2, n.report().totals().macs());
    assertEquals(3 * 3 * 3 * 4 * 16 * 16 + 4 * 2, big.report().totals().macs(), "the conv's MACs grow with the area");
    assertEquals("[3, 8, 8]", n.graph().node(n.graph().inputs().getFirst()).type().shape().toString(), "unchanged");
  }

  @Test
  void userMistakesAreDiagnostics() {
    UserError noSuch = assertThrows(UserError.class, () -> Compiler.compile(text().withNetwork("smal")));
    assertEquals(Code.NET026, noSuch.diagnostics().getFirst().code());
    assertTrue(noSuch.getMessage().contains("did you mean 'small'?"), noSuch.getMessage());
    UserError param = assertThrows(UserError.class,
        () -> Compiler.compile(text().withNetwork("small").withParams(Map.of("widht", new Value.Int(2)))));
    assertEquals(Code.NET011, param.diagnostics().getFirst().code());
    UserError missing = assertThrows(UserError.class, () -> Compiler.compile(Path.of("no/such.net")));
    assertEquals(Code.NET019, missing.diagnostics().getFirst().code());
    assertThrows(IllegalArgumentException.class, () -> text().withBatch(0));
  }

  @Test
  void aNetworkThatCannotTakeASizeSaysSo() {
    String net = "network fixed {\n  input x: [4, 4]\n  r: reshape(16)\n  fc: linear(2)\n}\n";
    Compilation.Network n = Compiler.compile(Compiler.Options.text(Path.of("fixed.net"), net)).networks().getFirst();
    assertEquals("[4, 4]", n.graph().node(n.graph().inputs().getFirst()).type().shape().toString());
    UserError e = assertThrows(UserError.class, () -> n.resized(Map.of("x", List.of(4, 5))));
    assertTrue(e.getMessage().startsWith("fixed.net:3:"), e.getMessage());
  }

  private static float[] input(Graph g) {
    SplittableRandom r = new SplittableRandom(7);
    float[] x = new float[Math.toIntExact(g.node(g.inputs().getFirst()).type().elements(1))];
    for (int i = 0; i < x.length; i++) x[i] = (float) r.nextDouble(-1, 1);
    return x;
  }

  private static float[] interpret(Graph g) {
    Input in = (Input) g.node(g.inputs().getFirst()).op();
    Tensor x = Tensor.of(input(g), 1, 3, 8, 8);
    return new Interpreter(g, Weights.random(g, 5)).run(Map.of(in.inputName(), x)).values().iterator().next().data();
  }

  private static float[] forward(CompiledNetwork net, Graph g) {
    float[][] out = {new float[2]};
    try (NetworkSession s = net.newSession(net.randomWeights(5), 1, 1)) {
      s.forward(new float[][] {input(g)}, out);
    }
    return out[0];
  }

  private static void assertClose(float[] want, float[] got) {
    assertEquals(want.length, got.length);
    for (int i = 0; i < want.length; i++) {
      assertEquals(want[i], got[i], 1e-4 + 1e-4 * Math.abs(want[i]), "output " + i);
    }
  }
}

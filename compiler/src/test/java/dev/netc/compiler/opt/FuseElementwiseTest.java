package dev.netc.compiler.opt;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertSame;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.netc.compiler.Compiler;
import dev.netc.compiler.interp.Interpreter;
import dev.netc.compiler.interp.Weights;
import dev.netc.compiler.ir.ElementwiseChain;
import dev.netc.compiler.ir.Graph;
import dev.netc.compiler.ir.Node;
import dev.netc.runtime.Tensor;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import java.util.Random;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** {@link FuseElementwise}: which runs become chains, which do not, idempotence, and unchanged outputs. */
class FuseElementwiseTest {
  @TempDir Path dir;

  /** A DenseNet-like transition (batchnorm and relu after a concat) and a pooled gate (scale, sigmoid). */
  private static final String NET = """
      network net {
        input x: [4, 6, 6]
        a: conv(8, 1)
        mix: concat { conv(4, 1); [avgpool(3, stride: 1, pad: 1), conv(4, 1)] }
        norm: batchnorm
        relu
        conv(8, 3, pad: 1)
        maxpool(2)
        scale(0.5, shift: 1.0)
        sigmoid
        relu6
        head out { global_avgpool; flatten }
      }
      """;

  private Graph compile(String text) throws IOException {
    Path f = dir.resolve("t.net");
    Files.writeString(f, text);
    return Compiler.compile(f).graphs().getFirst();
  }

  private static List<ElementwiseChain> chains(Graph g) {
    return g.nodes().stream().map(Node::op).filter(o -> o instanceof ElementwiseChain)
        .map(o -> (ElementwiseChain) o).toList();
  }

  @Test
  void runsAfterNonFusableProducersBecomeOneChainEach() throws IOException {
    Graph before = Pipeline.run(compile(NET));
    List<ElementwiseChain> chains = chains(before);
    assertEquals(2, chains.size(), () -> dev.netc.compiler.plan.PlanPrinter.print(before));
    assertEquals("batchnorm + relu", chains.get(0).describe());
    assertEquals("scale x0.5 + 1.0 + sigmoid + relu6", chains.get(1).describe());
    // The chain carries the batchnorm's tensors under the batchnorm's own names.
    Node norm = before.nodes().stream().filter(n -> n.op() == chains.getFirst()).findFirst().orElseThrow();
    assertTrue(norm.params().stream().allMatch(p -> p.name().startsWith("norm.")), norm.params().toString());
    Graph written = compile(NET);
    assertEquals(written.nodes().stream().filter(n -> n.path().equals("norm")).findFirst().orElseThrow().params(),
        norm.params());
  }

  /** Squeeze-and-excitation: the gate's product, the residual sum and the activation become one chain. */
  private static final String SE = """
      network se {
        input x: [16, 6, 6]
        residual {
          conv(16, 3, pad: 1, bias: false); batchnorm
          gate { global_avgpool; conv(4, 1); relu; conv(16, 1); sigmoid }
        }
        relu
        head out { global_avgpool; flatten }
      }
      """;

  @Test
  void gatesAndResidualSumsJoinTheChainWithTheirOtherTensors() throws IOException {
    Graph g = compile(SE);
    Graph opt = Pipeline.run(g);
    Node chain = opt.nodes().stream().filter(n -> n.op() instanceof ElementwiseChain).findFirst()
        .orElseThrow(() -> new AssertionError(dev.netc.compiler.plan.PlanPrinter.print(opt)));
    assertEquals("mul + add + relu", chain.op().describe());
    // x, then the gate (one value per channel), then the shortcut (the block's input)
    assertEquals(3, chain.inputs().size());
    assertEquals("[N, 16, 1, 1]", opt.node(chain.inputs().get(1)).type().toString());
    assertEquals("x", opt.node(chain.inputs().get(2)).path());
    assertSame(opt, FuseElementwise.run(opt));
    Weights w = Weights.random(g, 9);
    float[] x = new float[16 * 36];
    Random r = new Random(4);
    for (int i = 0; i < x.length; i++) x[i] = (float) r.nextGaussian();
    Map<String, Tensor> in = Map.of("x", Tensor.of(x, 1, 16, 6, 6));
    assertArrayEquals(new Interpreter(g, w).run(in).get("out").data(), new Interpreter(opt, w).run(in).get("out").data());
  }

  @Test
  void twoGatedBranchesShareTheirProductOnce() throws IOException {
    // WaveNet's gated unit, tanh(a) * sigmoid(b), on a tensor no kernel produced: both activations lead into the
    // one product, which joins the first run only.
    Graph g = compile("""
        network n {
          input x: [8, 16]
          sigmoid -> b
          @x; tanh; mul(@b)
          head out { flatten }
        }
        """);
    Graph opt = Pipeline.run(g);
    assertEquals(List.of("sigmoid + mul"), chains(opt).stream().map(ElementwiseChain::describe).toList());
    assertSame(opt, FuseElementwise.run(opt));
  }

  @Test
  void isIdempotentAndLeavesOtherGraphsAlone() throws IOException {
    Graph once = Pipeline.run(compile(NET));
    assertSame(once, FuseElementwise.run(once));
    // conv → batchnorm → relu is the epilogue's, not a chain; a single activation after a pool is no run.
    Graph plain = Pipeline.run(compile("network n { input x: [3, 8, 8]; conv(4, 3); batchnorm; relu; maxpool(2); relu }"));
    assertEquals(List.of(), chains(plain));
    assertSame(plain, FuseElementwise.run(plain));
  }

  @Test
  void aLinkReadTwiceEndsTheRun() throws IOException {
    Graph g = Pipeline.run(compile("""
        network n {
          input x: [4, 4, 4]
          maxpool(2)
          sigmoid -> t
          relu
          head a { flatten }
          head b { @t; flatten }
        }
        """));
    assertEquals(List.of(), chains(g));
  }

  @Test
  void chainsComputeWhatTheirLinksComputed() throws IOException {
    Graph g = compile(NET);
    Graph opt = Pipeline.run(g);
    Weights w = Weights.random(g, 5);
    float[] x = new float[2 * 4 * 6 * 6];
    Random r = new Random(3);
    for (int i = 0; i < x.length; i++) x[i] = (float) r.nextGaussian();
    Map<String, Tensor> in = Map.of("x", Tensor.of(x, 2, 4, 6, 6));
    assertArrayEquals(new Interpreter(g, w).run(in).get("out").data(), new Interpreter(opt, w).run(in).get("out").data());
  }
}

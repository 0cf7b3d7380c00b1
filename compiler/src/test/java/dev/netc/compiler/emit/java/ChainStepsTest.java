package dev.netc.compiler.emit.java;

import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.netc.compiler.ir.ElementwiseChain;
import dev.netc.compiler.ir.Graph;
import dev.netc.compiler.opt.Pipeline;
import org.junit.jupiter.api.Test;

/**
 * Generated elementwise chains against the interpreter at batch 1 and 3: a batchnorm with its activation (the
 * runtime's per-channel affine), a batchnorm between other links (the generated per-channel loop), and a chain of
 * constant links after a blocked producer (the generated loop over the whole buffer, in the blocked layout).
 */
class ChainStepsTest {
  private static final String NET = """
      network net {
        input x: [5, 7, 7]
        a: conv(20, 3, pad: 1)
        mix: concat { conv(16, 1); [avgpool(3, stride: 1, pad: 1), conv(6, 1)] }
        batchnorm
        relu
        p: maxpool(2)
        s: scale(2.0, shift: -0.5)
        leaky_relu(0.2)
        batchnorm
        hardswish
        conv(18, 1) -> c
        add(@c)
        sigmoid
        scale(3.0)
        head out { global_avgpool; flatten }
      }
      """;

  /** A squeeze-and-excitation gate, the residual sum and the activation: a chain reading two more tensors. */
  private static final String SE = """
      network se {
        input x: [20, 5, 5]
        residual {
          conv(20, 3, pad: 1, bias: false); batchnorm
          gate { global_avgpool; conv(5, 1); relu; conv(20, 1); sigmoid }
        }
        relu
        head out { global_avgpool; flatten }
      }
      """;

  @Test
  void gatedResidualChainsEqualTheInterpreter() {
    Graph g = Generated.graph(SE);
    assertTrue(Pipeline.run(g).nodes().stream().anyMatch(n -> n.op() instanceof ElementwiseChain c && c.arity() == 3));
    for (int batch : new int[] {1, 2}) Generated.checkAgainstInterpreter("gated chain, batch " + batch, g, batch, 3);
  }

  @Test
  void generatedChainsEqualTheInterpreter() {
    Graph g = Generated.graph(NET);
    long chains = Pipeline.run(g).nodes().stream().filter(n -> n.op() instanceof ElementwiseChain).count();
    assertTrue(chains >= 3, "expected three chains, got " + chains);
    for (int batch : new int[] {1, 3}) Generated.checkAgainstInterpreter("chains, batch " + batch, g, batch, 7);
  }
}

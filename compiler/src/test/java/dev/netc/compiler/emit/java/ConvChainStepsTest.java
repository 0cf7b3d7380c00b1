package dev.netc.compiler.emit.java;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.netc.compiler.ir.Graph;
import dev.netc.compiler.opt.Pipeline;
import dev.netc.compiler.plan.Plan;
import dev.netc.compiler.plan.Planner;
import dev.netc.runtime.Tensor;
import java.util.Map;
import org.junit.jupiter.api.Test;

/**
 * A depthwise convolution between 1x1 ones, each the only reader of the one before, runs as one {@code ConvChain}
 * call: with an expansion and a residual, without an expansion at stride 2, with one at stride 2, and with channel
 * counts that leave blocks part empty. The generated network matches the interpreter, and bit for bit its profiling
 * build, which runs every layer on its own; where a middle tensor has a second reader there is no chain.
 */
class ConvChainStepsTest {
  static final String BLOCKS = """
      network blocks {
        input x: [3, 19, 21]
        stem: conv(24, 3, pad: 1); relu
        b1: residual {
          conv(144, 1, bias: false); batchnorm; relu6
          conv(144, 3, pad: 1, groups: 144, bias: false); batchnorm; relu6
          conv(24, 1, bias: false); batchnorm
        }
        b2: seq {
          conv(24, 3, stride: 2, pad: 1, groups: 24, bias: false); batchnorm; relu6
          conv(40, 1, bias: false); batchnorm
        }
        b3: seq {
          conv(88, 1); relu6
          conv(88, 3, stride: 2, pad: 1, groups: 88); relu6
          conv(20, 1)
        }
        global_avgpool; flatten; fc: linear(5)
      }
      """;

  /**
   * The depthwise layer's output is read by two 1x1 layers: it must be written, so it chains with neither (with one
   * reader, the expansion, the depthwise layer and {@code p} would chain).
   */
  static final String SHARED = """
      network shared {
        input x: [16, 12, 12]
        conv(16, 3, pad: 1)
        conv(64, 1); relu6
        conv(64, 3, pad: 1, groups: 64); relu6 -> d
        p: conv(16, 1) -> pout
        @d
        q: conv(16, 1)
        add(@pout)
        global_avgpool; flatten; fc: linear(3)
      }
      """;

  @Test
  void invertedResidualsRunAsChainsAndComputeTheLayers() {
    Graph g = Generated.graph(BLOCKS);
    CompiledNetwork net = Generated.compile(g);
    String source = net.source().toString();
    assertEquals(3, count(source, "ConvChain.of("), source);
    assertEquals(3, count(source, "Chain.run("));
    for (int batch : new int[] {1, 3}) {
      Generated.checkAgainstInterpreter("blocks, batch " + batch, g, batch, 11);
    }
    Plan plan = Planner.plan(Pipeline.run(g));
    EmitOptions options = EmitOptions.of(g.name(), "test", "test");
    CompiledNetwork profiled = CompiledNetwork.compileProfiled(plan, options);
    assertFalse(profiled.source().toString().contains("ConvChain"), "a profiling build times each layer");
    Map<String, Tensor> inputs = Generated.inputs(g, 3, 6);
    for (int threads : new int[] {1, 2}) {
      float[][] chained = run(net, net.randomWeights(5), g, 3, threads, inputs);
      float[][] layers = run(profiled, profiled.randomWeights(5), g, 3, threads, inputs);
      assertArrayEquals(layers[0], chained[0], "chains against layers, " + threads + " threads");
    }
  }

  @Test
  void aMiddleTensorReadTwiceChainsNothing() {
    Graph g = Generated.graph(SHARED);
    String source = Generated.compile(g).source().toString();
    assertFalse(source.contains("ConvChain"), source);
    Generated.checkAgainstInterpreter("shared", g, 2, 3);
    String single = SHARED.replace("  @d\n  q: conv(16, 1)\n  add(@pout)\n", "");
    assertFalse(single.equals(SHARED));
    assertTrue(Generated.compile(Generated.graph(single)).source().toString().contains("ConvChain.of("),
        "with one reader the same layers chain");
  }

  private static float[][] run(CompiledNetwork net, Object model, Graph g, int batch, int threads,
      Map<String, Tensor> inputs) {
    return Generated.sideBySide("false", () -> Generated.run(net, model, g, batch, threads, inputs));
  }

  private static int count(String s, String part) {
    int n = 0;
    for (int i = s.indexOf(part); i >= 0; i = s.indexOf(part, i + 1)) n++;
    return n;
  }
}

package dev.netc.compiler.opt;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertSame;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.netc.compiler.Compiler;
import dev.netc.compiler.analysis.Totals;
import dev.netc.compiler.ir.Activation;
import dev.netc.compiler.ir.Fused;
import dev.netc.compiler.ir.Graph;
import dev.netc.compiler.ir.Node;
import dev.netc.compiler.ir.Param;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class PipelineTest {
  @TempDir Path dir;

  private static final String RESNET_BLOCKS = """
      block BasicBlock(planes: int, stride: int = 1) {
        residual {
          conv1: conv(planes, 3, stride: stride, pad: 1, bias: false)
          bn1: batchnorm
          relu
          conv2: conv(planes, 3, pad: 1, bias: false)
          bn2: batchnorm
        } shortcut when (stride != 1 or in.channels != planes) {
          downsample: [conv(planes, 1, stride: stride, bias: false), batchnorm]
        }
        relu
      }
      network net {
        input x: [16, 8, 8]
        b0: BasicBlock(16)
        b1: BasicBlock(32, stride: 2)
        head out { global_avgpool; flatten; dropout(0.2); fc: linear(4) }
      }
      """;

  private Graph compile(String text) throws IOException {
    Path f = dir.resolve("t.net");
    Files.writeString(f, text);
    return Compiler.compile(f).graphs().getFirst();
  }

  private static Node node(Graph g, String path) {
    return g.nodes().stream().filter(n -> n.path().equals(path)).findFirst().orElseThrow(() -> new AssertionError(path));
  }

  @Test
  void residualBlocksBecomeThreeKernelsEach() throws IOException {
    Graph g = compile(RESNET_BLOCKS);
    Graph opt = Pipeline.run(g);
    // b0: conv1(+bn1+relu), conv2(+bn2+add+relu). b1 adds the fused projection downsample.0(+bn).
    Fused c1 = (Fused) node(opt, "b0.conv1").op();
    assertTrue(c1.norm() != null && c1.act().kind() == Activation.Kind.RELU && !c1.residual());
    Fused c2 = (Fused) node(opt, "b1.conv2").op();
    assertTrue(c2.norm() != null && c2.residual() && c2.act().kind() == Activation.Kind.RELU, c2.describe());
    Fused proj = (Fused) node(opt, "b1.downsample.0").op();
    assertTrue(proj.norm() != null && proj.act() == null && !proj.residual());
    // The residual input of b1.conv2 is the projection, computed before it in the new order.
    Node b1c2 = node(opt, "b1.conv2");
    assertEquals("b1.downsample.0", opt.node(b1c2.inputs().get(1)).path());
    assertTrue(opt.nodes().stream().noneMatch(n -> n.path().endsWith(".add") || n.op().name().equals("dropout")));
    // Tensor names survive fusion: the folded BN's names ride on the conv node.
    List<String> names = node(opt, "b0.conv1").params().stream().map(Param::name).toList();
    assertEquals(List.of("b0.conv1.weight", "b0.bn1.weight", "b0.bn1.bias", "b0.bn1.running_mean", "b0.bn1.running_var",
        "b0.bn1.num_batches_tracked"), names);
  }

  @Test
  void optimizationKeepsParamsMacsAndOutputs() throws IOException {
    Graph g = compile(RESNET_BLOCKS);
    Graph opt = Pipeline.run(g);
    Totals before = Totals.of(g, 1), after = Totals.of(opt, 1);
    assertEquals(before.params(), after.params());
    assertEquals(before.buffers(), after.buffers());
    assertEquals(before.macs(), after.macs());
    assertTrue(after.otherOps() < before.otherOps(), "folded batchnorms cost nothing at run time");
    assertEquals(g.outputs().size(), opt.outputs().size());
    assertEquals(g.node(g.outputs().getFirst().node()).type(), opt.node(opt.outputs().getFirst().node()).type());
  }

  @Test
  void passesAreIdempotent() throws IOException {
    Graph opt = Pipeline.run(compile(RESNET_BLOCKS));
    for (Pipeline.Pass p : Pipeline.PASSES) assertSame(opt, p.run().apply(opt), p.name() + " changed an optimized graph");
  }

  @Test
  void deadBranchesGo() throws IOException {
    Graph g = compile("""
        network net {
          input x: [4, 8, 8]
          conv(4, 3, pad: 1) -> a
          unused: conv(8, 1)
          @a
          relu
        }
        """);
    Graph opt = EliminateDeadCode.run(g);
    assertTrue(opt.nodes().stream().noneMatch(n -> n.path().equals("unused")));
    assertEquals(g.nodes().size() - 1, opt.nodes().size());
    // The network still declares the dead layer's tensors (its weights files hold them), through every later pass.
    assertEquals(List.of("unused.weight", "unused.bias"), opt.detached().stream().map(Param::name).toList());
    assertEquals(opt.detached(), Pipeline.run(g).detached());
  }

  @Test
  void batchnormAfterAShareIsNotFolded() throws IOException {
    // The conv's output is read twice: folding would change what the second reader sees.
    Graph g = compile("""
        network net {
          input x: [4, 8, 8]
          conv(4, 3, pad: 1) -> c
          batchnorm
          add(@c)
        }
        """);
    Graph opt = FoldBatchNorm.run(g);
    assertSame(g, opt);
  }
}

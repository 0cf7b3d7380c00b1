package dev.netc.compiler.sema;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;

import dev.netc.compiler.Compiler;
import dev.netc.compiler.diag.Diagnostic;
import dev.netc.compiler.diag.UserError;
import dev.netc.compiler.ir.Graph;
import dev.netc.compiler.ir.Node;
import dev.netc.compiler.ir.Param;
import java.nio.file.Path;
import java.util.List;
import org.junit.jupiter.api.Test;

/** {@code self: layer}: a layer named by the path of the block call or sequence it is in. */
class SelfLabelTest {
  private static final String LAYER_NORM_2D = """
      block LayerNorm2d(eps: float = 1e-6) {
        permute(0, 2, 3, 1)
        self: layernorm(eps: eps)
        permute(0, 3, 1, 2)
      }
      """;

  private static Graph graph(String text) {
    return Compiler.compile(Compiler.Options.text(Path.of("t.net"), text)).graphs().getFirst();
  }

  private static List<Diagnostic> errors(String text) {
    return assertThrows(UserError.class, () -> Compiler.compile(Compiler.Options.text(Path.of("t.net"), text)))
        .diagnostics();
  }

  @Test
  void theLayerTakesTheCallsPathAndTheCallKeepsItsPosition() {
    Graph g = graph(LAYER_NORM_2D + """
        network n {
          input x: [8, 5, 5]
          features: seq { [conv(16, 2, stride: 2), LayerNorm2d]; [LayerNorm2d, conv(32, 1)] }
        }
        """);
    assertEquals(List.of("features.0.0.weight", "features.0.0.bias", "features.0.1.weight", "features.0.1.bias",
        "features.1.0.weight", "features.1.0.bias", "features.1.1.weight", "features.1.1.bias"),
        g.params().stream().map(Param::name).toList());
    List<String> paths = g.nodes().stream().map(Node::path).toList();
    assertEquals(List.of("x", "features.0.0", "features.0.1.0", "features.0.1", "features.0.1.2", "features.1.0.0",
        "features.1.0", "features.1.0.2", "features.1.1"), paths);
  }

  @Test
  void inASequenceToo() {
    Graph g = graph("""
        network n {
          input x: [4, 6]
          norm: seq { transpose(1, 2); self: layernorm; transpose(1, 2) }
        }
        """);
    assertEquals(List.of("norm.weight", "norm.bias"), g.params().stream().map(Param::name).toList());
  }

  @Test
  void notAtTheTopLevelOfANetwork() {
    List<Diagnostic> d = errors("""
        network n {
          input x: [4, 6]
          self: layernorm
        }
        """);
    assertEquals(1, d.size());
    assertEquals("t.net:3:9: error[NET025]: 'self' names a layer by the path of the block call or sequence it is "
        + "in; at the top level of network n there is none: give the layer a name", d.getFirst().headline());
  }

  @Test
  void oncePerScope() {
    List<Diagnostic> d = errors("""
        network n {
          input x: [4, 6]
          norm: seq { self: layernorm; self: layernorm }
        }
        """);
    assertEquals(1, d.size());
    assertEquals("t.net:3:38: error[NET016]: two layers are labeled 'self' in 'norm' in network n: only one layer "
        + "can take the scope's own name", d.getFirst().headline());
    assertEquals("t.net:3:21", d.getFirst().notes().getFirst().span().location());
  }
}

package dev.netc.compiler.sema;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;

import dev.netc.compiler.Compiler;
import dev.netc.compiler.diag.Diagnostic;
import dev.netc.compiler.diag.Source;
import dev.netc.compiler.diag.UserError;
import dev.netc.compiler.ir.Graph;
import dev.netc.compiler.ir.Param;
import dev.netc.compiler.syntax.Formatter;
import java.nio.file.Path;
import java.util.List;
import org.junit.jupiter.api.Test;

/** Quoted labels: PyTorch module names that are no words ({@code "block1-0"}), with {@code {expr}}s filled in. */
class QuotedLabelTest {
  private static final String NET = """
      block Unit(c: int) {
        "conv-a": conv(c, 1)
        relu
      }

      block Stage(index: int, depth: int, c: int) {
        repeat depth as i { "block{index}-{i}": Unit(c) }
      }

      network quoted {
        input x: [3, 8, 8]
        let name = "stem"
        "{name}": conv(4, 3, pad: 1)
        trunk: seq { repeat 2 as s { "block{s + 1}": Stage(s + 1, s + 1, 4) } }
        "fc\\"x": seq { global_avgpool; flatten; linear(2) }
      }
      """;

  private static Graph compile(String text) {
    return Compiler.compile(Compiler.Options.text(Path.of("t.net"), text)).graphs().getFirst();
  }

  private static List<Diagnostic> errors(String text) {
    return assertThrows(UserError.class, () -> compile(text)).diagnostics();
  }

  @Test
  void aQuotedLabelNamesItsLayerWithItsExpressionsFilledIn() {
    List<String> names = compile(NET).params().stream().map(Param::name).filter(n -> n.endsWith("weight")).toList();
    assertEquals(List.of("stem.weight", "trunk.block1.block1-0.conv-a.weight", "trunk.block2.block2-0.conv-a.weight",
        "trunk.block2.block2-1.conv-a.weight", "fc\"x.2.weight"), names);
  }

  @Test
  void aQuotedLabelWithoutExpressionsIsTheSameNameAsAWord() {
    List<Diagnostic> d = errors("""
        network n {
          input x: [3, 8, 8]
          conv1: conv(4, 3)
          "conv1": conv(4, 3)
        }
        """);
    assertEquals(List.of("t.net:4:12: error[NET016]: two layers are named 'conv1' in network n"),
        d.stream().map(Diagnostic::headline).toList());
  }

  @Test
  void anExpressionInALabelIsParsedWhereItStands() {
    List<Diagnostic> d = errors("""
        network n {
          input x: [3, 8, 8]
          "a{1 +}": conv(4, 3)
        }
        """);
    assertEquals(1, d.size());
    assertEquals("t.net:3:9: error[NET001]: expected an expression, found '}'", d.getFirst().headline());
    d = errors("""
        network n {
          input x: [3, 8, 8]
          "a{zz}": conv(4, 3)
        }
        """);
    assertEquals("t.net:3:6: error[NET010]: unknown name 'zz'", d.getFirst().headline());
  }

  @Test
  void aLabelThatNamesNoSingleLayerIsRefused() {
    List<Diagnostic> d = errors("""
        network n {
          input x: [3, 8, 8]
          let part = "a.b"
          "x{part}": conv(4, 3)
        }
        """);
    assertEquals(List.of("t.net:4:3: error[NET022]: label \"xa.b\" contains '.', which separates the parts of a "
        + "layer's path: a label names one layer, like \"block1-0\""), d.stream().map(Diagnostic::headline).toList());
  }

  @Test
  void escapedBracesAreTextOfTheName() {
    String text = "network n {\n  input x: [3, 8, 8]\n  \"w\\{0\\}-{1 + 1}\": conv(4, 3)\n}\n";
    assertEquals("w{0}-2.weight", compile(text).params().getFirst().name());
  }

  @Test
  void fmtKeepsAQuotedLabelAsWritten() {
    String text = "network n {\n  input x: [3, 8, 8]\n  \"block{ 1+1 }-0\":conv(4, 3)\n}\n";
    String formatted = Formatter.format(new Source(Path.of("t.net"), text));
    assertEquals("network n {\n  input x: [3, 8, 8]\n  \"block{ 1+1 }-0\": conv(4, 3)\n}\n", formatted);
    assertEquals(formatted, Formatter.format(new Source(Path.of("t.net"), formatted)));
    assertEquals("block2-0.weight", compile(formatted).params().getFirst().name());
  }
}

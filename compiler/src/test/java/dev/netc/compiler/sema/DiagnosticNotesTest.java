package dev.netc.compiler.sema;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertThrows;

import dev.netc.compiler.Compiler;
import dev.netc.compiler.diag.Diagnostic;
import dev.netc.compiler.diag.DiagnosticRenderer;
import dev.netc.compiler.diag.UserError;
import java.nio.file.Path;
import java.util.List;
import org.junit.jupiter.api.Test;

/** The whole text of the messages the expectation corpus can only check in part: notes, and what is left out. */
class DiagnosticNotesTest {
  private static List<Diagnostic> errors(String text) {
    return assertThrows(UserError.class, () -> Compiler.compile(Compiler.Options.text(Path.of("t.net"), text)))
        .diagnostics();
  }

  @Test
  void aDuplicateLayerPointsAtTheFirstDeclaration() {
    List<Diagnostic> d = errors("""
        network n {
          input x: [3, 8, 8]
          conv1: conv(4, 3)
          conv1: conv(4, 3)
        }
        """);
    assertEquals(1, d.size());
    assertEquals("t.net:4:10: error[NET016]: two layers are named 'conv1' in network n", d.getFirst().headline());
    assertEquals(1, d.getFirst().notes().size());
    Diagnostic.Note note = d.getFirst().notes().getFirst();
    assertEquals("first declared here", note.message());
    assertEquals("t.net:3:10", note.span().location());
  }

  @Test
  void theDuplicateHeadNoteShowsItsLocationOnce() {
    List<Diagnostic> d = errors("""
        network n {
          input x: [3, 8, 8]
          head out { flatten }
          head out { flatten }
        }
        """);
    String shown = new DiagnosticRenderer(false).render(d.getFirst());
    assertEquals(1, shown.split("t\\.net:3:8", -1).length - 1, shown);
    assertEquals("first head 'out' is declared here", d.getFirst().notes().getFirst().message());
  }

  @Test
  void suggestionsAreOnlyCloseNames() {
    List<String> ops = List.of("lstm", "mean", "max", "pad", "relu", "silu", "conv", "stride");
    assertNull(Suggest.closest("prod", ops), "prod is two edits from pad");
    assertNull(Suggest.closest("sigm", ops), "sigm is two edits from silu");
    assertNull(Suggest.closest("sum", List.of("lstm", "mean")), "the issue's case: sum is not lstm");
    assertNull(Suggest.closest("max", List.of("mean")), "nor max mean");
    assertEquals("relu", Suggest.closest("rellu", ops));
    assertEquals("max", Suggest.closest("maxx", ops));
    assertEquals("stride", Suggest.closest("strid", ops));
    assertEquals("conv", Suggest.closest("cnv", ops));
  }

  @Test
  void anUnknownOpInABranchIsTheOnlyError() {
    List<Diagnostic> d = errors("""
        network n {
          input x: [3, 8, 8]
          concat { conv(4, 1); prod }
        }
        """);
    assertEquals(List.of("t.net:3:24: error[NET010]: unknown op or block 'prod'"),
        d.stream().map(Diagnostic::headline).toList());
  }
}

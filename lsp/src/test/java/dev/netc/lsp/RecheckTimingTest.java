package dev.netc.lsp;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Arrays;
import java.util.List;
import org.eclipse.lsp4j.Position;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * How long re-checking a 2,000-line file takes once the JVM is warm: the analysis alone (parse, elaborate, shape
 * check), and through the protocol (an edit to its diagnostics, the debounce set to zero). Prints the medians; it
 * asserts only that the results are right, never a time (that depends on the machine).
 */
class RecheckTimingTest {
  static final int STAGES = 180;

  /** A network of {@code STAGES} stages of convolutions and residual blocks: 2,000 lines, about 4,000 layers. */
  static String bigFile() {
    StringBuilder b = new StringBuilder("""
        # A large generated network for timing the language server.
        block ConvBnRelu(ch: int, stride: int = 1) {
          conv(ch, 3, stride: stride, pad: 1, bias: false)
          batchnorm
          relu
        }

        block Res(ch: int) {
          residual {
            a: ConvBnRelu(ch)
            b: conv(ch, 3, pad: 1, bias: false)
            bn: batchnorm
          }
          relu
        }

        network big {
          input image: [3, 64, 64]
          stem: conv(32, 3, pad: 1)
        """);
    for (int k = 0; k < STAGES; k++) {
      b.append("  s").append(k).append(": stage {\n")
          .append("    c1: conv(32, 3, pad: 1, bias: false)\n")
          .append("    bn1: batchnorm\n")
          .append("    relu\n")
          .append("    r1: Res(32)\n")
          .append("    c2: conv(32, 1)\n")
          .append("    bn2: batchnorm\n")
          .append("    relu\n")
          .append("    r2: Res(32)\n")
          .append("  }\n\n");
    }
    return b.append("  head logits { global_avgpool; flatten; fc: linear(10) }\n}\n").toString();
  }

  @TempDir Path dir;

  @Test
  void recheckA2000LineFile() throws Exception {
    String text = bigFile();
    int lines = (int) text.lines().count();
    assertTrue(lines >= 2000, "the file has " + lines + " lines");
    Path file = dir.resolve("big.net");
    Files.writeString(file, text);
    Workspace.Doc doc = new Workspace.Doc(Workspace.uri(file), file, 1, text);

    // The analysis the server runs after each edit.
    long[] analysis = new long[30];
    int layers = 0;
    for (int i = -20; i < analysis.length; i++) {
      long t0 = System.nanoTime();
      Analysis a = Analysis.run(doc, Analyzer.COMPILER);
      long t = System.nanoTime() - t0;
      assertTrue(a.compilation != null, () -> a.diagnostics.toString());
      layers = a.compilation.networks().getFirst().graph().nodes().size();
      if (i >= 0) analysis[i] = t;
    }

    // The same through the protocol: an edit, then its diagnostics (no debounce), then a hover (the report).
    String uri = Workspace.uri(file);
    long[] roundTrip = new long[20];
    long[] hover = new long[20];
    long[] hints = new long[20];
    try (LspSession s = new LspSession(new NetcLanguageServer(Analyzer.COMPILER, 0))) {
      com.google.gson.JsonObject options = new com.google.gson.JsonObject();
      options.addProperty("inlayHints", true);
      s.initialize(options);
      s.open(uri, text);
      assertEquals(List.of(), s.diagnostics(uri, 1).getDiagnostics());
      Position p = LspSession.at(text, "r2: Res", STAGES / 2, 0);
      for (int i = -10; i < roundTrip.length; i++) {
        int version = i + 100;
        String edited = text.replace("stem: conv(32,", "stem: conv(" + (32 + (i & 1)) + ",");
        long t0 = System.nanoTime();
        s.change(uri, version, edited);
        assertEquals(List.of(), s.diagnostics(uri, version).getDiagnostics());
        long t1 = System.nanoTime();
        String h = ProtocolTest.hover(s, uri, p);
        long t2 = System.nanoTime();
        assertTrue(h.contains("params: 18,560"), h); // two blocks of (9,216 + 64) params each
        var all = new org.eclipse.lsp4j.InlayHintParams(LspSession.id(uri), new org.eclipse.lsp4j.Range(
            new Position(0, 0), new Position(lines + 1, 0)));
        int count = s.server.getTextDocumentService().inlayHint(all).get(60, java.util.concurrent.TimeUnit.SECONDS)
            .size();
        long t3 = System.nanoTime();
        assertEquals(1 + 9 * STAGES + 3 + 8, count); // stem, each stage and its 8 layers, the head, the 2 blocks
        if (i >= 0) {
          roundTrip[i] = t1 - t0;
          hover[i] = t2 - t1;
          hints[i] = t3 - t2;
        }
      }
    }
    System.out.printf("recheck of a %d-line file (%d layers), warm, median of %d: analysis %.1f ms; edit to"
        + " diagnostics over JSON-RPC %.1f ms (debounce 0; the server waits %d ms after the last keystroke); first"
        + " hover after an edit (report and layer index) %.1f ms; then inlay hints for the whole file %.1f ms%n", lines,
        layers, analysis.length, median(analysis), median(roundTrip), NetcLanguageServer.DEBOUNCE_MILLIS,
        median(hover), median(hints));
  }

  static double median(long[] nanos) {
    long[] s = nanos.clone();
    Arrays.sort(s);
    return s[s.length / 2] / 1e6;
  }
}

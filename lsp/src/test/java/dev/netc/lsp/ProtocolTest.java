package dev.netc.lsp;

import static dev.netc.lsp.LspSession.at;
import static dev.netc.lsp.LspSession.id;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.google.gson.JsonObject;
import com.google.gson.JsonParser;
import dev.netc.compiler.diag.Source;
import dev.netc.compiler.syntax.Formatter;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.TimeUnit;
import java.util.stream.Collectors;
import org.eclipse.lsp4j.CompletionItem;
import org.eclipse.lsp4j.CompletionParams;
import org.eclipse.lsp4j.DefinitionParams;
import org.eclipse.lsp4j.Diagnostic;
import org.eclipse.lsp4j.DiagnosticSeverity;
import org.eclipse.lsp4j.DocumentFormattingParams;
import org.eclipse.lsp4j.DocumentSymbol;
import org.eclipse.lsp4j.DocumentSymbolParams;
import org.eclipse.lsp4j.FormattingOptions;
import org.eclipse.lsp4j.Hover;
import org.eclipse.lsp4j.HoverParams;
import org.eclipse.lsp4j.InitializeResult;
import org.eclipse.lsp4j.InlayHint;
import org.eclipse.lsp4j.InlayHintParams;
import org.eclipse.lsp4j.Location;
import org.eclipse.lsp4j.Position;
import org.eclipse.lsp4j.PublishDiagnosticsParams;
import org.eclipse.lsp4j.Range;
import org.eclipse.lsp4j.TextEdit;
import org.eclipse.lsp4j.jsonrpc.ResponseErrorException;
import org.eclipse.lsp4j.jsonrpc.messages.ResponseErrorCode;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** The server driven through the protocol, as an editor drives it, over a JSON-RPC connection. */
class ProtocolTest {
  static final String BLOCKS = """
      # A convolution, a batchnorm and a relu.
      block Unit(ch: int, k: int = 3) {
        conv(ch, k, pad: k // 2)
        batchnorm
        relu
      }
      """;

  static final String MAIN = """
      import "blocks.net"

      network tiny {
        input x: [3, 32, 32]
        c1: conv(16, 3, pad: 1) -> skip
        relu
        u: Unit(16)
        conv2d(16, 3, pad: 1)
        add(@skip)
        head out { global_avgpool; flatten; fc: linear(10) }
      }
      """;

  static final String FIXED = MAIN.replace("conv2d(", "conv(");

  @TempDir Path dir;

  private String write(String name, String text) throws Exception {
    Path p = dir.resolve(name);
    Files.writeString(p, text);
    return Workspace.uri(p);
  }

  @Test
  void anEditorSession() throws Exception {
    write("blocks.net", BLOCKS);
    String uri = write("main.net", FIXED);
    try (LspSession s = new LspSession(new NetcLanguageServer(Analyzer.COMPILER, 20))) {
      JsonObject options = new JsonObject();
      options.addProperty("inlayHints", true);
      InitializeResult init = s.initialize(options);
      assertEquals("netc", init.getServerInfo().getName());
      assertTrue(init.getCapabilities().getHoverProvider().getLeft());

      // A document with an unknown op: one error, on the op's name.
      s.open(uri, MAIN);
      PublishDiagnosticsParams d = s.diagnostics(uri, 1);
      List<Diagnostic> errors = d.getDiagnostics();
      assertEquals(1, errors.size(), errors.toString());
      Diagnostic e = errors.getFirst();
      assertEquals(DiagnosticSeverity.Error, e.getSeverity());
      assertEquals("NET010", e.getCode().getLeft());
      assertEquals(new Range(at(MAIN, "conv2d", 0, 0), at(MAIN, "conv2d", 0, 6)), e.getRange());
      assertTrue(message(e).contains("conv2d"), message(e));

      // Typing fixes it (an incremental edit deleting "2d"): the diagnostics are cleared.
      s.edit(uri, 2, new Range(at(MAIN, "conv2d", 0, 4), at(MAIN, "conv2d", 0, 6)), "");
      assertEquals(List.of(), s.diagnostics(uri, 2).getDiagnostics());

      // A syntax error gets its range too, and goes away again.
      String broken = FIXED.replace("conv(16, 3, pad: 1) ->", "conv(16, 3,, pad: 1) ->");
      s.change(uri, 3, broken);
      List<Diagnostic> syntax = s.diagnostics(uri, 3).getDiagnostics();
      assertFalse(syntax.isEmpty());
      assertEquals("NET001", syntax.getFirst().getCode().getLeft());
      assertEquals(new Range(at(broken, ",,", 0, 1), at(broken, ",,", 0, 2)), syntax.getFirst().getRange());
      s.change(uri, 4, FIXED);
      assertEquals(List.of(), s.diagnostics(uri, 4).getDiagnostics());

      var docs = s.server.getTextDocumentService();
      // Hover on a layer: output shape, parameters, MACs, receptive field.
      String h = hover(s, uri, at(FIXED, "c1:", 0, 0));
      assertTrue(h.contains("output: `[1, 16, 32, 32]`"), h);
      assertTrue(h.contains("params: 448"), h);           // 16 * 3 * 3 * 3 + 16
      assertTrue(h.contains("MACs: 442,368 (442.37K)"), h); // 16 * 32 * 32 * 27
      assertTrue(h.contains("receptive field: 3 (stride 1)"), h);
      // On a block call: the block's layers together; on the op name: its signature from the catalogue.
      String u = hover(s, uri, at(FIXED, "u: Unit", 0, 0));
      assertTrue(u.contains("(3 layers)") && u.contains("params: 2,352"), u); // conv 2,320 + batchnorm 32
      String op = hover(s, uri, at(FIXED, "conv(16", 0, 1));
      assertTrue(op.contains("conv(out, kernel, "), op);
      assertTrue(hover(s, uri, at(FIXED, "Unit(16)", 0, 1)).contains("block Unit(ch: int, k: int = 3)"));
      assertTrue(hover(s, uri, at(FIXED, "Unit(16)", 0, 1)).contains("A convolution, a batchnorm and a relu."));

      // Definitions: a block in an imported file, the import itself, a tensor.
      Location unit = definition(s, uri, at(FIXED, "Unit(16)", 0, 2));
      assertEquals(Workspace.uri(dir.resolve("blocks.net")), unit.getUri());
      assertEquals(new Range(at(BLOCKS, "Unit", 0, 0), at(BLOCKS, "Unit", 0, 4)), unit.getRange());
      assertEquals(Workspace.uri(dir.resolve("blocks.net")), definition(s, uri, at(FIXED, "\"blocks", 0, 3)).getUri());
      Location skip = definition(s, uri, at(FIXED, "@skip", 0, 2));
      assertEquals(new Range(at(FIXED, "skip", 0, 0), at(FIXED, "skip", 0, 4)), skip.getRange());

      // Formatting is netc fmt.
      String messy = FIXED.replace("  relu\n", "     relu;\n").replace("conv(16, 3, pad: 1) ->", "conv( 16,3 , pad:1 )  ->");
      s.change(uri, 5, messy);
      List<? extends TextEdit> edits = docs.formatting(new DocumentFormattingParams(id(uri),
          new FormattingOptions(2, true))).get(30, TimeUnit.SECONDS);
      assertEquals(1, edits.size());
      assertEquals(Formatter.format(new Source(dir.resolve("main.net"), messy)), edits.getFirst().getNewText());
      assertEquals(FIXED, edits.getFirst().getNewText());
      s.change(uri, 6, FIXED);
      assertTrue(docs.formatting(new DocumentFormattingParams(id(uri), new FormattingOptions(2, true)))
          .get(30, TimeUnit.SECONDS).isEmpty());

      // Completion: argument names in an op's parentheses, tensors after @, layers at a statement.
      List<String> args = complete(s, uri, at(FIXED, "pad: 1)", 0, 0));
      assertTrue(args.containsAll(List.of("stride", "dilation", "groups", "bias", "conv", "Unit")), args.toString());
      List<String> blockArgs = complete(s, uri, at(FIXED, "Unit(16)", 0, 5));
      assertTrue(blockArgs.containsAll(List.of("ch", "k")), blockArgs.toString());
      assertTrue(complete(s, uri, at(FIXED, "skip)", 0, 0)).containsAll(List.of("skip", "x", "in")));
      List<String> layers = complete(s, uri, at(FIXED, "relu\n", 0, 0));
      assertTrue(layers.containsAll(List.of("conv", "batchnorm", "Unit", "stage", "residual")), layers.toString());

      // The outline: the network with its input, labeled layers and head.
      List<DocumentSymbol> symbols = docs.documentSymbol(new DocumentSymbolParams(id(uri))).get(30, TimeUnit.SECONDS)
          .stream().map(x -> x.getRight()).toList();
      assertEquals(List.of("tiny"), symbols.stream().map(DocumentSymbol::getName).toList());
      assertEquals(List.of("x", "c1", "u", "out"), symbols.getFirst().getChildren().stream()
          .map(DocumentSymbol::getName).toList());

      // Inlay hints (asked for in the initialization options): the output shape after each layer.
      List<InlayHint> hints = docs.inlayHint(new InlayHintParams(id(uri), new Range(new Position(0, 0),
          new Position(100, 0)))).get(30, TimeUnit.SECONDS);
      InlayHint first = hints.stream().filter(x -> x.getPosition().equals(at(FIXED, " -> skip", 0, 0))).findFirst()
          .orElseThrow(() -> new AssertionError(hints.toString()));
      assertEquals("→ [1, 16, 32, 32]", first.getLabel().getLeft());
      // c1, relu, u, conv, add, then the head's three layers.
      assertEquals(List.of("[1, 16, 32, 32]", "[1, 16, 32, 32]", "[1, 16, 32, 32]", "[1, 16, 32, 32]",
          "[1, 16, 32, 32]", "[1, 16, 1, 1]", "[1, 16]", "[1, 10]"), hints.stream()
          .map(x -> x.getLabel().getLeft().substring(2)).toList());

      // Malformed messages: the server answers (or drops) them and goes on.
      s.sendRaw("{this is not json");
      s.sendRaw("{\"jsonrpc\": \"2.0\", \"id\": 900, \"method\": \"textDocument/hover\", \"params\": 17}");
      ResponseErrorException noPosition = error(s.endpoint.request("textDocument/hover",
          json("{\"textDocument\": {\"uri\": \"" + uri + "\"}}")));
      assertEquals(ResponseErrorCode.InvalidParams.getValue(), noPosition.getResponseError().getCode());
      ResponseErrorException wrongType = error(s.endpoint.request("textDocument/definition", json("{\"x\": [1]}")));
      assertEquals(ResponseErrorCode.InvalidParams.getValue(), wrongType.getResponseError().getCode());
      ResponseErrorException unknown = error(s.endpoint.request("netc/nonsense", json("{}")));
      assertEquals(ResponseErrorCode.MethodNotFound.getValue(), unknown.getResponseError().getCode());
      ResponseErrorException notOpen = error(docs.hover(new HoverParams(id("file:///nowhere.net"), new Position(0, 0))));
      assertTrue(notOpen.getMessage().contains("not open"), notOpen.getMessage());
      assertTrue(hover(s, uri, at(FIXED, "c1:", 0, 0)).contains("params: 448"));

      // An error inside the imported file, once it is saved: shown at the call that leads to it.
      assertEquals(List.of(), s.diagnostics(uri, 6).getDiagnostics());
      String blocksUri = write("blocks.net", BLOCKS.replace("pad: k // 2", "pad: k // 2, bogus: 1"));
      s.server.getTextDocumentService().didSave(new org.eclipse.lsp4j.DidSaveTextDocumentParams(id(blocksUri)));
      List<Diagnostic> imported = s.diagnostics(uri).getDiagnostics();
      assertEquals(1, imported.size(), imported.toString());
      assertEquals(new Range(at(FIXED, "Unit(16)", 0, 0), at(FIXED, "Unit(16)", 0, 4)), imported.getFirst().getRange());
      assertTrue(message(imported.getFirst()).startsWith("in " + dir.resolve("blocks.net") + ":3:"),
          message(imported.getFirst()));
      assertTrue(message(imported.getFirst()).contains("bogus"), message(imported.getFirst()));
      assertEquals(blocksUri, imported.getFirst().getRelatedInformation().getFirst().getLocation().getUri());

      s.server.shutdown().get(30, TimeUnit.SECONDS);
      s.server.exit();
      assertEquals(0, s.exitCode.get(30, TimeUnit.SECONDS));
    }
  }

  /** An analysis that crashes (a compiler bug) is reported as a diagnostic; the server goes on. */
  @Test
  void aCrashingAnalysisIsReportedAndSurvived() throws Exception {
    String uri = write("crash.net", FIXED);
    write("blocks.net", BLOCKS);
    Analyzer crashing = (file, text) -> {
      if (text.contains("CRASH")) throw new InternalError("simulated compiler bug");
      if (text.contains("DEEP")) throw new StackOverflowError();
      return Analyzer.COMPILER.compile(file, text);
    };
    try (LspSession s = new LspSession(new NetcLanguageServer(crashing, 0))) {
      s.initialize(null);
      s.open(uri, FIXED + "# CRASH\n");
      List<Diagnostic> d = s.diagnostics(uri, 1).getDiagnostics();
      assertEquals(1, d.size());
      assertTrue(message(d.getFirst()).contains("internal error") && message(d.getFirst())
          .contains("simulated compiler bug"), d.toString());
      assertNull(hover(s, uri, at(FIXED, "c1:", 0, 0)));
      s.change(uri, 2, FIXED + "# DEEP\n");
      assertTrue(message(s.diagnostics(uri, 2).getDiagnostics().getFirst()).contains("StackOverflowError"));
      s.change(uri, 3, FIXED);
      assertEquals(List.of(), s.diagnostics(uri, 3).getDiagnostics());
      assertTrue(hover(s, uri, at(FIXED, "c1:", 0, 0)).contains("params: 448"));
      synchronized (s.log) {
        assertTrue(s.log.stream().anyMatch(m -> m.contains("simulated compiler bug")), s.log.toString());
      }
      // Without a shutdown request first, exit means a failure exit code.
      s.server.exit();
      assertEquals(1, s.exitCode.get(30, TimeUnit.SECONDS));
    }
  }

  /** Inlay hints are off unless asked for. */
  @Test
  void inlayHintsAreOffByDefault() throws Exception {
    write("blocks.net", BLOCKS);
    String uri = write("main.net", FIXED);
    try (LspSession s = new LspSession(new NetcLanguageServer(Analyzer.COMPILER, 0))) {
      s.initialize(null);
      s.open(uri, FIXED);
      assertEquals(List.of(), s.diagnostics(uri, 1).getDiagnostics());
      InlayHintParams all = new InlayHintParams(id(uri), new Range(new Position(0, 0), new Position(100, 0)));
      assertEquals(List.of(), s.server.getTextDocumentService().inlayHint(all).get(30, TimeUnit.SECONDS));
      // The editor's setting turns them on.
      s.server.getWorkspaceService().didChangeConfiguration(new org.eclipse.lsp4j.DidChangeConfigurationParams(
          json("{\"netc\": {\"inlayHints\": true}}")));
      assertEquals(8, s.server.getTextDocumentService().inlayHint(all).get(30, TimeUnit.SECONDS).size());
      s.server.shutdown().get(30, TimeUnit.SECONDS);
      s.server.exit();
      assertEquals(0, s.exitCode.get(30, TimeUnit.SECONDS));
    }
  }

  static String hover(LspSession s, String uri, Position p) throws Exception {
    Hover h = s.server.getTextDocumentService().hover(new HoverParams(id(uri), p)).get(30, TimeUnit.SECONDS);
    return h == null ? null : h.getContents().getRight().getValue();
  }

  static Location definition(LspSession s, String uri, Position p) throws Exception {
    var r = s.server.getTextDocumentService().definition(new DefinitionParams(id(uri), p)).get(30, TimeUnit.SECONDS);
    List<? extends Location> l = r.getLeft();
    assertEquals(1, l.size(), l.toString());
    return l.getFirst();
  }

  static List<String> complete(LspSession s, String uri, Position p) throws Exception {
    var r = s.server.getTextDocumentService().completion(new CompletionParams(id(uri), p)).get(30, TimeUnit.SECONDS);
    return r.getLeft().stream().map(CompletionItem::getLabel).collect(Collectors.toList());
  }

  static ResponseErrorException error(CompletableFuture<?> f) throws Exception {
    try {
      f.get(30, TimeUnit.SECONDS);
    } catch (ExecutionException e) {
      assertNotNull(e.getCause());
      if (e.getCause() instanceof ResponseErrorException r) return r;
      throw e;
    }
    throw new AssertionError("expected an error response");
  }

  static String message(Diagnostic d) { return d.getMessage().getLeft(); }

  static JsonObject json(String s) { return JsonParser.parseString(s).getAsJsonObject(); }
}

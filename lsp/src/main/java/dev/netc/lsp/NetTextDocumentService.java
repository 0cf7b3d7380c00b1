package dev.netc.lsp;

import dev.netc.compiler.diag.Source;
import dev.netc.compiler.diag.UserError;
import dev.netc.compiler.syntax.Ast;
import dev.netc.compiler.syntax.Formatter;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.ScheduledFuture;
import java.util.concurrent.ThreadFactory;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.function.Supplier;
import org.eclipse.lsp4j.CompletionItem;
import org.eclipse.lsp4j.CompletionList;
import org.eclipse.lsp4j.CompletionParams;
import org.eclipse.lsp4j.DefinitionParams;
import org.eclipse.lsp4j.DidChangeTextDocumentParams;
import org.eclipse.lsp4j.DidCloseTextDocumentParams;
import org.eclipse.lsp4j.DidOpenTextDocumentParams;
import org.eclipse.lsp4j.DidSaveTextDocumentParams;
import org.eclipse.lsp4j.DocumentFormattingParams;
import org.eclipse.lsp4j.DocumentSymbol;
import org.eclipse.lsp4j.DocumentSymbolParams;
import org.eclipse.lsp4j.Hover;
import org.eclipse.lsp4j.HoverParams;
import org.eclipse.lsp4j.InlayHint;
import org.eclipse.lsp4j.InlayHintParams;
import org.eclipse.lsp4j.Location;
import org.eclipse.lsp4j.LocationLink;
import org.eclipse.lsp4j.MessageParams;
import org.eclipse.lsp4j.MessageType;
import org.eclipse.lsp4j.PublishDiagnosticsParams;
import org.eclipse.lsp4j.SymbolInformation;
import org.eclipse.lsp4j.TextDocumentContentChangeEvent;
import org.eclipse.lsp4j.TextDocumentIdentifier;
import org.eclipse.lsp4j.TextEdit;
import org.eclipse.lsp4j.jsonrpc.ResponseErrorException;
import org.eclipse.lsp4j.jsonrpc.messages.Either;
import org.eclipse.lsp4j.jsonrpc.messages.ResponseError;
import org.eclipse.lsp4j.jsonrpc.messages.ResponseErrorCode;
import org.eclipse.lsp4j.services.LanguageClient;
import org.eclipse.lsp4j.services.TextDocumentService;

/**
 * The documents the editor has open, their analyses, and the requests on them. Each change schedules an analysis
 * of the new text after a quiet period (the debounce), on one thread with a large stack (deeply nested programs
 * elaborate recursively); a newer change cancels a scheduled one. Requests that need the analysis wait for the one
 * of the current text; the others read the text itself. Nothing a request or an analysis throws escapes: the
 * client gets an error response or a diagnostic, and the server goes on.
 */
final class NetTextDocumentService implements TextDocumentService {
  private final NetcLanguageServer server;
  private final Workspace workspace;
  private final Analyzer analyzer;
  private final long debounceMillis;
  private final ScheduledExecutorService analysis = Executors.newSingleThreadScheduledExecutor(
      threads("netc-analysis"));
  private final ExecutorService requests = Executors.newFixedThreadPool(2, threads("netc-request"));
  private final Map<Path, Pending> pending = new ConcurrentHashMap<>();
  private final Map<Path, Analysis> latest = new ConcurrentHashMap<>();
  private final Map<Path, Ast.File> lastParsed = new ConcurrentHashMap<>();

  /** The analysis of a document's newest version: scheduled, running or done. */
  private record Pending(Workspace.Doc doc, CompletableFuture<Analysis> result, ScheduledFuture<?> task) {}

  NetTextDocumentService(NetcLanguageServer server, Workspace workspace, Analyzer analyzer, long debounceMillis) {
    this.server = server;
    this.workspace = workspace;
    this.analyzer = analyzer;
    this.debounceMillis = debounceMillis;
  }

  private static ThreadFactory threads(String name) {
    AtomicInteger n = new AtomicInteger();
    return r -> {
      Thread t = new Thread(null, r, name + "-" + n.incrementAndGet(), 512L << 20);
      t.setDaemon(true);
      return t;
    };
  }

  void stop() {
    analysis.shutdownNow();
    requests.shutdownNow();
  }

  // ---- document sync ----

  @Override
  public void didOpen(DidOpenTextDocumentParams params) {
    guard("didOpen", () -> {
      var d = params.getTextDocument();
      schedule(workspace.put(d.getUri(), d.getVersion(), d.getText()), 0);
    });
  }

  @Override
  public void didChange(DidChangeTextDocumentParams params) {
    guard("didChange", () -> {
      String uri = params.getTextDocument().getUri();
      Workspace.Doc doc = workspace.get(uri);
      if (doc == null) return;
      String text = doc.text;
      for (TextDocumentContentChangeEvent c : params.getContentChanges()) text = apply(text, c);
      Integer version = params.getTextDocument().getVersion();
      schedule(workspace.put(uri, version == null ? doc.version + 1 : version, text), debounceMillis);
    });
  }

  static String apply(String text, TextDocumentContentChangeEvent c) {
    if (c.getRange() == null) return c.getText();
    LineMap lines = new LineMap(text);
    int start = lines.offset(c.getRange().getStart());
    int end = Math.max(start, lines.offset(c.getRange().getEnd()));
    return text.substring(0, start) + c.getText() + text.substring(end);
  }

  @Override
  public void didClose(DidCloseTextDocumentParams params) {
    guard("didClose", () -> {
      String uri = params.getTextDocument().getUri();
      Workspace.Doc doc = workspace.remove(uri);
      if (doc == null) return;
      Pending p = pending.remove(doc.path);
      if (p != null) p.task().cancel(false);
      latest.remove(doc.path);
      lastParsed.remove(doc.path);
      LanguageClient client = server.client();
      if (client != null) client.publishDiagnostics(new PublishDiagnosticsParams(uri, List.of()));
    });
  }

  @Override
  public void didSave(DidSaveTextDocumentParams params) {
    // Other open files may import the saved one, and the compiler reads imports from disk: check them again.
    guard("didSave", () -> {
      Path saved = Workspace.path(params.getTextDocument().getUri());
      for (Workspace.Doc d : workspace.openDocs()) if (!d.path.equals(saved)) schedule(d, 0);
    });
  }

  private void schedule(Workspace.Doc doc, long delayMillis) {
    CompletableFuture<Analysis> result = new CompletableFuture<>();
    ScheduledFuture<?> task = analysis.schedule(() -> analyze(doc, result), delayMillis, TimeUnit.MILLISECONDS);
    Pending old = pending.put(doc.path, new Pending(doc, result, task));
    if (old != null) {
      old.task().cancel(false);
      // Whoever waited for the older text gets the newer analysis (a no-op if the older one already finished).
      result.whenComplete((a, e) -> {
        if (a != null) old.result().complete(a);
        else old.result().completeExceptionally(e);
      });
    }
  }

  private void analyze(Workspace.Doc doc, CompletableFuture<Analysis> result) {
    try {
      Analysis a = Analysis.run(doc, analyzer);
      if (workspace.openAt(doc.path) == null) {
        result.complete(a);
        return;
      }
      latest.put(doc.path, a);
      Ast.File ast = a.ast();
      if (ast != null) lastParsed.put(doc.path, ast);
      Workspace.Doc current = workspace.openAt(doc.path);
      LanguageClient client = server.client();
      if (client != null && current != null && current.version == doc.version) {
        client.publishDiagnostics(new PublishDiagnosticsParams(doc.uri, DiagnosticMapper.map(a, doc.index()),
            doc.version));
        if (a.crash != null) {
          client.logMessage(new MessageParams(MessageType.Error, "netc: checking " + doc.uri
              + " failed with an internal error (a bug in netc): " + stackTrace(a.crash)));
        }
      }
      result.complete(a);
    } catch (Throwable e) {
      result.completeExceptionally(e);
      server.log(MessageType.Error, "netc: analysis of " + doc.uri + " failed: " + stackTrace(e));
    }
  }

  /** The analysis of the document's current text (waits for a scheduled one). */
  private CompletableFuture<Analysis> current(TextDocumentIdentifier id) {
    Workspace.Doc doc = doc(id);
    Pending p = pending.get(doc.path);
    if (p == null) throw invalid("document " + id.getUri() + " is not open");
    return p.result();
  }

  /** The latest analysis of every document, for diagnostics checks in tests. */
  Analysis latest(String uri) { return latest.get(Workspace.path(uri)); }

  // ---- requests ----

  @Override
  public CompletableFuture<Hover> hover(HoverParams params) {
    return after("hover", () -> current(params.getTextDocument()), a -> {
      Workspace.Doc doc = a.doc;
      FileIndex index = doc.index();
      int offset = index.lines().offset(params.getPosition());
      return Hovers.hover(index, workspace.closure(index), compiled(doc, a), offset);
    });
  }

  @Override
  public CompletableFuture<Either<List<CompletionItem>, CompletionList>> completion(CompletionParams params) {
    return async("completion", () -> {
      Workspace.Doc doc = doc(params.getTextDocument());
      FileIndex index = doc.index();
      int offset = index.lines().offset(params.getPosition());
      return Either.forLeft(Completions.complete(index, workspace.closure(index), offset));
    });
  }

  @Override
  public CompletableFuture<Either<List<? extends Location>, List<? extends LocationLink>>> definition(
      DefinitionParams params) {
    return async("definition", () -> {
      Workspace.Doc doc = doc(params.getTextDocument());
      FileIndex index = doc.index();
      int offset = index.lines().offset(params.getPosition());
      return Either.forLeft(Definitions.definition(index, workspace.closure(index), offset));
    });
  }

  @Override
  public CompletableFuture<List<? extends TextEdit>> formatting(DocumentFormattingParams params) {
    return async("formatting", () -> {
      Workspace.Doc doc = doc(params.getTextDocument());
      String formatted;
      try {
        formatted = Formatter.format(new Source(doc.path, doc.text));
      } catch (UserError e) {
        // The syntax errors are already shown as diagnostics; formatting leaves the text as it is.
        server.log(MessageType.Info, "netc: not formatting " + doc.uri + ": " + e.getMessage());
        return List.of();
      }
      if (formatted.equals(doc.text)) return List.of();
      return List.of(new TextEdit(doc.index().lines().all(), formatted));
    });
  }

  @Override
  public CompletableFuture<List<Either<SymbolInformation, DocumentSymbol>>> documentSymbol(
      DocumentSymbolParams params) {
    return after("documentSymbol", () -> current(params.getTextDocument()), a -> {
      Ast.File ast = a.ast();
      if (ast == null) ast = lastParsed.get(a.path());
      if (ast == null) return List.of();
      List<Either<SymbolInformation, DocumentSymbol>> out = new ArrayList<>();
      for (DocumentSymbol s : Symbols.of(ast, a.doc.index().lines())) out.add(Either.forRight(s));
      return out;
    });
  }

  @Override
  public CompletableFuture<List<InlayHint>> inlayHint(InlayHintParams params) {
    if (!server.inlayHints()) return CompletableFuture.completedFuture(List.of());
    return after("inlayHint", () -> current(params.getTextDocument()), a -> {
      LineMap lines = a.doc.index().lines();
      if (params.getRange() == null) throw new IllegalArgumentException("range is missing");
      int from = lines.offset(params.getRange().getStart());
      int to = lines.offset(params.getRange().getEnd());
      return InlayHints.of(compiled(a.doc, a), lines, from, to);
    });
  }

  /**
   * The compiled programs that hold this document's text: its own compilation, and those of other open documents
   * that import it (so a file of blocks shows the layers of the networks that use them).
   */
  private List<Hovers.Compiled> compiled(Workspace.Doc doc, Analysis own) {
    List<Hovers.Compiled> out = new ArrayList<>();
    if (own.compilation != null) out.add(new Hovers.Compiled(own.ast(), own.layers()));
    for (Analysis other : latest.values()) {
      if (other == own || other.path().equals(doc.path)) continue;
      Ast.File f = other.loaded(doc.path, doc.text);
      if (f != null) out.add(new Hovers.Compiled(f, other.layers()));
    }
    return out;
  }

  private Workspace.Doc doc(TextDocumentIdentifier id) {
    if (id == null || id.getUri() == null) throw invalid("textDocument is missing");
    Workspace.Doc doc = workspace.get(id.getUri());
    if (doc == null) throw invalid("document " + id.getUri() + " is not open");
    return doc;
  }

  // ---- never let a failure escape ----

  private <T> CompletableFuture<T> async(String what, Supplier<T> work) {
    return CompletableFuture.supplyAsync(() -> guarded(what, work), requests);
  }

  private <T> CompletableFuture<T> after(String what, Supplier<CompletableFuture<Analysis>> analysis,
      java.util.function.Function<Analysis, T> work) {
    CompletableFuture<Analysis> a;
    try {
      a = analysis.get();
    } catch (Throwable e) {
      return CompletableFuture.failedFuture(asResponse(what, e));
    }
    return a.thenApplyAsync(x -> guarded(what, () -> work.apply(x)), requests);
  }

  private <T> T guarded(String what, Supplier<T> work) {
    try {
      return work.get();
    } catch (Throwable e) {
      throw asResponse(what, e);
    }
  }

  private ResponseErrorException asResponse(String what, Throwable e) {
    if (e instanceof ResponseErrorException r) return r;
    boolean bad = e instanceof IllegalArgumentException;
    if (!bad) server.log(MessageType.Error, "netc: " + what + " failed: " + stackTrace(e));
    return new ResponseErrorException(new ResponseError(bad ? ResponseErrorCode.InvalidParams
        : ResponseErrorCode.InternalError, "netc: " + what + " failed: " + e, null));
  }

  private static ResponseErrorException invalid(String message) {
    return new ResponseErrorException(new ResponseError(ResponseErrorCode.InvalidParams, message, null));
  }

  private void guard(String what, Runnable r) {
    try {
      r.run();
    } catch (Throwable e) {
      server.log(MessageType.Error, "netc: " + what + " failed: " + stackTrace(e));
    }
  }

  static String stackTrace(Throwable e) {
    var w = new java.io.StringWriter();
    e.printStackTrace(new java.io.PrintWriter(w));
    return w.toString();
  }
}

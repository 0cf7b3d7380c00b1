package dev.netc.lsp;

import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.nio.channels.Channels;
import java.nio.channels.Pipe;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.BlockingQueue;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.LinkedBlockingQueue;
import java.util.concurrent.TimeUnit;
import org.eclipse.lsp4j.ClientCapabilities;
import org.eclipse.lsp4j.DidChangeTextDocumentParams;
import org.eclipse.lsp4j.DidOpenTextDocumentParams;
import org.eclipse.lsp4j.InitializeParams;
import org.eclipse.lsp4j.InitializeResult;
import org.eclipse.lsp4j.InitializedParams;
import org.eclipse.lsp4j.MessageActionItem;
import org.eclipse.lsp4j.MessageParams;
import org.eclipse.lsp4j.Position;
import org.eclipse.lsp4j.PublishDiagnosticsParams;
import org.eclipse.lsp4j.ShowMessageRequestParams;
import org.eclipse.lsp4j.TextDocumentContentChangeEvent;
import org.eclipse.lsp4j.TextDocumentIdentifier;
import org.eclipse.lsp4j.TextDocumentItem;
import org.eclipse.lsp4j.VersionedTextDocumentIdentifier;
import org.eclipse.lsp4j.jsonrpc.Launcher;
import org.eclipse.lsp4j.launch.LSPLauncher;
import org.eclipse.lsp4j.services.LanguageClient;
import org.eclipse.lsp4j.services.LanguageServer;

/**
 * An editor in a test: the server runs as {@code netc lsp} does ({@link NetcLanguageServer#serve}) on one end of a
 * pair of pipes, and this client, LSP4J's own JSON-RPC launcher, talks to it on the other, as an editor would.
 */
final class LspSession implements AutoCloseable {
  final LanguageServer server;
  /** The raw JSON-RPC endpoint, for requests with parameters no typed call would send. */
  final org.eclipse.lsp4j.jsonrpc.Endpoint endpoint;
  final CompletableFuture<Integer> exitCode = new CompletableFuture<>();
  final List<String> log = new ArrayList<>();
  private final Map<String, BlockingQueue<PublishDiagnosticsParams>> diagnostics = new ConcurrentHashMap<>();
  private final OutputStream toServer;
  private final Thread serverThread;

  LspSession(NetcLanguageServer impl) throws IOException {
    Pipe up = Pipe.open();
    Pipe down = Pipe.open();
    InputStream serverIn = Channels.newInputStream(up.source());
    OutputStream serverOut = Channels.newOutputStream(down.sink());
    toServer = Channels.newOutputStream(up.sink());
    serverThread = new Thread(() -> {
      try {
        exitCode.complete(NetcLanguageServer.serve(impl, serverIn, serverOut));
      } catch (Throwable e) {
        exitCode.completeExceptionally(e);
      }
    }, "test-server");
    serverThread.setDaemon(true);
    serverThread.start();
    Launcher<LanguageServer> launcher = LSPLauncher.createClientLauncher(new Client(),
        Channels.newInputStream(down.source()), toServer);
    launcher.startListening();
    server = launcher.getRemoteProxy();
    endpoint = launcher.getRemoteEndpoint();
  }

  InitializeResult initialize(Object options) throws Exception {
    InitializeParams p = new InitializeParams();
    p.setCapabilities(new ClientCapabilities());
    p.setInitializationOptions(options);
    InitializeResult r = server.initialize(p).get(30, TimeUnit.SECONDS);
    server.initialized(new InitializedParams());
    return r;
  }

  void open(String uri, String text) {
    server.getTextDocumentService().didOpen(new DidOpenTextDocumentParams(new TextDocumentItem(uri, "netc", 1, text)));
  }

  /** Opens {@code uri} and requires its first diagnostics to be empty. */
  void openWithoutErrors(String uri, String text) throws InterruptedException {
    open(uri, text);
    List<?> found = diagnostics(uri, 1).getDiagnostics();
    if (!found.isEmpty()) throw new AssertionError(uri + ": expected no diagnostics, found " + found);
  }

  void change(String uri, int version, String text) {
    server.getTextDocumentService().didChange(new DidChangeTextDocumentParams(
        new VersionedTextDocumentIdentifier(uri, version), List.of(new TextDocumentContentChangeEvent(text))));
  }

  void edit(String uri, int version, org.eclipse.lsp4j.Range range, String text) {
    server.getTextDocumentService().didChange(new DidChangeTextDocumentParams(
        new VersionedTextDocumentIdentifier(uri, version), List.of(new TextDocumentContentChangeEvent(range, text))));
  }

  /** The next diagnostics published for {@code uri} (waits up to 30 s). */
  PublishDiagnosticsParams diagnostics(String uri) throws InterruptedException {
    PublishDiagnosticsParams p = queue(uri).poll(30, TimeUnit.SECONDS);
    if (p == null) throw new AssertionError("no diagnostics published for " + uri + " within 30 s");
    return p;
  }

  /** Diagnostics for {@code uri} until those of {@code version} arrive. */
  PublishDiagnosticsParams diagnostics(String uri, int version) throws InterruptedException {
    while (true) {
      PublishDiagnosticsParams p = diagnostics(uri);
      if (p.getVersion() != null && p.getVersion() == version) return p;
    }
  }

  private BlockingQueue<PublishDiagnosticsParams> queue(String uri) {
    return diagnostics.computeIfAbsent(uri, k -> new LinkedBlockingQueue<>());
  }

  static TextDocumentIdentifier id(String uri) { return new TextDocumentIdentifier(uri); }

  /** The position of the {@code nth} (0-based) occurrence of {@code needle} in {@code text}, plus {@code shift}. */
  static Position at(String text, String needle, int nth, int shift) {
    int i = -1;
    for (int k = 0; k <= nth; k++) {
      i = text.indexOf(needle, i + 1);
      if (i < 0) throw new AssertionError("'" + needle + "' occurs fewer than " + (nth + 1) + " times");
    }
    return position(text, i + shift);
  }

  static Position position(String text, int offset) {
    int line = 0, col = 0;
    for (int k = 0; k < offset; k++) {
      if (text.charAt(k) == '\n') {
        line++;
        col = 0;
      } else {
        col++;
      }
    }
    return new Position(line, col);
  }

  /** Writes bytes to the server as they are: for malformed messages no well-behaved client would send. */
  void sendRaw(String body) throws IOException {
    byte[] content = body.getBytes(StandardCharsets.UTF_8);
    byte[] header = ("Content-Length: " + content.length + "\r\n\r\n").getBytes(StandardCharsets.US_ASCII);
    synchronized (toServer) {
      toServer.write(header);
      toServer.write(content);
      toServer.flush();
    }
  }

  @Override
  public void close() {
    serverThread.interrupt();
  }

  private final class Client implements LanguageClient {
    @Override
    public void telemetryEvent(Object object) { }

    @Override
    public void publishDiagnostics(PublishDiagnosticsParams p) { queue(p.getUri()).add(p); }

    @Override
    public void showMessage(MessageParams m) { synchronized (log) { log.add(m.getMessage()); } }

    @Override
    public CompletableFuture<MessageActionItem> showMessageRequest(ShowMessageRequestParams r) {
      return CompletableFuture.completedFuture(null);
    }

    @Override
    public void logMessage(MessageParams m) { synchronized (log) { log.add(m.getMessage()); } }
  }
}

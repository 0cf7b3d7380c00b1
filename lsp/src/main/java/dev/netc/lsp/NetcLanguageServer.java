package dev.netc.lsp;

import com.google.gson.JsonElement;
import com.google.gson.JsonObject;
import dev.netc.compiler.Version;
import java.io.InputStream;
import java.io.OutputStream;
import java.util.List;
import java.util.concurrent.CancellationException;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import org.eclipse.lsp4j.CompletionOptions;
import org.eclipse.lsp4j.DidChangeConfigurationParams;
import org.eclipse.lsp4j.DidChangeWatchedFilesParams;
import org.eclipse.lsp4j.InitializeParams;
import org.eclipse.lsp4j.InitializeResult;
import org.eclipse.lsp4j.MessageParams;
import org.eclipse.lsp4j.MessageType;
import org.eclipse.lsp4j.SaveOptions;
import org.eclipse.lsp4j.ServerCapabilities;
import org.eclipse.lsp4j.ServerInfo;
import org.eclipse.lsp4j.TextDocumentSyncKind;
import org.eclipse.lsp4j.TextDocumentSyncOptions;
import org.eclipse.lsp4j.jsonrpc.Launcher;
import org.eclipse.lsp4j.launch.LSPLauncher;
import org.eclipse.lsp4j.services.LanguageClient;
import org.eclipse.lsp4j.services.LanguageClientAware;
import org.eclipse.lsp4j.services.LanguageServer;
import org.eclipse.lsp4j.services.TextDocumentService;
import org.eclipse.lsp4j.services.WorkspaceService;

/**
 * {@code netc lsp}: the Language Server Protocol server for {@code .net} files. It checks each open document as it
 * is edited (parse, imports, elaboration, shape checks, debounced) and publishes the diagnostics with their
 * ranges; hover shows what the report says of a layer and the catalogue of an op; it completes op, argument and
 * block names, goes to definitions, formats like {@code netc fmt}, outlines networks, blocks and stages, and shows
 * the output shape of each layer as an inlay hint when the client's initialization options say
 * {@code {"inlayHints": true}} (or its {@code netc.inlayHints} setting does).
 *
 * <pre>{@code
 * int exit = NetcLanguageServer.serve(System.in, System.out);   // until the client says exit
 * }</pre>
 */
public final class NetcLanguageServer implements LanguageServer, LanguageClientAware {
  /** How long the text must rest before it is checked again. */
  public static final long DEBOUNCE_MILLIS = 150;

  private final Workspace workspace = new Workspace();
  private final NetTextDocumentService documents;
  private final WorkspaceService workspaceService = new Settings();
  private final CompletableFuture<Integer> exit = new CompletableFuture<>();
  private volatile LanguageClient client;
  private volatile boolean shutdown;
  private volatile boolean inlayHints;

  public NetcLanguageServer() { this(Analyzer.COMPILER, DEBOUNCE_MILLIS); }

  NetcLanguageServer(Analyzer analyzer, long debounceMillis) {
    this.documents = new NetTextDocumentService(this, workspace, analyzer, debounceMillis);
  }

  /**
   * Serves one client over a pair of streams until it sends {@code exit} or closes the input. Returns the exit
   * code the protocol asks for: 0 after a {@code shutdown} request, else 1.
   */
  public static int serve(InputStream in, OutputStream out) { return serve(new NetcLanguageServer(), in, out); }

  static int serve(NetcLanguageServer server, InputStream in, OutputStream out) {
    ExecutorService rpc = Executors.newCachedThreadPool(r -> {
      Thread t = new Thread(r, "netc-lsp-rpc");
      t.setDaemon(true);
      return t;
    });
    Launcher<LanguageClient> launcher = LSPLauncher.createServerLauncher(server, in, out, rpc, null);
    server.connect(launcher.getRemoteProxy());
    Future<Void> listening = launcher.startListening();
    Thread watcher = new Thread(() -> {
      try {
        listening.get();
      } catch (InterruptedException | ExecutionException | CancellationException e) {
        // the input is gone, or the session is over
      }
      server.exit.complete(server.shutdown ? 0 : 1);
    }, "netc-lsp-input");
    watcher.setDaemon(true);
    watcher.start();
    int code = server.exit.join();
    listening.cancel(true);
    server.documents.stop();
    rpc.shutdownNow();
    return code;
  }

  @Override
  public void connect(LanguageClient c) { this.client = c; }

  LanguageClient client() { return client; }

  boolean inlayHints() { return inlayHints; }

  void log(MessageType type, String message) {
    LanguageClient c = client;
    if (c == null) return;
    try {
      c.logMessage(new MessageParams(type, message));
    } catch (RuntimeException e) {
      // the client is gone; nothing to tell
    }
  }

  @Override
  public CompletableFuture<InitializeResult> initialize(InitializeParams params) {
    if (params != null && params.getInitializationOptions() instanceof JsonObject o) inlayHints = flag(o, inlayHints);
    ServerCapabilities caps = new ServerCapabilities();
    TextDocumentSyncOptions sync = new TextDocumentSyncOptions();
    sync.setOpenClose(true);
    sync.setChange(TextDocumentSyncKind.Incremental);
    sync.setSave(new SaveOptions(false));
    caps.setTextDocumentSync(sync);
    caps.setHoverProvider(true);
    caps.setCompletionProvider(new CompletionOptions(false, List.of("@", "(", ",")));
    caps.setDefinitionProvider(true);
    caps.setDocumentFormattingProvider(true);
    caps.setDocumentSymbolProvider(true);
    caps.setInlayHintProvider(true);
    return CompletableFuture.completedFuture(new InitializeResult(caps, new ServerInfo("netc", Version.version())));
  }

  /** {@code inlayHints} of an options object, or of its {@code netc} member; else {@code otherwise}. */
  private static boolean flag(JsonObject o, boolean otherwise) {
    JsonElement e = o.get("inlayHints");
    if (e == null && o.get("netc") instanceof JsonObject n) e = n.get("inlayHints");
    try {
      return e == null || e.isJsonNull() ? otherwise : e.getAsBoolean();
    } catch (RuntimeException bad) {
      return otherwise;
    }
  }

  @Override
  public CompletableFuture<Object> shutdown() {
    shutdown = true;
    return CompletableFuture.completedFuture(null);
  }

  @Override
  public void exit() { exit.complete(shutdown ? 0 : 1); }

  @Override
  public TextDocumentService getTextDocumentService() { return documents; }

  @Override
  public WorkspaceService getWorkspaceService() { return workspaceService; }

  NetTextDocumentService documents() { return documents; }

  /** {@code workspace/didChangeConfiguration}: {@code {"netc": {"inlayHints": true}}} turns the hints on. */
  private final class Settings implements WorkspaceService {
    @Override
    public void didChangeConfiguration(DidChangeConfigurationParams params) {
      if (params == null || !(params.getSettings() instanceof JsonObject o)) return;
      boolean before = inlayHints;
      inlayHints = flag(o, inlayHints);
      LanguageClient c = client;
      if (c != null && before != inlayHints) {
        try {
          c.refreshInlayHints();
        } catch (RuntimeException e) {
          // a client without the refresh request asks again on its own
        }
      }
    }

    @Override
    public void didChangeWatchedFiles(DidChangeWatchedFilesParams params) { }
  }
}

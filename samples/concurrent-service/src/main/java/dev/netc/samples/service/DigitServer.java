package dev.netc.samples.service;

import com.sun.net.httpserver.HttpExchange;
import com.sun.net.httpserver.HttpServer;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.net.InetSocketAddress;
import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.TimeUnit;

/**
 * An HTTP endpoint over a {@link DigitService}: {@code POST /classify} with a body of 784 little-endian float32
 * values (one 28 x 28 image) answers 10 little-endian float32 logits, and the predicted digit in the header
 * {@code X-Digit}. Requests are read and answered on virtual threads, one per request, and classified on a fixed
 * pool of {@code threads} platform threads, each with its own session of the one shared model: a client that
 * sends slowly holds only its own virtual thread, never a thread that owns a session. Bad requests get 400 (wrong size, or a pixel that is NaN or infinite) or 405 (not POST).
 *
 * <p>A client that takes longer than {@value #REQUEST_SECONDS} seconds to send its request is cut off (the JDK
 * server's {@code sun.net.httpserver.maxReqTime}, unless set on the command line), so idle connections do not pile up.
 */
public final class DigitServer implements AutoCloseable {
  /** How long a client may take to send a whole request. */
  public static final int REQUEST_SECONDS = 10;

  static {
    // Read once, when the JDK's server classes load: set it before the first server is created.
    if (System.getProperty("sun.net.httpserver.maxReqTime") == null) {
      System.setProperty("sun.net.httpserver.maxReqTime", Integer.toString(REQUEST_SECONDS));
    }
  }

  private final HttpServer http;
  private final ExecutorService io = Executors.newVirtualThreadPerTaskExecutor();
  private final ExecutorService pool;
  private final DigitService service;

  private DigitServer(HttpServer http, ExecutorService pool, DigitService service) {
    this.http = http;
    this.pool = pool;
    this.service = service;
  }

  /** Starts serving on {@code port} (0: any free port) with {@code threads} request threads. */
  public static DigitServer start(DigitService service, int port, int threads) throws IOException {
    HttpServer http = HttpServer.create(new InetSocketAddress("127.0.0.1", port), 128);
    ExecutorService pool = Executors.newFixedThreadPool(threads, Thread.ofPlatform().name("digits-", 0).daemon().factory());
    DigitServer server = new DigitServer(http, pool, service);
    http.createContext("/classify", server::handle);
    http.setExecutor(server.io);
    http.start();
    return server;
  }

  /** The port it listens on. */
  public int port() { return http.getAddress().getPort(); }

  private void handle(HttpExchange ex) throws IOException {
    try (ex) {
      if (!ex.getRequestMethod().equals("POST")) {
        ex.sendResponseHeaders(405, -1);
        return;
      }
      byte[] body;
      try (InputStream in = ex.getRequestBody()) {
        body = in.readNBytes(DigitService.IMAGE_FLOATS * 4 + 1);
      }
      if (body.length != DigitService.IMAGE_FLOATS * 4) {
        byte[] msg = ("expected " + DigitService.IMAGE_FLOATS + " float32 values (" + DigitService.IMAGE_FLOATS * 4
            + " bytes), got " + body.length + " bytes\n").getBytes(java.nio.charset.StandardCharsets.UTF_8);
        ex.sendResponseHeaders(400, msg.length);
        ex.getResponseBody().write(msg);
        return;
      }
      float[] image = Floats.decode(body);
      for (int i = 0; i < image.length; i++) {
        if (!Float.isFinite(image[i])) {
          byte[] msg = ("pixel " + i + " (row " + i / 28 + ", column " + i % 28 + ") is " + image[i]
              + ": every value must be a finite number\n").getBytes(java.nio.charset.StandardCharsets.UTF_8);
          ex.sendResponseHeaders(400, msg.length);
          ex.getResponseBody().write(msg);
          return;
        }
      }
      float[] logits;
      try {
        logits = pool.submit(() -> service.classify(image)).get();
      } catch (InterruptedException e) {
        Thread.currentThread().interrupt();
        ex.sendResponseHeaders(503, -1);
        return;
      } catch (java.util.concurrent.ExecutionException | java.util.concurrent.RejectedExecutionException e) {
        ex.sendResponseHeaders(503, -1);
        return;
      }
      ex.getResponseHeaders().set("Content-Type", "application/octet-stream");
      ex.getResponseHeaders().set("X-Digit", Integer.toString(DigitService.argmax(logits)));
      byte[] answer = Floats.encode(logits);
      ex.sendResponseHeaders(200, answer.length);
      try (OutputStream out = ex.getResponseBody()) {
        out.write(answer);
      }
    }
  }

  /** Stops accepting requests, waits up to a second for those running, then closes the service's sessions. */
  @Override
  public void close() {
    http.stop(1);
    io.shutdown();
    pool.shutdown();
    try {
      pool.awaitTermination(5, TimeUnit.SECONDS);
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
    }
    service.close();
  }

  /** float32 arrays as little-endian bytes, the wire format of the endpoint. */
  public static final class Floats {
    private Floats() {}

    public static byte[] encode(float[] values) {
      ByteBuffer b = ByteBuffer.allocate(values.length * 4).order(ByteOrder.LITTLE_ENDIAN);
      b.asFloatBuffer().put(values);
      return b.array();
    }

    public static float[] decode(byte[] bytes) {
      float[] values = new float[bytes.length / 4];
      ByteBuffer.wrap(bytes).order(ByteOrder.LITTLE_ENDIAN).asFloatBuffer().get(values);
      return values;
    }
  }
}

package dev.netc.samples.service;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.netc.samples.service.model.Digits;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

/** The HTTP endpoint under 8 concurrent clients, and its answers to bad requests. */
class DigitServerTest {
  private DigitServer server;
  private HttpClient http;
  private URI uri;

  @BeforeEach
  void start() throws Exception {
    server = DigitServer.start(new DigitService(Digits.randomWeights(0)), 0, Load.THREADS);
    http = HttpClient.newBuilder().version(HttpClient.Version.HTTP_1_1).build();
    uri = URI.create("http://127.0.0.1:" + server.port() + "/classify");
  }

  @AfterEach
  void stop() {
    http.close();
    server.close();
  }

  private HttpResponse<byte[]> post(byte[] body) throws Exception {
    return http.send(HttpRequest.newBuilder(uri).POST(HttpRequest.BodyPublishers.ofByteArray(body)).build(),
        HttpResponse.BodyHandlers.ofByteArray());
  }

  private float[] classify(float[] image) throws Exception {
    HttpResponse<byte[]> r = post(DigitServer.Floats.encode(image));
    if (r.statusCode() != 200) throw new AssertionError("status " + r.statusCode() + ": " + new String(r.body()));
    float[] logits = DigitServer.Floats.decode(r.body());
    int digit = Integer.parseInt(r.headers().firstValue("X-Digit").orElseThrow());
    if (digit != DigitService.argmax(logits)) throw new AssertionError("X-Digit " + digit + " is not the argmax");
    return logits;
  }

  @Test
  void eightClientsTimesAThousandRequestsGetTheSingleThreadedAnswers() throws Exception {
    float[][] images = Load.images(Load.IMAGES, 7);
    float[][] expected = new float[images.length][];
    ExecutorService clients = Executors.newFixedThreadPool(Load.THREADS);
    try {
      // Warm up the server's threads and the JIT (see Load.WARM_UP), then record the answers of one client
      // sending one request at a time: the single-threaded answers.
      Load.run(clients, Load.THREADS, Load.WARM_UP, images, null, this::classify);
      for (int k = 0; k < images.length; k++) expected[k] = classify(images[k]);
      Load.Outcome load = Load.run(clients, Load.THREADS, Load.REQUESTS, images, expected, this::classify);
      assertEquals(0, load.mismatches(), "over HTTP: " + load);
    } finally {
      clients.shutdownNow();
    }
  }

  @Test
  void wrongSizeIs400AndGetIs405() throws Exception {
    HttpResponse<byte[]> small = post(new byte[12]);
    assertEquals(400, small.statusCode());
    assertTrue(new String(small.body()).contains("expected 784 float32 values"), new String(small.body()));
    HttpResponse<byte[]> get = http.send(HttpRequest.newBuilder(uri).GET().build(), HttpResponse.BodyHandlers.ofByteArray());
    assertEquals(405, get.statusCode());
  }

  @Test
  void aNaNOrInfinitePixelIs400() throws Exception {
    for (float bad : new float[] {Float.NaN, Float.POSITIVE_INFINITY, Float.NEGATIVE_INFINITY}) {
      float[] image = new float[DigitService.IMAGE_FLOATS];
      image[28 * 3 + 5] = bad;
      HttpResponse<byte[]> r = post(DigitServer.Floats.encode(image));
      assertEquals(400, r.statusCode(), "pixel " + bad);
      assertTrue(new String(r.body()).contains("pixel 89 (row 3, column 5) is " + bad), new String(r.body()));
    }
  }

  /**
   * More clients than there are session threads, each sending a few bytes of its body and then nothing, do not
   * keep a normal request from being answered at once; the server cuts them off after its request time limit
   * (2 s in this test JVM, set in the pom).
   */
  @Test
  void slowClientsAreCutOffAndOthersAreServed() throws Exception {
    java.util.List<java.net.Socket> slow = new java.util.ArrayList<>();
    try {
      for (int i = 0; i < Load.THREADS + 2; i++) {
        java.net.Socket s = new java.net.Socket("127.0.0.1", server.port());
        s.getOutputStream().write(("POST /classify HTTP/1.1\r\nHost: x\r\nContent-Length: "
            + DigitService.IMAGE_FLOATS * 4 + "\r\n\r\n1234").getBytes(java.nio.charset.StandardCharsets.US_ASCII));
        s.getOutputStream().flush();
        slow.add(s);
      }
      Thread.sleep(300); // every request thread is now waiting for a body that does not come
      // Without the limit this request would wait for ever: give up after 30 s and fail instead of hanging.
      HttpResponse<byte[]> r = http.send(HttpRequest.newBuilder(uri).timeout(java.time.Duration.ofSeconds(30))
          .POST(HttpRequest.BodyPublishers.ofByteArray(new byte[DigitService.IMAGE_FLOATS * 4])).build(),
          HttpResponse.BodyHandlers.ofByteArray());
      assertEquals(200, r.statusCode());
      assertEquals(40, r.body().length);
      for (java.net.Socket s : slow) {
        s.setSoTimeout(30_000);
        assertEquals(-1, s.getInputStream().read(), "a slow client's connection is closed by the server");
      }
    } finally {
      for (java.net.Socket s : slow) s.close();
    }
  }
}

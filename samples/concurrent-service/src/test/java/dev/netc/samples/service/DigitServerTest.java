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
}

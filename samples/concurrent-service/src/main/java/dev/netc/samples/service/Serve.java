package dev.netc.samples.service;

import dev.netc.samples.service.model.Digits;
import java.io.IOException;
import java.nio.file.Path;

/**
 * Runs the digit service: {@code Serve [--port 8080] [--threads N] [--weights W.safetensors | --random-weights SEED]}.
 * Try it with {@code curl --data-binary @image.f32 http://127.0.0.1:8080/classify -D - -o logits.f32}.
 */
public final class Serve {
  private Serve() {}

  public static void main(String[] args) throws IOException, InterruptedException {
    int port = 8080;
    int threads = Runtime.getRuntime().availableProcessors();
    Path weights = null;
    long seed = 0;
    for (int i = 0; i + 1 < args.length; i += 2) {
      switch (args[i]) {
        case "--port" -> port = Integer.parseInt(args[i + 1]);
        case "--threads" -> threads = Integer.parseInt(args[i + 1]);
        case "--weights" -> weights = Path.of(args[i + 1]);
        case "--random-weights" -> seed = Long.parseLong(args[i + 1]);
        default -> throw new IllegalArgumentException("unknown option " + args[i]);
      }
    }
    Digits model = weights != null ? Digits.load(weights) : Digits.randomWeights(seed);
    DigitServer server = DigitServer.start(new DigitService(model), port, threads);
    Runtime.getRuntime().addShutdownHook(new Thread(server::close));
    System.out.printf("digits (%,d params, %,d MACs per image) on http://127.0.0.1:%d/classify with %d threads%n",
        Digits.PARAMS, Digits.MACS, server.port(), threads);
    Thread.currentThread().join();
  }
}

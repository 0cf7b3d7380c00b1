package dev.example;

import dev.netc.runtime.io.LoadOptions;
import java.io.IOException;
import java.util.Arrays;

/** Loads the model from resources of its own jar and prints what it computes, then what a strict load refuses. */
public final class App {
  public static void main(String[] args) throws IOException {
    System.out.println("resource: " + Affine.class.getResource("affine.safetensors").getProtocol());
    print("resource", Affine.loadResource("affine.safetensors"));
    try (var in = App.class.getResourceAsStream("/dev/example/affine.safetensors")) {
      print("stream", Affine.load(in));
    }
    try {
      Affine.loadResource("affine-extra.safetensors");
      System.out.println("strict: loaded");
    } catch (IOException e) {
      System.out.println("strict: " + e.getMessage());
    }
    print("lenient", Affine.loadResource("/dev/example/affine-extra.safetensors", LoadOptions.lenient()));
    try {
      Affine.loadResource("affine-cut.safetensors");
    } catch (IOException e) {
      System.out.println("cut: " + e.getMessage());
    }
  }

  private static void print(String how, Affine model) {
    try (Affine.Session session = model.newSession(1, 1)) {
      float[] y = session.forward(new float[] {1, 2, 3, 4});
      System.out.println(how + ": y = " + Arrays.toString(y));
    }
  }
}

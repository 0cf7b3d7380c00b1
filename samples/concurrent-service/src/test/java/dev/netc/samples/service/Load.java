package dev.netc.samples.service;

import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Random;
import java.util.concurrent.Callable;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Future;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.concurrent.atomic.AtomicReference;

/** Test load: distinct seeded images, and {@code threads} x {@code requests} calls checked against expected answers. */
final class Load {
  static final int THREADS = 8;
  static final int REQUESTS = 1000;
  static final int IMAGES = 64;
  /**
   * Calls per thread before answers are recorded. Why: the runtime's vector reductions ({@code reduceLanes(ADD)})
   * add lanes in a different order in interpreted and JIT-compiled code, so a network's first calls can differ from
   * its later ones in the last bit. Recording the single-threaded answers once the kernels are compiled makes the
   * test about threads, not about the JIT.
   */
  static final int WARM_UP = 300;

  private Load() {}

  /** {@code count} images of seeded Gaussian noise, each {@link DigitService#IMAGE_FLOATS} floats. */
  static float[][] images(int count, long seed) {
    Random r = new Random(seed);
    float[][] images = new float[count][DigitService.IMAGE_FLOATS];
    for (float[] image : images) for (int i = 0; i < image.length; i++) image[i] = (float) r.nextGaussian();
    return images;
  }

  /** One request: the logits for an image. */
  @FunctionalInterface
  interface Client {
    float[] classify(float[] image) throws Exception;
  }

  /**
   * Runs {@code requests} calls on each of {@code threads} pool tasks at once, thread {@code t}'s call {@code j}
   * sending image {@code (t * 7 + j) % n} so that threads ask for different images at the same moment; returns how
   * many answers differed from {@code expected} in any bit, and the first such ({@code expected} null: a warm-up
   * that checks nothing).
   */
  static Outcome run(ExecutorService pool, int threads, int requests, float[][] images, float[][] expected,
      Client client) throws Exception {
    AtomicInteger mismatches = new AtomicInteger();
    AtomicReference<String> first = new AtomicReference<>("");
    List<Callable<Void>> tasks = new ArrayList<>();
    for (int t = 0; t < threads; t++) {
      int thread = t;
      tasks.add(() -> {
        for (int j = 0; j < requests; j++) {
          int k = (thread * 7 + j) % images.length;
          float[] got = client.classify(images[k]);
          if (expected != null && !sameBits(expected[k], got) && mismatches.incrementAndGet() == 1) {
            first.set("; first: thread " + thread + " request " + j + " image " + k + " got "
                + Arrays.toString(got) + ", alone " + Arrays.toString(expected[k]));
          }
        }
        return null;
      });
    }
    for (Future<Void> f : pool.invokeAll(tasks)) f.get();
    return new Outcome(mismatches.get(), first.get());
  }

  /** How many answers differed in some bit, and a description of the first one (empty when none did). */
  record Outcome(int mismatches, String first) {
    @Override
    public String toString() { return mismatches + " answers differ from the single-threaded ones" + first; }
  }

  /** Bit-for-bit equality (unlike {@code ==}, which calls -0 and 0 equal). */
  static boolean sameBits(float[] a, float[] b) {
    if (a.length != b.length) return false;
    for (int i = 0; i < a.length; i++) if (Float.floatToRawIntBits(a[i]) != Float.floatToRawIntBits(b[i])) return false;
    return true;
  }
}

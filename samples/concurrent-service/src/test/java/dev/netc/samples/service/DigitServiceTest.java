package dev.netc.samples.service;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.netc.samples.service.model.Digits;
import java.lang.management.ManagementFactory;
import java.lang.management.MemoryMXBean;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import org.junit.jupiter.api.Test;

/** One model, many threads: every answer equals the single-threaded one, and memory does not grow with requests. */
class DigitServiceTest {
  /**
   * Growth allowed in retained heap across 8,000 requests. A leak of anything per request (a session, an input or
   * output array: 3 KB and 40 B plus headers) would retain at least 8,000 objects, 320 KB for the smallest; a leaked
   * session per request (its 75 KB arena) would retain 600 MB. The margin leaves room for GC bookkeeping noise.
   */
  static final long HEAP_MARGIN = 4L << 20;

  @Test
  void eightThreadsGetTheSingleThreadedAnswersBitForBitAndHeapDoesNotGrow() throws Exception {
    float[][] images = Load.images(Load.IMAGES, 42);
    float[][] expected = new float[images.length][];
    ExecutorService pool = Executors.newFixedThreadPool(Load.THREADS);
    try (DigitService service = new DigitService(Digits.randomWeights(0))) {
      // Warm up: every pool thread opens its session and the JIT compiles the kernels (see Load.WARM_UP).
      Load.run(pool, Load.THREADS, Load.WARM_UP, images, null, service::classify);
      // The single-threaded answers: this thread alone, its own session.
      for (int k = 0; k < images.length; k++) expected[k] = service.classify(images[k]);
      assertTrue(distinctAnswers(expected) > 1, "different images get different answers");

      long before = usedHeapAfterGc();
      Load.Outcome load = Load.run(pool, Load.THREADS, Load.REQUESTS, images, expected, service::classify);
      long after = usedHeapAfterGc();

      System.out.printf("retained heap after GC: %d KiB before, %d KiB after 8,000 requests%n", before >> 10, after >> 10);
      assertEquals(0, load.mismatches(), load.toString());
      assertEquals(Load.THREADS + 1, service.sessions(), "one session per thread (8 in the pool, 1 for the test)");
      assertTrue(after - before < HEAP_MARGIN,
          "retained heap grew by " + (after - before) / 1024 + " KiB over 8,000 requests (from " + before / 1024 + " KiB)");
    } finally {
      pool.shutdownNow();
    }
  }

  @Test
  void aClosedServiceRefusesWork() {
    DigitService service = new DigitService(Digits.randomWeights(0));
    float[] image = new float[DigitService.IMAGE_FLOATS];
    service.classify(image);
    service.close();
    assertEquals(0, service.sessions());
    assertThrows(IllegalStateException.class, () -> service.classify(image));
  }

  @Test
  void argmaxIsTheFirstLargest() {
    assertEquals(2, DigitService.argmax(new float[] {0, 1, 3, 3, -1}));
  }

  private static int distinctAnswers(float[][] answers) {
    return (int) java.util.Arrays.stream(answers).map(java.util.Arrays::toString).distinct().count();
  }

  /**
   * Heap in use after full collections: what is retained (reachable), not what is merely allocated. Several
   * collections, because one may leave objects whose finalization or reference processing frees more.
   */
  static long usedHeapAfterGc() throws InterruptedException {
    MemoryMXBean memory = ManagementFactory.getMemoryMXBean();
    long used = Long.MAX_VALUE;
    for (int i = 0; i < 4; i++) {
      System.gc();
      Thread.sleep(50);
      used = Math.min(used, memory.getHeapMemoryUsage().getUsed());
    }
    assertFalse(used == Long.MAX_VALUE);
    return used;
  }
}

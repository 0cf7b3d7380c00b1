package dev.netc.runtime.exec;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.Test;

/**
 * Executors dropped without {@code close()} leave their pool once collected: the pool's registrations and the
 * retained heap return to where they were.
 */
class UnclosedExecutorTest {
  private static final int EXECUTORS = 1000;
  private static final int SCRATCH = 4096;

  @Test
  void droppedExecutorsLeaveThePoolAfterCollection() throws InterruptedException {
    try (WorkerPool pool = new WorkerPool(4)) {
      long baseHeap = usedAfterGc();
      List<Executor> open = new ArrayList<>();
      for (int i = 0; i < EXECUTORS; i++) {
        Executor e = pool.newExecutor();
        e.ensureScratch(SCRATCH);
        open.add(e);
      }
      assertEquals(EXECUTORS, pool.registrations());
      long grown = usedAfterGc() - baseHeap;
      long scratchBytes = (long) EXECUTORS * 4 * SCRATCH * Float.BYTES;
      assertTrue(grown >= scratchBytes / 2, "the open executors should hold their scratch, grew " + grown);
      open = null;
      long deadline = System.nanoTime() + 20_000_000_000L;
      while (pool.registrations() > 0 && System.nanoTime() < deadline) {
        System.gc();
        Thread.sleep(20);
      }
      assertEquals(0, pool.registrations(), "dropped executors still registered");
      long left = usedAfterGc() - baseHeap;
      assertTrue(left < scratchBytes / 10, "retained " + left + " bytes after dropping " + scratchBytes + " of scratch");
    }
  }

  @Test
  void closeThenCollectionUnregistersOnce() {
    try (WorkerPool pool = new WorkerPool(2)) {
      Executor a = pool.newExecutor();
      Executor b = pool.newExecutor();
      a.close();
      a.close();
      assertEquals(1, pool.registrations());
      b.close();
      assertEquals(0, pool.registrations());
    }
  }

  private static long usedAfterGc() throws InterruptedException {
    Runtime rt = Runtime.getRuntime();
    for (int i = 0; i < 4; i++) {
      System.gc();
      Thread.sleep(20);
    }
    return rt.totalMemory() - rt.freeMemory();
  }
}

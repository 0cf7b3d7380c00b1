package dev.netc.runtime.exec;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertSame;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.lang.management.ManagementFactory;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.atomic.AtomicReference;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.Tag;
import org.junit.jupiter.api.Test;

/** The executor runs every chunk exactly once, in parallel, re-entrantly, without allocating. */
class ExecutorTest {
  private static final WorkerPool POOL = new WorkerPool(4);

  /** Writes chunk index + n0 into dst[dstOff + chunk]; records the running threads. */
  private static final class Fill implements ParallelTask {
    final ConcurrentHashMap<Thread, Boolean> threads = new ConcurrentHashMap<>();
    volatile boolean record;

    @Override
    public void runChunk(CallFrame f, int chunk, float[] scratch) {
      if (record) {
        threads.put(Thread.currentThread(), Boolean.TRUE);
        busyWait();
      }
      scratch[0] = chunk; // each participant has its own scratch: no interference
      f.dst[f.dstOff + chunk] += chunk + f.n0;
    }

    private static void busyWait() {
      long end = System.nanoTime() + 200_000;
      while (System.nanoTime() < end) {
        Thread.onSpinWait();
      }
    }
  }

  @AfterAll
  static void stop() {
    POOL.close();
  }

  /**
   * Back-to-back calls of few and many chunks, each with its own destination: a helper late for one
   * call must never run a chunk of it with the next call's chunk count or frame (it once did: a null
   * destination in a GEMM that packs B in one call and multiplies in the next).
   */
  @Test
  void aHelperLateForOneCallNeverRunsAChunkOfTheNext() {
    Fill task = new Fill();
    float[][] outs = {new float[2], new float[48]};
    try (Executor ex = POOL.newExecutor()) {
      ex.ensureScratch(1);
      for (int call = 0; call < 200_000; call++) {
        float[] out = outs[call & 1];
        ex.frame().dst = out;
        ex.frame().dstOff = 0;
        ex.frame().n0 = 0;
        ex.invoke(task, out.length);
      }
    }
    for (float[] out : outs) {
      for (int i = 0; i < out.length; i++) {
        assertEquals(100_000f * i, out[i], "chunk " + i + " of a " + out.length + "-chunk call");
      }
    }
  }

  @Test
  void everyChunkRunsOnceAndHelpersJoin() {
    Fill task = new Fill();
    task.record = true;
    try (Executor ex = POOL.newExecutor()) {
      ex.ensureScratch(1);
      float[] out = new float[101];
      ex.frame().dst = out;
      ex.frame().dstOff = 1;
      ex.frame().n0 = 10;
      ex.invoke(task, 100);
      for (int i = 0; i < 100; i++) {
        assertEquals(i + 10, out[i + 1], "chunk " + i);
      }
      assertEquals(0f, out[0]);
      assertTrue(task.threads.size() > 1, "only one thread ran chunks: " + task.threads.keySet());
    }
  }

  /**
   * Each participant claims its own contiguous range of chunks first, in order, then what is left of the others:
   * a helper that joins while the owner is still in chunk 0 runs the second half, then the rest of the first.
   */
  @Test
  void participantsStartWithTheirOwnRange() {
    Job job = new Job(2);
    List<Integer> owner = new ArrayList<>();
    List<Integer> helper = new ArrayList<>();
    Thread caller = Thread.currentThread();
    ParallelTask task = (f, chunk, scratch) -> {
      if (Thread.currentThread() != caller) {
        helper.add(chunk);
        return;
      }
      owner.add(chunk);
      if (chunk == 0) {
        Thread h = new Thread(job::help);
        h.start();
        try {
          h.join();
        } catch (InterruptedException e) {
          throw new IllegalStateException(e);
        }
      }
    };
    job.arm(task, 10);
    job.runAndWait();
    assertEquals(List.of(0), owner);
    assertEquals(List.of(5, 6, 7, 8, 9, 1, 2, 3, 4), helper);
  }

  @Test
  void manySessionsOnManyThreadsShareOnePool() throws Exception {
    AtomicReference<Throwable> failure = new AtomicReference<>();
    List<Thread> sessions = new ArrayList<>();
    for (int s = 0; s < 6; s++) {
      int offset = s;
      Thread t = new Thread(() -> {
        try (Executor ex = Executor.create(POOL, 3)) {
          ex.ensureScratch(1);
          Fill task = new Fill();
          for (int round = 0; round < 300; round++) {
            float[] out = new float[37];
            ex.frame().dst = out;
            ex.frame().dstOff = 0;
            ex.frame().n0 = offset;
            ex.invoke(task, 37);
            float[] want = new float[37];
            for (int i = 0; i < 37; i++) {
              want[i] = i + offset;
            }
            assertArrayEquals(want, out);
          }
        } catch (Throwable e) {
          failure.compareAndSet(null, e);
        }
      });
      sessions.add(t);
      t.start();
    }
    for (Thread t : sessions) {
      t.join();
    }
    if (failure.get() != null) {
      throw new AssertionError(failure.get());
    }
  }

  @Test
  void aFailingChunkIsRethrownToTheCaller() {
    RuntimeException boom = new IllegalStateException("boom");
    try (Executor ex = POOL.newExecutor()) {
      ParallelTask t = (f, chunk, s) -> {
        if (chunk == 7) {
          throw boom;
        }
      };
      RuntimeException got = assertThrows(RuntimeException.class, () -> ex.invoke(t, 20));
      assertSame(boom, got);
      ex.invoke((f, chunk, s) -> { }, 5); // the executor is usable afterwards
    }
  }

  @Test
  void serialExecutorRunsOnTheCaller() {
    Executor ex = Executor.serial();
    Thread me = Thread.currentThread();
    ex.invoke((f, chunk, s) -> assertSame(me, Thread.currentThread()), 10);
    assertEquals(1, ex.participants());
  }

  @Test
  @Tag("allocation")
  void steadyStateCallsAllocateNothing() {
    com.sun.management.ThreadMXBean mx = (com.sun.management.ThreadMXBean) ManagementFactory.getThreadMXBean();
    Fill task = new Fill();
    float[] out = new float[64];
    try (Executor ex = POOL.newExecutor()) {
      ex.ensureScratch(1);
      for (int i = 0; i < 20_000; i++) { // warm up: JIT-compile the call path
        call(ex, task, out);
      }
      long tid = Thread.currentThread().threadId();
      long before = mx.getThreadAllocatedBytes(tid);
      for (int i = 0; i < 1000; i++) {
        call(ex, task, out);
      }
      long allocated = mx.getThreadAllocatedBytes(tid) - before;
      assertEquals(0, allocated, "bytes allocated by 1000 calls");
    }
  }

  private static void call(Executor ex, Fill task, float[] out) {
    CallFrame f = ex.frame();
    f.dst = out;
    f.dstOff = 0;
    f.n0 = 0;
    ex.invoke(task, 64);
  }
}

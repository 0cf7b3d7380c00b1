package dev.netc.compiler.emit.java;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;
import static org.junit.jupiter.api.Assumptions.assumeTrue;

import dev.netc.compiler.ir.Graph;
import dev.netc.runtime.exec.WorkerPool;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.Test;

/**
 * Generated sessions dropped without {@code close()}: once collected, they no longer stay registered with the
 * shared worker pool, and the heap they held is returned.
 */
class UnclosedSessionTest {
  private static final int SESSIONS = 400;

  @Test
  void droppedSessionsLeaveTheCommonPool() throws InterruptedException {
    WorkerPool common = WorkerPool.common();
    assumeTrue(common.threads() > 1, "a one-thread pool registers nothing");
    Graph g = Generated.graph(AllocationTest.NET);
    CompiledNetwork net = Generated.compile(g);
    Object model = net.randomWeights(3);
    long baseHeap = usedAfterGc();
    int baseRegistrations = common.registrations();
    List<NetworkSession> open = new ArrayList<>();
    for (int i = 0; i < SESSIONS; i++) open.add(net.newSession(model, 4, 2));
    assertEquals(baseRegistrations + SESSIONS, common.registrations());
    long held = usedAfterGc() - baseHeap;
    assertTrue(held > 0, "open sessions hold heap");
    open = null;
    long deadline = System.nanoTime() + 20_000_000_000L;
    while (common.registrations() > baseRegistrations && System.nanoTime() < deadline) {
      System.gc();
      Thread.sleep(20);
    }
    assertEquals(baseRegistrations, common.registrations(), "dropped sessions still registered");
    long left = usedAfterGc() - baseHeap;
    assertTrue(left < held / 10 + (1 << 20), "retained " + left + " of the " + held + " bytes the sessions held");
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

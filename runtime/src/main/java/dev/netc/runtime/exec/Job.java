package dev.netc.runtime.exec;

import java.util.concurrent.atomic.AtomicInteger;
import java.util.concurrent.atomic.AtomicLong;
import java.util.concurrent.atomic.AtomicLongArray;
import java.util.concurrent.locks.LockSupport;

/**
 * One executor's reusable call: the chunks of the current call, claimed one at a time by the
 * owner thread and by pool workers that come to help.
 *
 * <p>The chunks are cut into one contiguous range per participant slot (the owner is slot 0, helpers take slots
 * 1, 2, .. as they join). Each participant claims the chunks of its own range first, in order, then those left
 * in the other ranges. Tasks number their chunks so that neighbouring chunks touch neighbouring data (a
 * convolution: the rows of the image, then its channel blocks), so on a steady stream of layers each thread
 * mostly computes the part of the image whose inputs it wrote itself, in its own cache, while a slow or absent
 * participant's range is still taken over by the others.
 *
 * <p>Joining goes through one {@link AtomicLong}, {@code state}: the generation (32 bits) and the number of
 * helpers that joined (8 bits); claiming through one word per range: the generation and the range's next
 * unclaimed chunk (24 bits). A helper that read a job but arrives after the call ended sees another generation
 * and leaves, so a job object can be re-armed for the next call without allocating and without a stale helper
 * running a chunk of the wrong call. The owner never waits for a helper to start, only for claimed chunks to end,
 * so a call completes even when every worker is busy elsewhere.
 */
final class Job {
  private static final long NEXT_MASK = (1L << 24) - 1;
  private static final long JOINED_ONE = 1L << 24;
  private static final long JOINED_MASK = 0xFFL << 24;
  static final int MAX_CHUNKS = (int) NEXT_MASK;
  /** Longs between two ranges' words: each on its own cache line. */
  private static final int PAD = 16;

  private final AtomicLong state = new AtomicLong();
  /** Range {@code k}'s word at {@code k * PAD}: generation and next unclaimed chunk. */
  private final AtomicLongArray next;
  private final AtomicInteger done = new AtomicInteger();
  private final int maxHelpers;
  final CallFrame frame = new CallFrame();
  float[][] scratch;

  // Written by the owner before the state publishes a generation; read by helpers after a claim.
  private ParallelTask task;
  private int chunks;
  /** One past the last chunk of each range. */
  private final int[] end;
  private Thread owner;
  private volatile boolean ownerParked;
  private volatile Throwable failure;

  Job(int participants) {
    this.maxHelpers = participants - 1;
    this.scratch = new float[participants][0];
    this.next = new AtomicLongArray(participants * PAD);
    this.end = new int[participants];
  }

  /** Starts a call: publishes the task and the chunk ranges under a new generation. */
  void arm(ParallelTask t, int n) {
    long gen = (state.get() >>> 32) + 1;
    // First close the previous call: a straggling helper of it may still be in claim(), which
    // reads the plain field end; had end grown before the generation moved on, it could claim
    // a chunk of the finished call and run the new task on a frame being filled (seen as a null
    // destination array in CI). With every range's generation bumped and no chunk left, it leaves.
    int ranges = end.length;
    for (int k = 0; k < ranges; k++) {
      next.set(k * PAD, (gen << 32) | NEXT_MASK);
    }
    owner = Thread.currentThread();
    task = t;
    chunks = n;
    failure = null;
    done.set(0);
    for (int k = 0; k < ranges; k++) {
      end[k] = (int) ((long) n * (k + 1) / ranges);
    }
    for (int k = 0; k < ranges; k++) {
      // volatile writes: publish task, chunks, end and the frame
      next.set(k * PAD, (gen << 32) | ((long) n * k / ranges));
    }
    // last: a helper that joins sees every range open (one that joined the previous generation claims nothing)
    state.set(gen << 32);
  }

  /** True when a helper could join the current call now. */
  boolean open() {
    long s = state.get();
    if (((s & JOINED_MASK) >>> 24) >= maxHelpers) {
      return false;
    }
    for (int k = 0; k < end.length; k++) {
      long r = next.get(k * PAD);
      if ((r >>> 32) == (s >>> 32) && (r & NEXT_MASK) < end[k]) {
        return true;
      }
    }
    return false;
  }

  /** Called by a pool worker: joins the current call if there is room and runs chunks. */
  void help() {
    long s = state.get();
    while (true) {
      if (((s & JOINED_MASK) >>> 24) >= maxHelpers || !open()) {
        return;
      }
      long t = s + JOINED_ONE;
      long witness = state.compareAndExchange(s, t);
      if (witness == s) {
        int slot = (int) ((t & JOINED_MASK) >>> 24);
        runChunks(t >>> 32, slot);
        return;
      }
      s = witness;
    }
  }

  /** Called by the owner: runs chunks as slot 0, then waits until every claimed chunk is done. */
  void runAndWait() {
    long gen = state.get() >>> 32;
    runChunks(gen, 0);
    awaitDone();
    Throwable f = failure;
    frame.clear();
    task = null;
    if (f != null) {
      failure = null;
      if (f instanceof RuntimeException re) {
        throw re;
      }
      if (f instanceof Error e) {
        throw e;
      }
      throw new IllegalStateException(f);
    }
  }

  /**
   * Runs chunks until none is left, its own range's first, then adds their number to {@code done}
   * once: one update of the shared counter per participant and call, not per chunk (each is a
   * cache-line transfer between cores while the other participant claims).
   */
  private void runChunks(long gen, int slot) {
    int ran = 0;
    for (int i = 0; i < end.length; i++) {
      int range = (slot + i) % end.length;
      while (true) {
        int chunk = claim(gen, range);
        if (chunk < 0) {
          break;
        }
        try {
          task.runChunk(frame, chunk, scratch[slot]);
        } catch (Throwable t) {
          failure = t; // the owner rethrows it once the call is over
        }
        ran++;
      }
    }
    if (ran > 0 && done.addAndGet(ran) == chunks && slot != 0 && ownerParked) {
      LockSupport.unpark(owner);
    }
  }

  /** Claims the next chunk of range {@code range} of generation {@code gen}; -1 when none is left or the call moved on. */
  private int claim(long gen, int range) {
    int i = range * PAD;
    long s = next.get(i);
    while (true) {
      if ((s >>> 32) != gen || (s & NEXT_MASK) >= end[range]) {
        return -1;
      }
      long witness = next.compareAndExchange(i, s, s + 1);
      if (witness == s) {
        return (int) (s & NEXT_MASK);
      }
      s = witness;
    }
  }

  private void awaitDone() {
    for (int spin = 0; done.get() < chunks; spin++) {
      if (spin < 20_000) {
        Thread.onSpinWait();
      } else {
        ownerParked = true;
        if (done.get() < chunks) {
          LockSupport.parkNanos(this, 200_000L);
        }
        ownerParked = false;
      }
    }
  }
}

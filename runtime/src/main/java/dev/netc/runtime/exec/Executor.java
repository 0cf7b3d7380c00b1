package dev.netc.runtime.exec;

import java.lang.ref.Cleaner;
import java.lang.ref.Reference;

/**
 * Runs {@link ParallelTask}s for one session: one thread at a time calls it, and its chunks run
 * on that thread plus up to {@code participants - 1} helpers from a shared {@link WorkerPool}.
 *
 * <p>Re-entrancy model: kernels and their plans are immutable and shared by all sessions; each
 * session (each thread running a model) owns one executor, which owns the per-call state: the
 * {@link CallFrame} with the call's arguments and one scratch array per participant. Many
 * executors can share one pool and call at the same time. An executor is not itself thread-safe:
 * two threads must not call the same executor concurrently.
 *
 * <p>Steady state allocates nothing: the frame and the job are reused, and scratch arrays only
 * grow (the first call of a model sizes them).
 */
public final class Executor implements AutoCloseable {
  /** Unregisters the jobs of executors dropped without {@link #close()}. */
  private static final Cleaner CLEANER = Cleaner.create();

  private final WorkerPool pool;
  private final int participants;
  private final Job job;
  private float[] shared = new float[0];
  private boolean busy;
  private final Cleaner.Cleanable registration;

  Executor(WorkerPool pool, int participants) {
    if (participants < 1) {
      throw new IllegalArgumentException("participants must be at least 1, got " + participants);
    }
    this.pool = pool;
    this.participants = pool == null ? 1 : Math.min(participants, pool.threads());
    this.job = new Job(this.participants);
    if (pool != null && this.participants > 1) {
      pool.register(job);
      // The action holds the pool and the job, never this executor, so an executor (and the session
      // holding it) that is dropped unclosed becomes unreachable and its job leaves the pool.
      Job j = job;
      this.registration = CLEANER.register(this, () -> pool.unregister(j));
    } else {
      this.registration = null;
    }
  }

  /** An executor that runs every chunk on the calling thread. */
  public static Executor serial() {
    return new Executor(null, 1);
  }

  /** An executor on the {@linkplain WorkerPool#common() common pool}, using all its threads. */
  public static Executor create() {
    return WorkerPool.common().newExecutor();
  }

  /** An executor on {@code pool} that uses at most {@code threads} participants (caller included). */
  public static Executor create(WorkerPool pool, int threads) {
    return new Executor(pool, threads);
  }

  /**
   * Whether a session on this executor runs a batch of at least {@link #participants()} items side by side: each
   * participant takes whole items, one at a time, through a one-thread copy of the session (its own activations),
   * instead of every participant taking part of every layer of every item. Never on one participant; otherwise
   * {@code preferred} (the compiler's choice for the network), unless {@link #sideBySideForced()} says otherwise.
   */
  public boolean sideBySide(boolean preferred) {
    Boolean forced = sideBySideForced();
    return participants > 1 && (forced == null ? preferred : forced);
  }

  /**
   * {@code -Dnetc.exec.sideBySide=true} or {@code false}, read when a session is opened: items side by side wherever a
   * session can run them so, or never; null (unset, or any other value) leaves it to the compiler's choice.
   */
  public static Boolean sideBySideForced() {
    String v = System.getProperty("netc.exec.sideBySide");
    return "true".equalsIgnoreCase(v) ? Boolean.TRUE : "false".equalsIgnoreCase(v) ? Boolean.FALSE : null;
  }

  /** The most threads a call of this executor runs on, the caller included. */
  public int participants() {
    return participants;
  }

  /** The frame to fill with the next call's arguments (the same object every time). */
  public CallFrame frame() {
    return job.frame;
  }

  /**
   * Makes every participant's scratch array at least {@code floats} long (grows, never shrinks;
   * contents are not preserved when it grows).
   */
  public void ensureScratch(int floats) {
    float[][] s = job.scratch;
    for (int i = 0; i < s.length; i++) {
      if (s[i].length < floats) {
        s[i] = new float[floats];
      }
    }
  }

  /**
   * A scratch array shared by all participants of a call, at least {@code floats} long, for data
   * that one stage of a task writes and the next stage reads (a packed GEMM operand).
   */
  public float[] sharedScratch(int floats) {
    if (shared.length < floats) {
      shared = new float[floats];
    }
    return shared;
  }

  /**
   * Runs {@code task} for chunks {@code 0 .. chunks-1} with the arguments in {@link #frame()} and
   * returns when all are done. An exception thrown by a chunk is rethrown here after the others
   * finish.
   */
  public void invoke(ParallelTask task, int chunks) {
    if (chunks <= 0) {
      return;
    }
    if (chunks > Job.MAX_CHUNKS) {
      throw new IllegalArgumentException("too many chunks: " + chunks);
    }
    if (busy) {
      throw new IllegalStateException("executor called re-entrantly or from two threads at once");
    }
    busy = true;
    job.frame.call++;
    try {
      if (participants == 1 || chunks == 1 || pool.closed()) {
        runSerially(task, chunks);
      } else {
        job.arm(task, chunks);
        pool.signal(Math.min(chunks, participants) - 1);
        job.runAndWait();
      }
    } finally {
      busy = false;
      // Keeps the job registered until the call is over, even if the caller drops this executor meanwhile.
      Reference.reachabilityFence(this);
    }
  }

  private void runSerially(ParallelTask task, int chunks) {
    CallFrame f = job.frame;
    float[] s = job.scratch[0];
    try {
      for (int c = 0; c < chunks; c++) {
        task.runChunk(f, c, s);
      }
    } finally {
      f.clear();
    }
  }

  /**
   * Unregisters this executor from its pool (the pool itself keeps running). An executor that becomes
   * unreachable without being closed is unregistered after garbage collection.
   */
  @Override
  public void close() {
    if (registration != null) {
      registration.clean();
    }
  }
}

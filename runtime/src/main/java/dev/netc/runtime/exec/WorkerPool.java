package dev.netc.runtime.exec;

import java.util.Arrays;
import java.util.concurrent.locks.LockSupport;

/**
 * Daemon threads that help {@link Executor}s run their chunks; one pool serves many executors.
 *
 * <p>A pool of {@code threads} participants has {@code threads - 1} worker threads: the thread
 * that calls an executor always works on its own call too. Each executor registers one reusable
 * job with the pool when it is created; a call re-arms that job and wakes idle workers, which
 * scan the registered jobs for one with unclaimed chunks. Nothing is allocated per call.
 *
 * <p>Many sessions may call into one pool at once (each through its own executor): every caller
 * finishes its own call even when all workers are busy with others, so there is no deadlock and
 * no more runnable threads than callers plus workers. After a job, a worker spins briefly
 * (about 50 µs) before parking, because back-to-back layers arrive faster than a thread wakes.
 */
public final class WorkerPool implements AutoCloseable {
  private static final long SPIN_NANOS = 50_000L;
  private static volatile WorkerPool common;

  private final int threads;
  private final Worker[] workers;
  private volatile Job[] jobs = new Job[0];
  private volatile boolean closed;

  /** A pool with {@code threads} participants ({@code threads - 1} worker threads), at least 1. */
  public WorkerPool(int threads) {
    if (threads < 1) {
      throw new IllegalArgumentException("thread count must be at least 1, got " + threads);
    }
    this.threads = threads;
    this.workers = new Worker[threads - 1];
    for (int i = 0; i < workers.length; i++) {
      workers[i] = new Worker("netc-worker-" + i);
      workers[i].start();
    }
  }

  /**
   * The process-wide pool, created on first use with the thread count in system property
   * {@code netc.threads}, or else {@link Runtime#availableProcessors()}.
   */
  public static WorkerPool common() {
    WorkerPool p = common;
    if (p == null) {
      synchronized (WorkerPool.class) {
        p = common;
        if (p == null) {
          p = new WorkerPool(Integer.getInteger("netc.threads", Runtime.getRuntime().availableProcessors()));
          common = p;
        }
      }
    }
    return p;
  }

  /** The number of participants: worker threads plus the calling thread. */
  public int threads() {
    return threads;
  }

  /** A new executor for one session that uses every participant of this pool. */
  public Executor newExecutor() {
    return new Executor(this, threads);
  }

  /** Stops the worker threads; executors of this pool then run their calls alone. */
  @Override
  public void close() {
    closed = true;
    for (Worker w : workers) {
      LockSupport.unpark(w);
    }
  }

  /** The number of executors registered now (closed or collected ones are not counted). */
  public int registrations() {
    return jobs.length;
  }

  synchronized void register(Job job) {
    Job[] next = Arrays.copyOf(jobs, jobs.length + 1);
    next[jobs.length] = job;
    jobs = next;
  }

  synchronized void unregister(Job job) {
    Job[] cur = jobs;
    for (int i = 0; i < cur.length; i++) {
      if (cur[i] == job) {
        Job[] next = new Job[cur.length - 1];
        System.arraycopy(cur, 0, next, 0, i);
        System.arraycopy(cur, i + 1, next, i, cur.length - i - 1);
        jobs = next;
        return;
      }
    }
  }

  /** Wakes up to {@code wanted} parked workers for a freshly armed job. */
  void signal(int wanted) {
    for (int i = 0; i < workers.length && wanted > 0; i++) {
      Worker w = workers[i];
      if (w.parked) {
        LockSupport.unpark(w);
        wanted--;
      }
    }
  }

  boolean closed() {
    return closed;
  }

  private Job findOpenJob() {
    for (Job j : jobs) {
      if (j.open()) {
        return j;
      }
    }
    return null;
  }

  private final class Worker extends Thread {
    volatile boolean parked;

    Worker(String name) {
      super(name);
      setDaemon(true);
    }

    @Override
    public void run() {
      while (!closed) {
        Job j = findOpenJob();
        if (j != null) {
          j.help();
          continue;
        }
        if (!spinForWork()) {
          parkUntilSignalled();
        }
      }
    }

    /** Spins a short while for new work; true when some appeared. */
    private boolean spinForWork() {
      long deadline = System.nanoTime() + SPIN_NANOS;
      while (System.nanoTime() < deadline) {
        Thread.onSpinWait();
        if (findOpenJob() != null) {
          return true;
        }
      }
      return false;
    }

    private void parkUntilSignalled() {
      parked = true;
      // Re-check after publishing "parked": a job armed in between either is seen here or sees
      // the flag and unparks this thread (the permit then makes park return at once).
      if (findOpenJob() == null && !closed) {
        LockSupport.park(this);
      }
      parked = false;
    }
  }
}

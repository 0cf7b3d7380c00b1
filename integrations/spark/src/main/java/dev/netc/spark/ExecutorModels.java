package dev.netc.spark;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.util.Deque;
import java.util.HashMap;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.ConcurrentLinkedDeque;
import java.util.concurrent.atomic.AtomicLong;

/**
 * What an executor JVM keeps between tasks: each model loaded once per generated class and weights source, shared
 * by every task thread; and each task thread's runners (a session with its arrays), reused by every task the
 * thread runs. Models stay until the JVM ends (an executor scores with few models; {@link #clear()} drops them).
 */
public final class ExecutorModels {
  private static final Map<String, Object> MODELS = new ConcurrentHashMap<>();
  private static final ThreadLocal<Map<String, Deque<NetcModel.Runner>>> RUNNERS = ThreadLocal.withInitial(HashMap::new);
  private static final AtomicLong LOADS = new AtomicLong();
  private static final AtomicLong SESSIONS = new AtomicLong();

  private ExecutorModels() {}

  /** The model of {@code type} with {@code weights}, loaded on first use in this JVM. */
  static <M> M model(NetcModel<M> type, ModelWeights weights) {
    Object m = MODELS.computeIfAbsent(modelKey(type, weights), k -> {
      try {
        M loaded = weights.load(type);
        LOADS.incrementAndGet();
        return loaded;
      } catch (IOException e) {
        throw new UncheckedIOException(e);
      }
    });
    return type.type().cast(m);
  }

  /**
   * A runner for the model with {@code batch} items on {@code threads} threads, for the calling thread until
   * {@link Lease#close()}: the one this thread used last, or a new one when it has none free (two scorings of the
   * same model in one task, say).
   */
  static Lease lease(NetcModel<?> type, ModelWeights weights, int batch, int threads) {
    String key = modelKey(type, weights) + "|" + batch + "|" + threads;
    Deque<NetcModel.Runner> free = RUNNERS.get().computeIfAbsent(key, k -> new ConcurrentLinkedDeque<>());
    NetcModel.Runner r = free.poll();
    if (r == null) {
      r = type.newRunner(model(type, weights), batch, threads);
      SESSIONS.incrementAndGet();
    }
    return new Lease(r, free);
  }

  /**
   * A runner lent to one thread; closing the lease gives it back to that thread's free runners (from whichever
   * thread closes it: Spark may finish consuming a partition's iterator on another thread than the task's).
   */
  static final class Lease implements AutoCloseable {
    private final NetcModel.Runner runner;
    private final Deque<NetcModel.Runner> free;
    private boolean closed;

    private Lease(NetcModel.Runner runner, Deque<NetcModel.Runner> free) {
      this.runner = runner;
      this.free = free;
    }

    NetcModel.Runner runner() {
      return runner;
    }

    @Override
    public synchronized void close() {
      if (!closed) {
        closed = true;
        free.push(runner);
      }
    }
  }

  private static String modelKey(NetcModel<?> type, ModelWeights weights) {
    return type.type().getName() + "|" + weights.key();
  }

  /** How many models this JVM has loaded (each generated class and weights source counts once). */
  public static long modelsLoaded() {
    return LOADS.get();
  }

  /** How many sessions this JVM has opened (one per task thread, model and batch size). */
  public static long sessionsOpened() {
    return SESSIONS.get();
  }

  /** Forgets every loaded model, so the next task loads its weights again (the calling thread's runners too). */
  public static void clear() {
    MODELS.clear();
    RUNNERS.get().clear();
  }
}

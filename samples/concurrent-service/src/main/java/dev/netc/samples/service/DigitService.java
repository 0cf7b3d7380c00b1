package dev.netc.samples.service;

import dev.netc.samples.service.model.Digits;
import java.util.Queue;
import java.util.concurrent.ConcurrentLinkedQueue;

/**
 * One {@link Digits} network shared by every thread that calls {@link #classify}: the weights are immutable and
 * loaded once, and each calling thread runs through its own {@link Digits.Session} (its activation arena), made on
 * the thread's first call and reused after. A session is single-threaded, so it never leaves its thread; the
 * model is thread-safe, so it is never copied. In steady state a call allocates only the array it returns.
 */
public final class DigitService implements AutoCloseable {
  /** Floats per request: one 1 x 28 x 28 image, batch first as the generated class takes it. */
  public static final int IMAGE_FLOATS = Digits.IMAGE_SHAPE.numel();
  /** Floats per answer: the 10 logits. */
  public static final int LOGITS = Digits.LOGITS_SHAPE.numel();

  private final Digits model;
  private final Queue<Digits.Session> opened = new ConcurrentLinkedQueue<>();
  // Each session runs on its caller's thread alone (threads = 1): the service's own threads are the parallelism.
  private final ThreadLocal<Digits.Session> session = ThreadLocal.withInitial(this::open);
  private volatile boolean closed;

  public DigitService(Digits model) { this.model = model; }

  private Digits.Session open() {
    Digits.Session s = model.newSession(1, 1);
    opened.add(s);
    return s;
  }

  /** The logits of one image ({@value #IMAGE_FLOATS} floats), in a new array. Safe from any number of threads. */
  public float[] classify(float[] image) {
    float[] logits = new float[LOGITS];
    classify(image, logits);
    return logits;
  }

  /** Writes the logits of one image into {@code logits}; allocates nothing once this thread has its session. */
  public void classify(float[] image, float[] logits) {
    if (closed) throw new IllegalStateException("the service is closed");
    session.get().forward(image, logits);
  }

  /** The sessions opened so far: one per thread that has called {@link #classify}. */
  public int sessions() { return opened.size(); }

  /** The index of the largest logit. */
  public static int argmax(float[] logits) {
    int best = 0;
    for (int i = 1; i < logits.length; i++) if (logits[i] > logits[best]) best = i;
    return best;
  }

  /** Closes every session; calls after this fail. Call it once the threads that classify have stopped. */
  @Override
  public void close() {
    closed = true;
    for (Digits.Session s; (s = opened.poll()) != null; ) s.close();
  }
}

package dev.netc.compiler.syntax;

import java.util.concurrent.Callable;
import java.util.concurrent.atomic.AtomicReference;

/**
 * Runs a piece of the front end on a thread with a 512 KiB stack, smaller than any JVM's default, so that a test
 * proves deep input is refused with a diagnostic rather than overflowing the stack of whatever thread runs it.
 */
final class SmallStack {
  static final long STACK_BYTES = 512 * 1024;

  private SmallStack() {}

  /** What {@code body} returned or threw; a {@code Throwable} that is not the test's business fails the test. */
  record Outcome<T>(T value, Throwable thrown) {}

  static <T> Outcome<T> run(Callable<T> body) {
    AtomicReference<Outcome<T>> result = new AtomicReference<>();
    Thread t = new Thread(null, () -> {
      try {
        result.set(new Outcome<>(body.call(), null));
      } catch (Throwable e) {
        result.set(new Outcome<>(null, e));
      }
    }, "small-stack", STACK_BYTES);
    t.start();
    try {
      t.join();
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      throw new AssertionError("interrupted", e);
    }
    return result.get();
  }
}

package dev.netc.spark;

import java.io.Serial;

/**
 * A row the network cannot score: a missing value, an array of the wrong length, a value that is not a number.
 * Thrown by an {@link InputReader}; the scorer puts its message in the row's error column and goes on.
 */
public final class BadRowException extends RuntimeException {
  @Serial private static final long serialVersionUID = 1L;

  /** A bad row, with what is wrong with it. */
  public BadRowException(String message) {
    super(message, null, false, false);
  }
}

package dev.netc.runtime;

/**
 * An input value a model cannot take, such as a token id outside an embedding's table. Generated
 * code throws it with a message naming the layer and the offending element; it is the caller's
 * mistake, not a fault of the model, so a command line reports it in one line.
 */
public final class InputException extends IllegalArgumentException {
  private static final long serialVersionUID = 1L;

  /** An exception with the given message. */
  public InputException(String message) {
    super(message);
  }
}

package dev.netc.compiler.interp;

/**
 * The user's weights or inputs do not fit the network: a missing tensor, a wrong shape, inputs that disagree
 * on the batch size, a box naming a batch item that does not exist. The message is one line that says what was
 * expected and what was found. Interpreter bugs are never this type (they are {@link IllegalStateException}s).
 */
public final class InterpreterException extends RuntimeException {
  private static final long serialVersionUID = 1L;

  public InterpreterException(String message) { super(message, null, false, false); }
}

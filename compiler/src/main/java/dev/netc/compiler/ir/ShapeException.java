package dev.netc.compiler.ir;

import dev.netc.compiler.diag.Code;

/**
 * An op cannot accept its inputs (or its arguments make no sense for them). Thrown by shape rules with a message
 * that names both shapes; elaboration turns it into a diagnostic at the layer's span, prefixed with the layer path.
 */
public final class ShapeException extends RuntimeException {
  private final Code code;

  public ShapeException(Code code, String message) {
    super(message, null, false, false);
    this.code = code;
  }

  public ShapeException(String message) { this(Code.NET030, message); }

  public Code code() { return code; }

  public static ShapeException rank(String message) { return new ShapeException(Code.NET031, message); }
}

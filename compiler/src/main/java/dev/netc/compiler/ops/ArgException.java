package dev.netc.compiler.ops;

import dev.netc.compiler.diag.Code;

/** An argument has a value the op cannot use; {@code arg} names it (null: the call as a whole). */
public final class ArgException extends RuntimeException {
  private final String arg;
  private final Code code;

  public ArgException(String arg, Code code, String message) {
    super(message, null, false, false);
    this.arg = arg;
    this.code = code;
  }

  public String arg() { return arg; }

  public Code code() { return code; }
}

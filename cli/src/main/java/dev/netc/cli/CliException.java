package dev.netc.cli;

/**
 * A problem with the command's arguments or the files it names, reported as one line {@code netc: MESSAGE} with its
 * exit code: {@link Main#USER_ERROR} for files and inputs, {@link Main#USAGE} for argument values. It carries no
 * stack trace: it is not a bug.
 */
final class CliException extends RuntimeException {
  private final int code;

  private CliException(String message, int code) {
    super(message, null, false, false);
    this.code = code;
  }

  /** A file, input or network the command cannot use: exit code 1. */
  static CliException user(String message) { return new CliException(message, Main.USER_ERROR); }

  /** An argument value out of range or malformed: exit code 2. */
  static CliException usage(String message) { return new CliException(message, Main.USAGE); }

  int code() { return code; }
}

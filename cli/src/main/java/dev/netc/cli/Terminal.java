package dev.netc.cli;

/**
 * Whether the standard streams are a terminal, for colors and progress lines. The {@code netc} launcher knows (it
 * asks the shell, {@code [ -t 2 ]}) and says so in the system properties {@code netc.stdout.terminal} and
 * {@code netc.stderr.terminal}; without them (a plain {@code java -jar}), a stream is taken as a terminal when the
 * JVM's console is one ({@link java.io.Console#isTerminal}: standard input and output are both terminals).
 */
final class Terminal {
  private Terminal() {}

  /** True when standard error is a terminal (progress lines with {@code \r}, colored diagnostics). */
  static boolean stderr() { return is("netc.stderr.terminal"); }

  /** True when standard output is a terminal. */
  static boolean stdout() { return is("netc.stdout.terminal"); }

  private static boolean is(String property) {
    String said = System.getProperty(property);
    if (said != null && !said.isBlank()) return Boolean.parseBoolean(said.strip());
    java.io.Console c = System.console();
    return c != null && c.isTerminal();
  }
}

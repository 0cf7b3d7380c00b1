package dev.netc.cli;

/**
 * Whether standard error is a terminal, for colored diagnostics and bench's progress line. The {@code netc} launcher
 * knows (it asks the shell, {@code [ -t 2 ]}) and says so in system property {@code netc.stderr.terminal}; without
 * it (a plain {@code java -jar}), standard error is taken as a terminal when the JVM's console is one
 * ({@link java.io.Console#isTerminal}: standard input and output are both terminals).
 */
final class Terminal {
  private Terminal() {}

  /** True when standard error is a terminal (progress lines with {@code \r}, colored diagnostics). */
  static boolean stderr() {
    String said = System.getProperty("netc.stderr.terminal");
    if (said != null && !said.isBlank()) return Boolean.parseBoolean(said.strip());
    java.io.Console c = System.console();
    return c != null && c.isTerminal();
  }
}

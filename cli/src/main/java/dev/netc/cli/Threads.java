package dev.netc.cli;

import java.io.PrintWriter;

/**
 * {@code --threads} of {@code run} and {@code bench}: at least 1, and at most 4 × the processors (more threads
 * than that only wait for each other; 100,000 would start tens of thousands of threads and die). A larger number
 * is lowered to the cap with a note on standard error.
 */
final class Threads {
  /** Threads per processor at most. */
  static final int PER_PROCESSOR = 4;

  private Threads() {}

  /** The threads to use for {@code requested} (null: every processor). */
  static int of(Integer requested, PrintWriter err) {
    int cores = Runtime.getRuntime().availableProcessors();
    if (requested == null) return cores;
    if (requested < 1) throw CliException.usage("--threads must be at least 1, got " + requested);
    int cap = PER_PROCESSOR * cores;
    if (requested > cap) {
      err.println("netc: --threads " + requested + " is more than " + PER_PROCESSOR + " per processor; using " + cap
          + " (" + cores + " processor" + (cores == 1 ? "" : "s") + ")");
      err.flush();
      return cap;
    }
    return requested;
  }

  /**
   * Sizes the shared worker pool for {@code threads}: it takes its size from system property {@code netc.threads}
   * when first used, which is after this.
   */
  static void sizePool(int threads) {
    System.setProperty("netc.threads", String.valueOf(Math.max(threads, Runtime.getRuntime().availableProcessors())));
  }
}

package dev.netc.compiler.interp;

/**
 * The multiply-accumulates one node actually executed, added up from the work sizes the interpreter hands to
 * each kernel (a convolution's spec, a product's m·n·k) — counted apart from {@code Op.cost} so that a test can
 * check the two against each other.
 */
final class MacCount {
  private long macs;

  void add(long n) { macs = Math.addExact(macs, n); }

  long get() { return macs; }
}

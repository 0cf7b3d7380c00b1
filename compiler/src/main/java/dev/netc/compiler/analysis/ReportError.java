package dev.netc.compiler.analysis;

/** A report request that does not fit the network (a sweep over an input it lacks, a size of the wrong rank). */
public final class ReportError extends RuntimeException {
  public ReportError(String message) { super(message, null, false, false); }
}

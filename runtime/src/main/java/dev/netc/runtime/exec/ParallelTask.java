package dev.netc.runtime.exec;

/**
 * A kernel whose work for one call is split into independent chunks.
 *
 * <p>An {@link Executor} calls {@link #runChunk} once for every chunk index in
 * {@code [0, chunks)}, on any of its participating threads, in any order, possibly at the same
 * time. Chunks must therefore write disjoint parts of the output. Implementations are usually
 * immutable, load-time objects (a conv or GEMM plan): everything that varies per call travels in
 * the {@link CallFrame}, so one task object can serve many sessions at once.
 */
@FunctionalInterface
public interface ParallelTask {
  /**
   * Computes chunk {@code chunk} of the call described by {@code frame}.
   *
   * @param frame   the call's arguments, written by the caller before the call and only read here
   * @param chunk   the chunk index, {@code 0 <= chunk < chunks}
   * @param scratch this participant's scratch array, at least the size the caller asked for; no
   *                other thread uses it while this chunk runs. Between two chunks of one call that the same
   *                participant runs it keeps what the first left there (a task may reuse it, keyed by
   *                {@link CallFrame#call()}); across calls it holds whatever other tasks left
   */
  void runChunk(CallFrame frame, int chunk, float[] scratch);
}

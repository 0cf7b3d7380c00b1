package dev.netc.compiler.emit.java;

/**
 * A generated session seen through a fixed interface, for tools that compile a network in memory ({@code netc
 * bench}, {@code netc run}, tests): inputs and outputs are arrays in the graph's order, each batch first, of the
 * sizes the generated class states. Calls allocate nothing, as the generated {@code forward} does not.
 */
public interface NetworkSession extends AutoCloseable {
  void forward(float[][] inputs, float[][] outputs);

  /**
   * Nanoseconds spent in each plan step over all calls so far, indexed like the plan's steps (the array itself,
   * which the caller may reset); null for a session of a normal build (see {@link CompiledNetwork#compileProfiled}).
   */
  default long[] stepNanos() { return null; }

  @Override
  void close();
}

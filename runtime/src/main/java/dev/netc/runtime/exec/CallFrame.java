package dev.netc.runtime.exec;

/**
 * The arguments of one parallel kernel call, held by an {@link Executor} and reused for every
 * call so that a call allocates nothing.
 *
 * <p>The fields are deliberately generic: each {@link ParallelTask} documents what it stores
 * where. The caller writes them before {@link Executor#invoke}; the executor publishes them to
 * its helper threads with the call (a volatile write), and the task only reads them.
 */
public final class CallFrame {
  /** The main input array and the offset of its first element. */
  public float[] src;
  /** Offset into {@link #src}. */
  public int srcOff;
  /** The output array. */
  public float[] dst;
  /** Offset into {@link #dst}. */
  public int dstOff;
  /** The residual (or second input) array; may be null. */
  public float[] res;
  /** Offset into {@link #res}. */
  public int resOff;
  /** A further operand (the right-hand matrix of a GEMM, a shared packing buffer); may be null. */
  public float[] aux;
  /** Offset into {@link #aux}. */
  public int auxOff;
  /** Task-defined integers: batch size, row count, stage number. */
  public int n0;
  /** Task-defined integer. */
  public int n1;
  /** Task-defined integer. */
  public int n2;
  /** Task-defined integer. */
  public int n3;
  /** This call's number: see {@link #call()}. */
  long call;

  CallFrame() {}

  /**
   * This call's number, set by {@link Executor#invoke}: different for every call of the executor (counting from 1),
   * so that a task may keep what one chunk made in a participant's scratch for that participant's next chunks of the
   * same call (see {@link ParallelTask#runChunk}).
   */
  public long call() {
    return call;
  }

  /** Drops the array references, so that a finished call keeps no tensor alive. */
  void clear() {
    src = null;
    dst = null;
    res = null;
    aux = null;
  }
}

package dev.netc.compiler.emit.cuda;

/**
 * A network the CUDA back end cannot compile yet: an op with no CUDA kernel (named with its layer), or a shape a
 * kernel does not take. Never a silent fallback to the CPU: the message says what is missing.
 */
public final class CudaUnsupportedException extends RuntimeException {
  public CudaUnsupportedException(String message) { super(message); }
}

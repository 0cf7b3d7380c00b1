package dev.netc.runtime.cuda;

/** A CUDA driver call that failed: the call, the driver's error code and its name for it. */
public final class CudaException extends RuntimeException {
  private final int code;

  public CudaException(String call, int code, String name) {
    super(call + " failed: CUDA error " + code + (name == null ? "" : " (" + name + ")"));
    this.code = code;
  }

  public int code() { return code; }
}

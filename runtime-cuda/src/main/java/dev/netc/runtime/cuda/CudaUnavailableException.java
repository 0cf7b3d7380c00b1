package dev.netc.runtime.cuda;

/**
 * No CUDA here: the driver library ({@code libcuda}) is missing, or it finds no GPU. The message is one line that
 * says which, for a command line to print as it is.
 */
public final class CudaUnavailableException extends RuntimeException {
  public CudaUnavailableException(String message) { super(message); }
}

package dev.netc.onnx;

/**
 * A user's mistake met while exporting or importing ONNX: a file that is not ONNX, truncated or hostile; an op
 * with no equivalent on the other side; missing weights. The message is one line that names the file, node or
 * layer, and what was expected versus found. Bugs of this module are never this type.
 */
public final class OnnxException extends RuntimeException {
  public OnnxException(String message) { super(message, null, false, false); }
}

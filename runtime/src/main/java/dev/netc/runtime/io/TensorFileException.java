package dev.netc.runtime.io;

import java.io.IOException;
import java.nio.file.Path;

/**
 * A tensor file (safetensors or npy) that cannot be used: malformed or hostile content, or a
 * lookup that does not fit (missing name, wrong shape, tensors a network does not use). The
 * message starts with the file name (or, for weights read from memory, a stream or a class-path
 * resource, the name they were given), then says what is wrong, e.g.
 * {@code resnet.safetensors: layer1.0.conv1.weight: expected [64, 64, 3, 3], file has [64, 64, 1, 1]}.
 */
public final class TensorFileException extends IOException {
  private static final long serialVersionUID = 1L;

  private final transient Path file;
  private final String source;
  private final String problem;

  /** A problem with {@code file}; {@code problem} is the message without the file name. */
  public TensorFileException(Path file, String problem) {
    this(file, String.valueOf(file.getFileName()), problem, null);
  }

  /** As {@link #TensorFileException(Path, String)}, keeping the underlying cause. */
  public TensorFileException(Path file, String problem, Throwable cause) {
    this(file, String.valueOf(file.getFileName()), problem, cause);
  }

  /** A problem with weights that are not a file of their own: {@code source} names them in the message. */
  public TensorFileException(String source, String problem) {
    this(null, source, problem, null);
  }

  private TensorFileException(Path file, String source, String problem, Throwable cause) {
    super(source + ": " + problem, cause);
    this.file = file;
    this.source = source;
    this.problem = problem;
  }

  /** The file concerned; null for weights read from memory, a stream or a resource. */
  public Path file() {
    return file;
  }

  /** How the message names the weights: the file's name, or the name given to a buffer, stream or resource. */
  public String source() {
    return source;
  }

  /** What is wrong, without the file name. */
  public String problem() {
    return problem;
  }
}

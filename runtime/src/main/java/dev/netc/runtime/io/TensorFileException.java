package dev.netc.runtime.io;

import java.io.IOException;
import java.nio.file.Path;

/**
 * A tensor file (safetensors or npy) that cannot be used: malformed or hostile content, or a
 * lookup that does not fit (missing name, wrong shape). The message starts with the file name,
 * then says what is wrong, e.g.
 * {@code resnet.safetensors: layer1.0.conv1.weight: expected [64, 64, 3, 3], file has [64, 64, 1, 1]}.
 */
public final class TensorFileException extends IOException {
  private static final long serialVersionUID = 1L;

  private final transient Path file;
  private final String problem;

  /** A problem with {@code file}; {@code problem} is the message without the file name. */
  public TensorFileException(Path file, String problem) {
    super(file.getFileName() + ": " + problem);
    this.file = file;
    this.problem = problem;
  }

  /** As {@link #TensorFileException(Path, String)}, keeping the underlying cause. */
  public TensorFileException(Path file, String problem, Throwable cause) {
    super(file.getFileName() + ": " + problem, cause);
    this.file = file;
    this.problem = problem;
  }

  /** The file concerned. */
  public Path file() {
    return file;
  }

  /** What is wrong, without the file name. */
  public String problem() {
    return problem;
  }
}

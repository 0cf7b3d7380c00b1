package dev.netc.runtime.io;

import java.nio.file.Path;

/**
 * Where safetensors bytes came from, for error messages: a file ({@code file} set, named by its file name) or a
 * buffer, stream or class-path resource ({@code file} null, named by {@code name}).
 */
record Origin(Path file, String name) {
  static Origin of(Path file) {
    return new Origin(file, String.valueOf(file.getFileName()));
  }

  static Origin named(String name) {
    return new Origin(null, name);
  }

  TensorFileException fail(String problem) {
    return file != null ? new TensorFileException(file, problem) : new TensorFileException(name, problem);
  }
}

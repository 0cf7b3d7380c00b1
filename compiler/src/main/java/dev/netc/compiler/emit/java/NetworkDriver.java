package dev.netc.compiler.emit.java;

import dev.netc.runtime.io.LoadOptions;
import java.io.IOException;
import java.nio.file.Path;

/**
 * Implemented by a small class compiled beside each network in memory, so that tools call the generated code
 * directly (without reflection on the hot path): weights from a file or a seed, sessions over them.
 */
public interface NetworkDriver {
  /** The generated class's {@code load(Path, LoadOptions)}. */
  Object load(Path safetensors, LoadOptions options) throws IOException;

  /** The generated class's {@code randomWeights(seed)}. */
  Object randomWeights(long seed);

  /** {@code model.newSession(batch, threads)} behind {@link NetworkSession}. */
  NetworkSession newSession(Object model, int batch, int threads);
}

package dev.netc.runtime.io;

/**
 * How a network loads its weights. {@link #strict()} (the default of every {@code load} method) refuses a file that
 * holds tensors the network does not use, as PyTorch's {@code load_state_dict(strict=True)} does: they mean a typo
 * in a layer name or the weights of another network. {@link #lenient()} loads such a file and ignores them. A
 * tensor the network needs but the file lacks, or one of the wrong shape, is an error either way.
 *
 * @param allowUnusedTensors whether tensors the network does not use are ignored rather than refused
 */
public record LoadOptions(boolean allowUnusedTensors) {
  private static final LoadOptions STRICT = new LoadOptions(false);
  private static final LoadOptions LENIENT = new LoadOptions(true);

  /** Every tensor of the file must belong to the network. */
  public static LoadOptions strict() {
    return STRICT;
  }

  /** Tensors the network does not use are ignored. */
  public static LoadOptions lenient() {
    return LENIENT;
  }
}

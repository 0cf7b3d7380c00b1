package dev.netc.runtime.kernels;

import dev.netc.runtime.InputException;

/**
 * Embedding lookup, PyTorch's {@code nn.Embedding}: each token id selects a row of a learned
 * table {@code [num, dim]}. Ids arrive as floats (the runtime's only element type); one that is not
 * an integer in {@code [0, num)} is the caller's mistake, an {@link InputException}.
 */
public final class Embeddings {
  private Embeddings() {}

  /**
   * {@code y[i, :] = table[ids[i], :]} for the {@code count} ids at {@code ids[idsOff..]}, rows of
   * {@code dim} floats. An id that is not an integer in {@code [0, num)} (a fraction, NaN, an
   * infinity, out of range) throws before anything of its row is written, with a message that names
   * {@code layer}, the id, and its item and position when the ids are items of {@code perItem} each.
   */
  public static void lookup(float[] table, int num, int dim, float[] ids, int idsOff, int count, int perItem,
      float[] y, int yOff, String layer) {
    for (int i = 0; i < count; i++) {
      float value = ids[idsOff + i];
      int id = (int) value;
      // (int) NaN is 0, so a NaN fails the first test; a fraction or an infinity too.
      if (id != value || id < 0 || id >= num) {
        throw new InputException(layer + ": token id " + value + " (item " + i / perItem + ", position "
            + i % perItem + ") is not an integer in [0, " + num + ")");
      }
      System.arraycopy(table, id * dim, y, yOff + i * dim, dim);
    }
  }
}

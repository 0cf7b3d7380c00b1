package dev.netc.compiler.plan;

import dev.netc.compiler.ir.Graph;
import dev.netc.compiler.ir.Node;
import dev.netc.compiler.ir.TensorType;
import java.util.List;

/**
 * What an emitter needs to run an optimized graph: an ordered list of kernel steps over buffers, with every
 * buffer's layout and place decided. The single input of the Java emitter and the interpreter's fast path.
 *
 * <p>Memory: one arena of floats per session, in two regions. Buffers of batched tensors live in the first,
 * where {@code offset} and {@code size} are per batch item (the session multiplies by its batch size); buffers of
 * unbatched tensors (RoI outputs) live in the second, after {@code batchedArena × batch}, with absolute offsets.
 * Model inputs are read where the caller's arrays are; outputs are written to the caller's arrays by the final
 * steps.
 */
public record Plan(Graph graph, List<Buffer> buffers, List<Step> steps, long batchedArena, long fixedArena,
    long batchedLowerBound, List<Chain> chains) {
  public Plan {
    buffers = List.copyOf(buffers);
    steps = List.copyOf(steps);
    chains = List.copyOf(chains);
  }

  /**
   * Steps {@code [first, first + length)} may run as one runtime {@code ConvChain} (a 1x1 convolution, a depthwise
   * one and a 1x1 one, or the last two; see {@link ConvChains}): the chain's input shares no float with its output
   * (where placement would have put one over the other, the input lives to the chain's last step).
   */
  public record Chain(int first, int length) {}

  /** The chain that starts at step {@code index}, or null. */
  public Chain chainAt(int index) {
    for (Chain c : chains) if (c.first() == index) return c;
    return null;
  }

  /** Memory layout of a buffer. {@code NCHWC16}: channels in blocks of 16 (padded), for [C, H, W] tensors. */
  public enum Layout {
    NCHW, NCHWC16;

    public static final int BLOCK = 16;

    /** Floats per batch item of a tensor of this type in this layout. */
    public long size(TensorType t) {
      if (this == NCHW) return t.elements();
      long c = Math.ceilDiv(t.dim(0), BLOCK) * (long) BLOCK;
      return c * (t.elements() / t.dim(0));
    }
  }

  /** Where a buffer's floats are. */
  public sealed interface Storage {
    /**
     * In the arena; see {@link Plan} for the units of offset. A slice of another buffer (a producer writing its
     * place in an elided concat, see {@link ConcatSlices}) starts {@code within} floats into each of that
     * buffer's images, and its images are {@code imageStride} floats apart (that buffer's size); for every other
     * buffer both are 0: its images are its own size apart.
     */
    record Arena(long offset, long within, long imageStride) implements Storage {
      /** A buffer of its own (or sharing another's start), images contiguous. */
      public Arena(long offset) { this(offset, 0, 0); }

      public boolean isSlice() { return imageStride > 0; }
    }

    /** The caller's array for model input {@code index} (graph input order). */
    record Input(int index) implements Storage {}

    /** The caller's array for model output {@code index} (graph output order). */
    record Output(int index) implements Storage {}
  }

  /**
   * A tensor in memory: the value of graph node {@code node} in {@code layout}. A view (a reshape or flatten of a
   * contiguous buffer) is written by no step: it shares the storage of buffer {@code viewOf} (-1 for others).
   */
  public record Buffer(int id, int node, TensorType type, Layout layout, Storage storage, long size, int viewOf) {
    public boolean batched() { return type.batched(); }

    public boolean isView() { return viewOf >= 0; }
  }

  /** One kernel call: what it computes (a graph node, or a layout or output copy), reading and writing buffers. */
  public record Step(Kind kind, int node, List<Integer> inputs, int output, String comment) {
    public Step { inputs = List.copyOf(inputs); }

    public enum Kind {
      /** Compute graph node {@code node}. */
      COMPUTE,
      /** Convert the input buffer to the output buffer's layout. */
      RELAYOUT,
      /** Copy a result into the caller's output array (converting layout if needed). */
      WRITE_OUTPUT
    }
  }

  public Buffer buffer(int id) { return buffers.get(id); }

  public Node node(Step s) { return graph.node(s.node()); }

  /** Arena floats for a batch size. */
  public long arenaFloats(int batch) { return batchedArena * batch + fixedArena; }
}

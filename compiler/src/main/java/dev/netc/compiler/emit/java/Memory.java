package dev.netc.compiler.emit.java;

import com.palantir.javapoet.CodeBlock;
import dev.netc.compiler.ir.TensorType;
import dev.netc.compiler.plan.Plan;
import dev.netc.compiler.plan.Plan.Buffer;
import dev.netc.compiler.plan.Plan.Storage;
import java.util.List;

/**
 * Where a buffer's floats are, as Java expressions inside a session: the array ({@code arena}, or the caller's
 * input or output array by its parameter name) and the offset of its first element. Batched buffers are
 * {@code offset × batch} into the arena (the plan's offsets are per batch item), unbatched ones
 * {@code fixedBase + offset}; the session defines {@code batch}, {@code arena} and {@code fixedBase}, and the
 * executor and work space that steps pass to kernels. {@code batch} is the current call's item count, at most the
 * batch the arena was sized for: a smaller call packs its buffers closer and stays below {@code fixedBase}, and the
 * work space, sized like the arena, has room to spare.
 */
final class Memory {
  /** The items of the call in progress: from 1 to {@link #MAX_BATCH}, set by each call. */
  static final String BATCH = "batch";
  /**
   * The batch the session was opened for: the arena, the work space and the fixed base are sized for it, or for fewer
   * items where the session runs a batch side by side ({@link #ITEMS}).
   */
  static final String MAX_BATCH = "maxBatch";
  static final String ARENA = "arena";
  static final String FIXED_BASE = "fixedBase";
  /** The session's executor, which parallel kernels take. */
  static final String EXECUTOR = "ex";
  /**
   * In the session's constructor, the most items one pass of this session runs: the batch it is opened for, or,
   * where it runs items side by side, the few left over (fewer than its threads). Its arena and work space are sized
   * for that many, and so are per-session arrays ({@link #perSession}).
   */
  static final String ITEMS = "items"; // reserved with the helper method of that name (Helpers.RESERVED)
  /** The session's shared work space ({@link Parts#needScratch}). */
  static final String SCRATCH = "scratch";
  /** The session members above, which no name derived from a layer may take. */
  static final List<String> RESERVED = List.of(BATCH, MAX_BATCH, ARENA, FIXED_BASE, EXECUTOR, SCRATCH);

  private final Plan plan;
  private final List<String> inputNames;
  private final List<String> outputNames;

  Memory(Plan plan, List<String> inputNames, List<String> outputNames) {
    this.plan = plan;
    this.inputNames = List.copyOf(inputNames);
    this.outputNames = List.copyOf(outputNames);
  }

  Buffer buffer(int id) { return plan.buffer(id); }

  /** The array holding buffer {@code b}. */
  CodeBlock array(Buffer b) {
    return switch (b.storage()) {
      case Storage.Arena a -> CodeBlock.of("$N", ARENA);
      case Storage.Input in -> CodeBlock.of("$N", inputNames.get(in.index()));
      case Storage.Output out -> CodeBlock.of("$N", outputNames.get(out.index()));
    };
  }

  /** The offset of buffer {@code b}'s first element in its array. */
  CodeBlock offset(Buffer b) {
    return switch (b.storage()) {
      case Storage.Arena a when b.batched() && a.isSlice() -> a.within() == 0 ? times(Math.toIntExact(a.offset()))
          : CodeBlock.of("$L + $L", times(Math.toIntExact(a.offset())), Math.toIntExact(a.within()));
      case Storage.Arena a when b.batched() -> times(Math.toIntExact(a.offset()));
      case Storage.Arena a -> a.offset() == 0 ? CodeBlock.of("$N", FIXED_BASE)
          : CodeBlock.of("$N + $L", FIXED_BASE, Math.toIntExact(a.offset()));
      case Storage.Input in -> CodeBlock.of("0");
      case Storage.Output out -> CodeBlock.of("0");
    };
  }

  /**
   * Floats between the starts of two images of batched buffer {@code b}: its own size, or for a slice of an
   * elided concat the concat's size. Only kernels that take an output image stride may write a slice.
   */
  static long imageStride(Buffer b) {
    return b.storage() instanceof Storage.Arena a && a.isSlice() ? a.imageStride() : b.size();
  }

  /** Whether {@code b} is a slice of a wider buffer (see {@link #imageStride}). */
  static boolean isSlice(Buffer b) { return b.storage() instanceof Storage.Arena a && a.isSlice(); }

  /** {@code array, offset}: the usual first two arguments of a kernel. */
  CodeBlock at(Buffer b) { return CodeBlock.of("$L, $L", array(b), offset(b)); }

  /** Whether two buffers share their first float (an in-place step). */
  boolean sameStart(Buffer a, Buffer b) { return a.storage().equals(b.storage()) && a.batched() == b.batched(); }

  /** The number of items of a tensor: {@code batch} when it is batched, else 1. */
  static CodeBlock items(TensorType t) { return t.batched() ? CodeBlock.of("$N", BATCH) : CodeBlock.of("1"); }

  /** The length of a session's own array of {@code k} floats per item (or {@code k} when unbatched), in its constructor. */
  static CodeBlock perSession(long k, boolean batched) {
    int v = Math.toIntExact(k);
    return batched ? CodeBlock.of("$L * $N", v, ITEMS) : CodeBlock.of("$L", v);
  }

  /** {@code k} items' worth: {@code k * batch} for a batched tensor, the constant for an unbatched one. */
  static CodeBlock scaled(long k, boolean batched) {
    int v = Math.toIntExact(k);
    if (!batched) return CodeBlock.of("$L", v);
    return times(v);
  }

  /** Floats buffer {@code b} takes in all (per-item size times the batch when batched). */
  static CodeBlock length(Buffer b) { return scaled(b.size(), b.batched()); }

  private static CodeBlock times(int v) {
    if (v == 0) return CodeBlock.of("0");
    if (v == 1) return CodeBlock.of("$N", BATCH);
    return CodeBlock.of("$L * $N", v, BATCH);
  }
}

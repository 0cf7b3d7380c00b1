package dev.netc.compiler.ir;

import java.util.List;
import java.util.stream.Collectors;

/**
 * Consecutive elementwise layers run as one pass over memory: {@code y = opN(...op2(op1(x)))}, each op a batchnorm
 * (inference: a per-channel scale and shift), a {@link Scale}, an {@link Activation}, or an {@link Add} or
 * {@link Mul} with one more tensor: of the chain's own shape, or one value per channel ({@code [C, 1, ...]}) that
 * broadcasts over the rest. Inputs: {@code x}, then the other operand of each add and mul in link order. Produced
 * by the optimization passes only, never by elaboration. The node carries the batchnorms' tensors in order (each
 * with its own layer's names), as a fused node carries its folded batchnorm's; the chain owns none itself.
 */
public record ElementwiseChain(List<Op> ops) implements Op {
  public ElementwiseChain {
    ops = List.copyOf(ops);
    if (ops.size() < 2) throw new IllegalArgumentException("a chain has at least two ops, got " + ops.size());
    for (Op op : ops) {
      if (!isLink(op)) throw new IllegalArgumentException("not an elementwise op: " + op.name());
    }
  }

  /** Whether {@code op} may be a link of a chain: {@link OpTraits.Trait#ELEMENTWISE}. */
  public static boolean isLink(Op op) { return OpTraits.isElementwise(op); }

  /** Whether a link takes a second tensor (an add or a mul). */
  public static boolean isBinary(Op op) { return op instanceof Add || op instanceof Mul; }

  public String name() { return "elementwise"; }

  public int arity() { return 1 + (int) ops.stream().filter(ElementwiseChain::isBinary).count(); }

  public TensorType infer(List<TensorType> in) {
    TensorType x = in.getFirst();
    for (TensorType t : in.subList(1, in.size())) {
      if (!t.equals(x) && !perChannelOf(t, x)) {
        throw new ShapeException("elementwise chain: " + t + " neither equals " + x + " nor has one value per channel");
      }
    }
    return x;
  }

  /** Whether {@code t} holds one value per channel of {@code x}: {@code [C, 1, ...]} against {@code [C, ...]}. */
  public static boolean perChannelOf(TensorType t, TensorType x) {
    if (t.batched() != x.batched() || t.rank() != x.rank() || t.rank() < 1 || t.dim(0) != x.dim(0)) return false;
    for (int d = 1; d < t.rank(); d++) if (t.dim(d) != 1) return false;
    return !t.equals(x);
  }

  /** The links' costs added: the arithmetic is unchanged, only the passes over memory are fewer. */
  public Cost cost(List<TensorType> in, TensorType out, int batch) {
    long other = 0;
    for (Op op : ops) other += op.cost(isBinary(op) ? List.of(out, out) : List.of(out), out, batch).otherOps();
    return Cost.other(other, ops.getFirst().cost(isBinary(ops.getFirst()) ? List.of(out, out) : List.of(out), out,
        batch).category());
  }

  public String describe() {
    return ops.stream().map(o -> o.describe().isEmpty() ? o.name() : o.name() + " " + o.describe())
        .collect(Collectors.joining(" + "));
  }

  /**
   * Whether the chain must run on NCHW: a link depends on the channel (a batchnorm) or reads another tensor (whose
   * layout would otherwise have to match the chain's).
   */
  public boolean perChannel() { return ops.stream().anyMatch(o -> o instanceof BatchNorm || isBinary(o)); }
}

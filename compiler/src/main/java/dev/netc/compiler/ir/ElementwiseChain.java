package dev.netc.compiler.ir;

import java.util.List;
import java.util.stream.Collectors;

/**
 * Consecutive unary elementwise layers run as one pass over memory: {@code y = opN(...op2(op1(x)))}, each op a
 * batchnorm (inference: a per-channel scale and shift), a {@link Scale} or an {@link Activation}. Produced by the
 * optimization passes only, never by elaboration. The node carries the batchnorms' tensors in order (each with
 * its own layer's names), as a fused node carries its folded batchnorm's; the chain owns none itself.
 */
public record ElementwiseChain(List<Op> ops) implements Op {
  public ElementwiseChain {
    ops = List.copyOf(ops);
    if (ops.size() < 2) throw new IllegalArgumentException("a chain has at least two ops, got " + ops.size());
    for (Op op : ops) {
      if (!isLink(op)) throw new IllegalArgumentException("not a unary elementwise op: " + op.name());
    }
  }

  /** Whether {@code op} may be a link of a chain. */
  public static boolean isLink(Op op) {
    return op instanceof BatchNorm || op instanceof Scale || op instanceof Activation;
  }

  public String name() { return "elementwise"; }

  public int arity() { return 1; }

  public TensorType infer(List<TensorType> in) { return in.getFirst(); }

  /** The links' costs added: the arithmetic is unchanged, only the passes over memory are fewer. */
  public Cost cost(List<TensorType> in, TensorType out, int batch) {
    long other = 0;
    for (Op op : ops) other += op.cost(in, out, batch).otherOps();
    return Cost.other(other, ops.getFirst().cost(in, out, batch).category());
  }

  public String describe() {
    return ops.stream().map(o -> o.describe().isEmpty() ? o.name() : o.name() + " " + o.describe())
        .collect(Collectors.joining(" + "));
  }

  /** Whether any link depends on the channel (a batchnorm): such a chain runs on NCHW only. */
  public boolean perChannel() { return ops.stream().anyMatch(o -> o instanceof BatchNorm); }
}

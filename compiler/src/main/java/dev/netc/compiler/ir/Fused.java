package dev.netc.compiler.ir;

import java.util.List;

/**
 * A conv, transposed conv or linear layer with its epilogue fused into the final store, as the runtime's kernels
 * do it: {@code act(bn(main(x)) + residual)}. {@code norm} is a batchnorm folded into the weights at load time
 * (null: none); {@code act} is the activation applied last (null: none); with {@code residual} the node has a
 * second input added before the activation. Produced by the optimization passes only, never by elaboration.
 */
public record Fused(Op main, BatchNorm norm, Activation act, boolean residual) implements Op {
  public Fused {
    if (!(main instanceof Conv || main instanceof ConvTranspose || main instanceof Linear)) {
      throw new IllegalArgumentException("only conv, conv_transpose and linear take a fused epilogue, not " + main.name());
    }
  }

  public String name() { return "fused_" + main.name(); }

  public int arity() { return residual ? 2 : 1; }

  public TensorType infer(List<TensorType> in) {
    TensorType out = main.infer(in.subList(0, 1));
    if (residual && !in.get(1).equals(out)) {
      throw new ShapeException("cannot add " + out + " and " + in.get(1));
    }
    return out;
  }

  /** The main op's tensors; a folded norm's tensors belong to their own layer and are carried by the node. */
  public List<ParamSpec> params(List<TensorType> in) { return main.params(in.subList(0, 1)); }

  public Cost cost(List<TensorType> in, TensorType out, int batch) {
    Cost c = main.cost(in.subList(0, 1), out, batch);
    long other = (act != null && act.kind() != Activation.Kind.IDENTITY ? out.elements(batch) : 0)
        + (residual ? out.elements(batch) : 0);
    return new Cost(c.macs(), other, c.category());
  }

  public String describe() {
    return main.describe() + (norm != null ? " + batchnorm" : "") + (residual ? " + add" : "")
        + (act != null ? " + " + act.name() : "");
  }

  /** A conv, transposed conv or linear layer as one with an empty epilogue, a fused one as it is; null for other ops. */
  public static Fused of(Op op) {
    return switch (op) {
      case Fused f -> f;
      case Conv c -> new Fused(c, null, null, false);
      case ConvTranspose t -> new Fused(t, null, null, false);
      case Linear l -> new Fused(l, null, null, false);
      default -> null;
    };
  }

  public Fused withNorm(BatchNorm bn) { return new Fused(main, bn, act, residual); }

  public Fused withResidual() { return new Fused(main, norm, act, true); }

  public Fused withAct(Activation a) { return new Fused(main, norm, a, residual); }
}

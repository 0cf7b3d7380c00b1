package dev.netc.compiler.ir;

import java.util.List;

/**
 * An elementwise activation. {@code alpha} is the negative slope of leaky_relu, the alpha of elu, the beta of
 * softplus; {@code beta} is softplus's threshold. Other ops = output elements (identity: none).
 */
public record Activation(Kind kind, double alpha, double beta) implements Op {
  public enum Kind {
    IDENTITY, RELU, RELU6, LEAKY_RELU, ELU, SIGMOID, TANH, GELU, SILU, HARDSWISH, HARDSIGMOID, SOFTPLUS;

    public String opName() { return name().toLowerCase(java.util.Locale.ROOT); }
  }

  public static Activation of(Kind kind) { return new Activation(kind, 0, 0); }

  public String name() { return kind.opName(); }

  public int arity() { return 1; }

  public TensorType infer(List<TensorType> in) { return in.getFirst(); }

  public Cost cost(List<TensorType> in, TensorType o, int batch) {
    return Cost.other(kind == Kind.IDENTITY ? 0 : o.elements(batch), Cost.Category.ACTIVATION);
  }

  public String describe() {
    return switch (kind) {
      case LEAKY_RELU -> "slope=" + alpha;
      case ELU -> "alpha=" + alpha;
      case SOFTPLUS -> "beta=" + alpha;
      default -> "";
    };
  }
}

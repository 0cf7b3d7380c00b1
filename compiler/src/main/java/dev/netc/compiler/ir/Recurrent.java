package dev.netc.compiler.ir;

import java.util.ArrayList;
import java.util.List;

/**
 * LSTM or GRU over {@code [T, F]} (batch first), returning the whole output sequence {@code [T, hidden]}. PyTorch
 * gate order (LSTM i,f,g,o; GRU r,z,n) and names {@code weight_ih_l0, weight_hh_l0, bias_ih_l0, bias_hh_l0}.
 * MACs per step and layer = gates·hidden·(input + hidden); other ops = gate nonlinearities and products.
 */
public record Recurrent(Kind kind, int hidden, int layers, boolean bias) implements Op {
  /** The most stacked layers an op may have (each adds four weight tensors). */
  public static final int MAX_LAYERS = 10_000;

  public enum Kind {
    LSTM(4), GRU(3);

    final int gates;

    Kind(int gates) { this.gates = gates; }

    public int gates() { return gates; }
  }

  public String name() { return kind.name().toLowerCase(java.util.Locale.ROOT); }

  public int arity() { return 1; }

  public TensorType infer(List<TensorType> in) {
    TensorType x = in.getFirst();
    Rules.requireRank(name(), x, 2);
    return x.withShape(Shape.of(x.dim(0), hidden));
  }

  public List<ParamSpec> params(List<TensorType> in) {
    List<ParamSpec> ps = new ArrayList<>();
    // Gates × hidden rows: beyond an int, an ArithmeticException that elaboration reports as NET023.
    int g = Math.multiplyExact(kind.gates, hidden);
    for (int l = 0; l < layers; l++) {
      int input = l == 0 ? in.getFirst().dim(1) : hidden;
      ps.add(ParamSpec.learned("weight_ih_l" + l, g, input));
      ps.add(ParamSpec.learned("weight_hh_l" + l, g, hidden));
      if (bias) {
        ps.add(ParamSpec.learned("bias_ih_l" + l, g));
        ps.add(ParamSpec.learned("bias_hh_l" + l, g));
      }
    }
    return ps;
  }

  public Cost cost(List<TensorType> in, TensorType o, int batch) {
    long t = in.getFirst().dim(0);
    long items = in.getFirst().batched() ? batch : 1;
    long macs = 0;
    for (int l = 0; l < layers; l++) {
      long input = l == 0 ? in.getFirst().dim(1) : hidden;
      macs += (long) kind.gates * hidden * (input + hidden);
    }
    long other = (long) layers * hidden * (kind == Kind.LSTM ? 8 : 7);
    return new Cost(items * t * macs, items * t * other, Cost.Category.RECURRENT);
  }

  public String describe() { return hidden + (layers != 1 ? ", layers=" + layers : ""); }
}

package dev.netc.compiler.ir;

import java.util.ArrayList;
import java.util.List;

/**
 * Multi-head self-attention over {@code [T, E]} (PyTorch nn.MultiheadAttention, batch first): packed
 * {@code in_proj_weight [3E, E]}, {@code in_proj_bias [3E]}, {@code out_proj.weight [E, E]},
 * {@code out_proj.bias [E]}. MACs per item = 4·T·E² (projections) + 2·T²·E (scores and weighted sum);
 * other ops = the softmax's heads·T² elements.
 */
public record Attention(int heads, boolean bias) implements Op {
  public String name() { return "attention"; }

  public int arity() { return 1; }

  public TensorType infer(List<TensorType> in) {
    TensorType x = in.getFirst();
    Rules.requireRank("attention", x, 2);
    if (x.dim(1) % heads != 0) {
      throw new ShapeException("attention: embedding size " + x.dim(1) + " of " + x + " is not divisible by "
          + heads + " heads");
    }
    return x;
  }

  public List<ParamSpec> params(List<TensorType> in) {
    int e = in.getFirst().dim(1);
    List<ParamSpec> ps = new ArrayList<>();
    // Three projections stacked: beyond an int, an ArithmeticException that elaboration reports as NET023.
    ps.add(ParamSpec.learned("in_proj_weight", Math.multiplyExact(3, e), e));
    if (bias) ps.add(ParamSpec.learned("in_proj_bias", Math.multiplyExact(3, e)));
    ps.add(ParamSpec.learned("out_proj.weight", e, e));
    if (bias) ps.add(ParamSpec.learned("out_proj.bias", e));
    return ps;
  }

  public Cost cost(List<TensorType> in, TensorType o, int batch) {
    long t = in.getFirst().dim(0), e = in.getFirst().dim(1);
    long items = in.getFirst().batched() ? batch : 1;
    long macs = items * (4 * t * e * e + 2 * t * t * e);
    return new Cost(macs, items * heads * t * t, Cost.Category.ATTENTION);
  }

  public String describe() { return "heads=" + heads; }
}

package dev.netc.compiler.ir;

import java.util.List;

/**
 * Local response normalization across channels (PyTorch LocalResponseNorm, AlexNet):
 * {@code b_c = a_c / (k + alpha/size * sum_{c' in window} a_c'^2)^beta}. Other ops = output elements × size.
 */
public record Lrn(int size, double alpha, double beta, double k) implements Op {
  public String name() { return "lrn"; }

  public int arity() { return 1; }

  public TensorType infer(List<TensorType> in) {
    TensorType x = in.getFirst();
    if (x.rank() < 1) throw ShapeException.rank("lrn needs a channel dimension, got " + x);
    return x;
  }

  public Cost cost(List<TensorType> in, TensorType o, int batch) {
    return Cost.other(Math.multiplyExact(o.elements(batch), (long) size), Cost.Category.NORM);
  }

  public String describe() { return "size=" + size; }
}

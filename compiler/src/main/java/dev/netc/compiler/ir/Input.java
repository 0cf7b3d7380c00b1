package dev.netc.compiler.ir;

import java.util.List;

/** A network input with its declared type. */
public record Input(String inputName, TensorType type) implements Op {
  public String name() { return "input"; }

  public int arity() { return 0; }

  public TensorType infer(List<TensorType> in) { return type; }

  public Cost cost(List<TensorType> in, TensorType out, int batch) { return Cost.FREE_INPUT; }

  public String describe() { return inputName; }
}

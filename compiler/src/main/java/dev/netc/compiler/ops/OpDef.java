package dev.netc.compiler.ops;

import dev.netc.compiler.ir.Op;
import dev.netc.compiler.ir.TensorType;
import java.util.List;

/**
 * The surface of one op in the language: its name, its arguments, a summary, and the factory that turns bound
 * arguments and input types into the IR {@link Op} (which holds the shape rule, parameters and cost).
 * {@code combiner} ops take parallel branches: {@code concat { a; b }}.
 */
public record OpDef(String name, String summary, List<ArgSpec> args, boolean combiner, Factory factory) {
  public OpDef { args = List.copyOf(args); }

  /** Builds the op; throws {@link ArgException} for bad argument values. */
  @FunctionalInterface
  public interface Factory {
    Op make(Args args, List<TensorType> inputs);
  }

  public ArgSpec arg(String argName) {
    return args.stream().filter(a -> a.name().equals(argName)).findFirst().orElse(null);
  }
}

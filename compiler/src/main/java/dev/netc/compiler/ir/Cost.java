package dev.netc.compiler.ir;

/**
 * What one op costs for a given batch size, under the counting conventions of spec/counting.md:
 * {@code macs} are multiply-accumulates of conv/linear/matmul/attention/recurrent (FLOPs = 2 × MACs);
 * {@code otherOps} is everything else (normalizations, activations, pooling reads, adds, copies), counted in
 * elements touched, never silently zero for an op that computes. {@code category} lets reports compare with
 * torchvision-style breakdowns.
 */
public record Cost(long macs, long otherOps, Category category) {
  public enum Category { INPUT, CONV, LINEAR, MATMUL, NORM, ACTIVATION, POOL, ADD, MUL, CONCAT, DATA, RECURRENT, ATTENTION, OTHER }

  public static Cost macs(long macs, Category c) { return new Cost(macs, 0, c); }

  public static Cost other(long ops, Category c) { return new Cost(0, ops, c); }

  public static final Cost FREE_INPUT = new Cost(0, 0, Category.INPUT);

  public long flops() { return 2 * macs; }
}

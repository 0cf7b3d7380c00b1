package dev.netc.compiler.analysis;

import dev.netc.compiler.ir.TensorType;

/**
 * One layer (graph node) of a report with its own counts for the report's batch size: learned parameters and
 * buffers it owns (a tensor shared with an earlier layer counts there only), MACs, other ops, and the bytes of
 * its float32 output. {@code rf} is null where the output is not spatial.
 *
 * @param node the node id in its graph
 * @param op the op's catalogue name ({@code conv})
 * @param detail the op's attributes ({@code 64, k=3, s=2, p=1})
 */
public record LayerStats(int node, String path, String op, String detail, TensorType type, long params,
    long buffers, long macs, long otherOps, long activationBytes, ReceptiveField rf) {

  public long flops() { return Math.multiplyExact(2, macs); }
}

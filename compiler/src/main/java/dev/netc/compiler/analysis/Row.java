package dev.netc.compiler.analysis;

import dev.netc.compiler.ir.TensorType;

/**
 * A line of a rendered report: one layer, or a group of layers sharing a path prefix (a stage or a block) with
 * their subtotals. A group's {@code type} and {@code rf} are those of its last layer (its output, for a block);
 * its {@code activationBytes} are the sum over its layers.
 *
 * @param level the nesting depth for indentation: 0 in a flat list, else the number of path segments − 1
 * @param layers how many layers the row stands for (1 for a layer)
 */
public record Row(String path, int level, boolean group, String op, String detail, TensorType type, long params,
    long buffers, long macs, long otherOps, long activationBytes, ReceptiveField rf, int layers) {

  public long flops() { return Math.multiplyExact(2, macs); }

  static Row of(LayerStats l, int level) {
    return new Row(l.path(), level, false, l.op(), l.detail(), l.type(), l.params(), l.buffers(), l.macs(),
        l.otherOps(), l.activationBytes(), l.rf(), 1);
  }

  /** The op with its attributes ({@code conv 64, k=3}), or the number of layers for a group. */
  public String opText() {
    if (group) return "(" + layers + (layers == 1 ? " layer)" : " layers)");
    return detail.isEmpty() ? op : op + " " + detail;
  }
}

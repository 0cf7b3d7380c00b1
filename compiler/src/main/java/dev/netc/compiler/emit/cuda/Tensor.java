package dev.netc.compiler.emit.cuda;

import dev.netc.compiler.ir.TensorType;
import dev.netc.compiler.plan.Plan;
import dev.netc.compiler.plan.Plan.Buffer;
import dev.netc.compiler.plan.Plan.Storage;

/**
 * A plan buffer as a kernel sees it: the name of its pointer parameter and C expressions for the place of an
 * element, by item {@code n}, channel {@code c} (dim 0 of the shape) and spatial index {@code s} (the flat index
 * over the dims after dim 0), or by item and flat index. The pointer already points at the buffer's first element
 * (for a slice of an elided concat, at its slice of the first image); images are {@link #imageStride} floats apart.
 * In NCHWc16 an image is a run of 16-channel blocks, each {@code 16 × S} floats with the channel innermost.
 */
record Tensor(String name, Buffer buffer) {
  TensorType type() { return buffer.type(); }

  /** Channels: dim 0, or 1 for a scalar. */
  int channels() { return type().rank() == 0 ? 1 : type().dim(0); }

  /** Elements per channel of one item. */
  long spatial() { return type().rank() == 0 ? 1 : type().elements() / Math.max(1, type().dim(0)); }

  /** Elements of one item. */
  long elements() { return type().elements(); }

  boolean blocked() { return buffer.layout() == Plan.Layout.NCHWC16; }

  long imageStride() {
    return buffer.storage() instanceof Storage.Arena a && a.isSlice() ? a.imageStride() : buffer.size();
  }

  /** The element at item {@code n}, channel {@code c}, spatial index {@code s}: {@code name[...]}. */
  String at(String n, String c, String s) { return name + "[" + index(n, c, s) + "]"; }

  /** The element at item {@code n}, flat index {@code f} within the item (in logical NCHW order). */
  String flat(String n, String f) {
    if (!blocked()) return name + "[" + image(n) + "(" + f + ")]";
    long sp = spatial();
    return at(n, "(" + f + ") / " + sp, "(" + f + ") % " + sp);
  }

  String index(String n, String c, String s) {
    long sp = spatial();
    if (!blocked()) return image(n) + "(" + c + ") * " + sp + " + (" + s + ")";
    return image(n) + "((" + c + ") >> 4) * " + (16 * sp) + " + (" + s + ") * 16 + ((" + c + ") & 15)";
  }

  /** {@code (size_t)(n) * stride + } for a batched buffer, nothing for an unbatched one. */
  private String image(String n) {
    return buffer.batched() ? "(size_t)(" + n + ") * " + imageStride() + " + " : "";
  }
}

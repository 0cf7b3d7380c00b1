package dev.netc.compiler.ir;

import java.util.ArrayList;
import java.util.List;

/**
 * Swin Transformer's shifted window attention (torchvision {@code ShiftedWindowAttention}) on a channels-last map
 * {@code [H, W, C]}: zero padding to a multiple of the window, a cyclic shift, multi-head self-attention inside each
 * window with a learned relative position bias (and the -100 mask between regions of a shifted window), the
 * projection, and the inverse shift and crop. A shift is dropped along a dim whose padded size the window covers,
 * as torchvision does. Tensors (torchvision's names): {@code qkv.weight [3C, C]}, {@code qkv.bias [3C]},
 * {@code proj.weight [C, C]}, {@code proj.bias [C]}, {@code relative_position_bias_table [(2wh-1)(2ww-1), heads]}
 * (learned) and the buffer {@code relative_position_index [N·N]} ({@code N = wh·ww}), which the op derives from the
 * window. With {@code T} the padded map's positions, MACs per item = {@code 4·T·C²} (projections) +
 * {@code 2·T·N·C} (scores and weighted sums); other ops = the softmax's {@code heads·T·N} elements.
 */
public record WindowAttention(int heads, int windowH, int windowW, int shiftH, int shiftW, boolean bias) implements Op {
  /** The name of the derived buffer. */
  public static final String INDEX = "relative_position_index";

  public String name() { return "shifted_window_attention"; }

  public int arity() { return 1; }

  public TensorType infer(List<TensorType> in) {
    TensorType x = in.getFirst();
    Rules.requireRank(name(), x, 3);
    if (x.dim(2) % heads != 0) {
      throw new ShapeException(name() + ": channels " + x.dim(2) + " of " + x + " (channels last, [H, W, C]) are not"
          + " divisible by " + heads + " heads");
    }
    return x;
  }

  public List<ParamSpec> params(List<TensorType> in) {
    int c = in.getFirst().dim(2);
    int n = windowH * windowW;
    List<ParamSpec> ps = new ArrayList<>();
    ps.add(ParamSpec.learned("relative_position_bias_table", (2 * windowH - 1) * (2 * windowW - 1), heads));
    ps.add(ParamSpec.derived(INDEX, Math.multiplyExact(n, n)));
    ps.add(ParamSpec.learned("qkv.weight", Math.multiplyExact(3, c), c));
    if (bias) ps.add(ParamSpec.learned("qkv.bias", Math.multiplyExact(3, c)));
    ps.add(ParamSpec.learned("proj.weight", c, c));
    if (bias) ps.add(ParamSpec.learned("proj.bias", c));
    return ps;
  }

  /** Positions of the map padded to a multiple of the window. */
  public static long paddedPositions(TensorType x, int windowH, int windowW) {
    return (long) Math.ceilDiv(x.dim(0), windowH) * windowH * ((long) Math.ceilDiv(x.dim(1), windowW) * windowW);
  }

  public Cost cost(List<TensorType> in, TensorType o, int batch) {
    TensorType x = in.getFirst();
    long t = paddedPositions(x, windowH, windowW), c = x.dim(2), n = (long) windowH * windowW;
    long items = x.batched() ? batch : 1;
    return new Cost(items * (4 * t * c * c + 2 * t * n * c), items * heads * t * n, Cost.Category.ATTENTION);
  }

  /**
   * torchvision's {@code relative_position_index} for this window, flattened: for tokens {@code i = (ih, iw)} and
   * {@code j = (jh, jw)} (row-major in the window), {@code (ih - jh + wh - 1)·(2ww - 1) + (iw - jw + ww - 1)}.
   */
  public long[] relativePositionIndex() {
    return dev.netc.runtime.kernels.ShiftedWindowAttention.relativePositionIndex(windowH, windowW);
  }

  public String describe() {
    String w = windowH == windowW ? "window=" + windowH : "window=" + windowH + "x" + windowW;
    String s = shiftH == shiftW ? "shift=" + shiftH : "shift=" + shiftH + "x" + shiftW;
    return "heads=" + heads + ", " + w + ", " + s + (bias ? "" : ", no bias");
  }
}

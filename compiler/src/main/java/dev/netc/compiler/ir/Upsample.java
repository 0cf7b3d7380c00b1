package dev.netc.compiler.ir;

import java.util.List;

/**
 * Resize of the spatial dims to {@code size} (resolved at elaboration from a scale, a size, or another tensor).
 * Modes: nearest (PyTorch's {@code floor(dst * in / out)}), bilinear with or without align_corners.
 * {@code scale} keeps the user's factors when given, since PyTorch uses them for the source coordinate mapping.
 * Other ops = output elements (× 4 for bilinear).
 */
public record Upsample(Mode mode, List<Integer> size, List<Double> scale, boolean alignCorners) implements Op {
  public enum Mode { NEAREST, BILINEAR }

  public Upsample {
    size = List.copyOf(size);
    scale = scale == null ? null : List.copyOf(scale);
  }

  public String name() { return "upsample"; }

  public int arity() { return 1; }

  public TensorType infer(List<TensorType> in) {
    TensorType x = in.getFirst();
    if (x.rank() != size.size() + 1) {
      throw ShapeException.rank("upsample to " + Rules.tuple(size) + " expects " + (size.size() + 1)
          + " dims (without batch), got " + x);
    }
    if (mode == Mode.BILINEAR && size.size() != 2) {
      throw ShapeException.rank("bilinear upsampling needs [C, H, W], got " + x);
    }
    int[] o = new int[size.size() + 1];
    o[0] = x.dim(0);
    for (int d = 0; d < size.size(); d++) o[d + 1] = size.get(d);
    return new TensorType(x.batched(), Shape.of(o));
  }

  public Cost cost(List<TensorType> in, TensorType o, int batch) {
    return Cost.other(o.elements(batch) * (mode == Mode.BILINEAR ? 4 : 1), Cost.Category.OTHER);
  }

  public String describe() {
    return mode.name().toLowerCase(java.util.Locale.ROOT) + " to " + Rules.tuple(size)
        + (alignCorners ? ", align corners" : "");
  }
}

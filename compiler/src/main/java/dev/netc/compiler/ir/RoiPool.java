package dev.netc.compiler.ir;

import java.util.List;

/**
 * RoI max pooling (Fast R-CNN, torchvision roi_pool): features {@code [C, H, W]} and boxes {@code [K, 5]} rows
 * of (batch index, x1, y1, x2, y2) in image pixels, scaled by {@code scale}; output {@code [K, C, oh, ow]}
 * without batch. Other ops = output elements × mean bin area (bounded by the feature map).
 */
public record RoiPool(List<Integer> output, double scale) implements Op {
  public RoiPool { output = List.copyOf(output); }

  public String name() { return "roi_pool"; }

  public int arity() { return 2; }

  public TensorType infer(List<TensorType> in) { return RoiShapes.infer(name(), in, output); }

  public Cost cost(List<TensorType> in, TensorType o, int batch) {
    // A bin reads about (H/oh)·(W/ow) feature elements when the box covers the map; that bound is what we count.
    TensorType f = in.getFirst();
    long bin = (long) Math.ceilDiv(f.dim(1), output.get(0)) * Math.ceilDiv(f.dim(2), output.get(1));
    return Cost.other(o.elements(batch) * bin, Cost.Category.POOL);
  }

  public String describe() { return Rules.tuple(output) + ", scale=" + scale; }
}

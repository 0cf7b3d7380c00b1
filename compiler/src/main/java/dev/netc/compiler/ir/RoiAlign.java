package dev.netc.compiler.ir;

import java.util.List;

/**
 * RoI Align (Mask R-CNN, torchvision roi_align): bilinear samples averaged per bin; {@code sampling} points per
 * bin side ({@code -1}: adaptive, ceil(box/bins)); {@code aligned} shifts by half a pixel. Shapes as
 * {@link RoiPool}. Other ops = output elements × samples per bin × 4 (bilinear taps).
 */
public record RoiAlign(List<Integer> output, double scale, int sampling, boolean aligned) implements Op {
  public RoiAlign { output = List.copyOf(output); }

  public String name() { return "roi_align"; }

  public int arity() { return 2; }

  public TensorType infer(List<TensorType> in) { return RoiShapes.infer(name(), in, output); }

  public Cost cost(List<TensorType> in, TensorType o, int batch) {
    long samples = sampling > 0 ? (long) sampling * sampling : 4;
    return Cost.other(o.elements(batch) * samples * 4, Cost.Category.POOL);
  }

  public String describe() {
    return Rules.tuple(output) + ", scale=" + scale + (sampling > 0 ? ", sampling=" + sampling : "")
        + (aligned ? ", aligned" : "");
  }
}

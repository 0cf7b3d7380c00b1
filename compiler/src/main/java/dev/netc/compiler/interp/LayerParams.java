package dev.netc.compiler.interp;

import dev.netc.compiler.ir.Param;
import java.util.List;

/**
 * The parameter tensors of one layer, looked up by their names relative to the layer ({@code weight},
 * {@code running_var}, {@code out_proj.bias}). A fused node carries two layers' tensors; {@link #split} gives
 * each its own view.
 */
record LayerParams(List<Param> params, Weights weights) {
  LayerParams {
    params = List.copyOf(params);
  }

  /** The data of a tensor the layer must have. */
  float[] get(String relative) {
    float[] d = find(relative);
    if (d == null) throw new IllegalStateException("layer has no parameter '" + relative + "' among " + params);
    return d;
  }

  /** The data of an optional tensor (a bias, affine weights), or null when the layer has none. */
  float[] optional(String relative) { return find(relative); }

  /** The first {@code n} tensors and the rest, as two layers. */
  List<LayerParams> split(int n) {
    return List.of(new LayerParams(params.subList(0, n), weights),
        new LayerParams(params.subList(n, params.size()), weights));
  }

  private float[] find(String relative) {
    for (Param p : params) {
      if (p.spec().name().equals(relative)) return weights.get(p.name()).data();
    }
    return null;
  }
}

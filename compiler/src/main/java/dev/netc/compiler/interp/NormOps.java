package dev.netc.compiler.interp;

import dev.netc.compiler.ir.BatchNorm;
import dev.netc.compiler.ir.GroupNorm;
import dev.netc.compiler.ir.InstanceNorm;
import dev.netc.compiler.ir.L2Norm;
import dev.netc.compiler.ir.LayerNorm;
import dev.netc.compiler.ir.Lrn;
import dev.netc.runtime.kernels.Activation;
import dev.netc.runtime.kernels.NormsScalar;
import dev.netc.runtime.kernels.ScaleShift;

/**
 * Normalizations with PyTorch's inference semantics, by the runtime's scalar twins ({@link NormsScalar}). The
 * channel is dim 0 of the shape without batch; everything after it is "spatial".
 */
final class NormOps {
  private NormOps() {}

  /** BatchNorm as PyTorch's CPU inference kernel: statistics folded into a per-channel scale and shift first. */
  static Value batchNorm(BatchNorm op, Value x, Frame f) {
    LayerParams p = f.params();
    ScaleShift s = ScaleShift.foldBatchNorm(p.optional("weight"), p.optional("bias"), p.get("running_mean"),
        p.get("running_var"), (float) op.eps());
    Value y = f.alloc();
    NormsScalar.channelAffine(x.data(), 0, y.data(), 0, x.items(), x.channels(), x.spatial(), s.scale(),
        s.shift(), Activation.IDENTITY, 0f);
    return y;
  }

  /** Each item's last {@code dims} dimensions normalized together. */
  static Value layerNorm(LayerNorm op, Value x, Frame f) {
    int[] d = x.dims();
    int size = Value.product(d, d.length - op.dims(), d.length);
    Value y = f.alloc();
    NormsScalar.layerNorm(x.data(), 0, y.data(), 0, x.size() / size, size, f.params().optional("weight"),
        f.params().optional("bias"), (float) op.eps());
    return y;
  }

  static Value groupNorm(GroupNorm op, Value x, Frame f) {
    Value y = f.alloc();
    NormsScalar.groupNorm(x.data(), 0, y.data(), 0, x.items(), x.channels(), x.spatial(), op.groups(),
        f.params().optional("weight"), f.params().optional("bias"), (float) op.eps());
    return y;
  }

  /** GroupNorm with one group per channel (PyTorch's InstanceNorm without running statistics). */
  static Value instanceNorm(InstanceNorm op, Value x, Frame f) {
    Value y = f.alloc();
    NormsScalar.groupNorm(x.data(), 0, y.data(), 0, x.items(), x.channels(), x.spatial(), x.channels(),
        f.params().optional("weight"), f.params().optional("bias"), (float) op.eps());
    return y;
  }

  static Value lrn(Lrn op, Value x, Frame f) {
    Value y = f.alloc();
    NormsScalar.localResponseNorm(x.data(), 0, y.data(), 0, x.items(), x.channels(), x.spatial(), op.size(),
        (float) op.alpha(), (float) op.beta(), (float) op.k());
    return y;
  }

  /**
   * Per item and position: the squares summed over channels in channel order (float, as the generated code does
   * it), {@code n = sqrt(sum) + eps}, then {@code y = (x / n) * weight[c]}.
   */
  static Value l2norm(L2Norm op, Value x, Frame f) {
    float[] w = f.params().optional("weight");
    int c = x.channels();
    int sp = x.spatial();
    float[] norm = new float[sp];
    Value y = f.alloc();
    for (int b = 0; b < x.items(); b++) {
      int base = b * c * sp;
      java.util.Arrays.fill(norm, 0f);
      for (int ch = 0; ch < c; ch++) {
        for (int p = 0; p < sp; p++) {
          float v = x.data()[base + ch * sp + p];
          norm[p] += v * v;
        }
      }
      for (int p = 0; p < sp; p++) norm[p] = (float) Math.sqrt(norm[p]) + (float) op.eps();
      for (int ch = 0; ch < c; ch++) {
        float scale = w == null ? 1f : w[ch];
        for (int p = 0; p < sp; p++) y.data()[base + ch * sp + p] = x.data()[base + ch * sp + p] / norm[p] * scale;
      }
    }
    return y;
  }
}

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
  static TensorValue batchNorm(BatchNorm op, TensorValue x, Frame f) {
    LayerParams p = f.params();
    ScaleShift s = ScaleShift.foldBatchNorm(p.optional("weight"), p.optional("bias"), p.get("running_mean"),
        p.get("running_var"), (float) op.eps());
    TensorValue y = f.alloc();
    NormsScalar.channelAffine(x.data(), 0, y.data(), 0, x.items(), x.channels(), x.spatial(), s.scale(),
        s.shift(), Activation.IDENTITY, 0f);
    return y;
  }

  /** Each item's last {@code dims} dimensions normalized together. */
  static TensorValue layerNorm(LayerNorm op, TensorValue x, Frame f) {
    int[] d = x.dims();
    int size = TensorValue.product(d, d.length - op.dims(), d.length);
    TensorValue y = f.alloc();
    NormsScalar.layerNorm(x.data(), 0, y.data(), 0, x.size() / size, size, f.params().optional("weight"),
        f.params().optional("bias"), (float) op.eps());
    return y;
  }

  static TensorValue groupNorm(GroupNorm op, TensorValue x, Frame f) {
    TensorValue y = f.alloc();
    NormsScalar.groupNorm(x.data(), 0, y.data(), 0, x.items(), x.channels(), x.spatial(), op.groups(),
        f.params().optional("weight"), f.params().optional("bias"), (float) op.eps());
    return y;
  }

  /** GroupNorm with one group per channel (PyTorch's InstanceNorm without running statistics). */
  static TensorValue instanceNorm(InstanceNorm op, TensorValue x, Frame f) {
    TensorValue y = f.alloc();
    NormsScalar.groupNorm(x.data(), 0, y.data(), 0, x.items(), x.channels(), x.spatial(), x.channels(),
        f.params().optional("weight"), f.params().optional("bias"), (float) op.eps());
    return y;
  }

  static TensorValue lrn(Lrn op, TensorValue x, Frame f) {
    TensorValue y = f.alloc();
    NormsScalar.localResponseNorm(x.data(), 0, y.data(), 0, x.items(), x.channels(), x.spatial(), op.size(),
        (float) op.alpha(), (float) op.beta(), (float) op.k());
    return y;
  }

  /** L2 normalisation across channels, by the runtime's kernel ({@link NormsScalar#l2Norm}). */
  static TensorValue l2norm(L2Norm op, TensorValue x, Frame f) {
    TensorValue y = f.alloc();
    NormsScalar.l2Norm(x.data(), 0, y.data(), 0, x.items(), x.channels(), x.spatial(), f.params().optional("weight"),
        (float) op.eps(), new float[x.spatial()]);
    return y;
  }
}

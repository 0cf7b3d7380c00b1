package dev.netc.runtime.kernels;

import dev.netc.runtime.VectorSupport;

/**
 * Whether the packed kernels (convolution, depthwise, GEMM) take their vector path.
 *
 * <p>True when the Vector API is usable ({@link VectorSupport#ENABLED}) and the machine runs
 * 256-bit float vectors natively; otherwise every packed kernel runs its scalar path, which
 * computes the same tiles with plain loops. Read once into a {@code static final} so the JIT
 * removes the untaken path; the vector classes are never loaded when it is false.
 */
final class PackedKernels {
  /** True when conv and GEMM plans run their vector micro-kernels. */
  static final boolean VECTOR = VectorSupport.ENABLED && EpilogueVector.nativeWidth();

  private PackedKernels() {}
}

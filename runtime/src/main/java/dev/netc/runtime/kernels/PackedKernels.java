package dev.netc.runtime.kernels;

import dev.netc.runtime.VectorSupport;

/**
 * Which path the packed kernels (convolution, depthwise, GEMM) take, decided once per process.
 *
 * <p>{@link #VECTOR} is true when the Vector API is usable ({@link VectorSupport#ENABLED}) and the
 * machine runs 256-bit float vectors natively; otherwise every packed kernel runs its scalar path,
 * which computes the same tiles with plain loops. Read once into {@code static final} fields so the
 * JIT removes the untaken paths; the vector classes are never loaded when it is false.
 */
final class PackedKernels {
  /** True when conv and GEMM plans run their vector micro-kernels. */
  static final boolean VECTOR = VectorSupport.ENABLED && EpilogueVector.nativeWidth();

  /**
   * The vector width of the conv and depthwise micro-kernels, in bits: 512 where the JVM's
   * preferred species is 512-bit (AVX-512, unless {@code -XX:MaxVectorSize} caps it), 256 on other
   * vector machines, 0 for the scalar path. The GEMM uses 256 bits.
   */
  static final int BITS = !VECTOR ? 0 : EpilogueVector.preferredBits() >= 512 ? 512 : 256;

  private PackedKernels() {}
}

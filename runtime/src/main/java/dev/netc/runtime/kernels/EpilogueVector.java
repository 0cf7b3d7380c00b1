package dev.netc.runtime.kernels;

import jdk.incubator.vector.FloatVector;
import jdk.incubator.vector.VectorSpecies;

/**
 * What the vector epilogues of every width share, the choice of width, and the GEMM's species.
 * Loaded only when {@link PackedKernels#VECTOR}.
 *
 * <p>The conv and depthwise micro-kernels and the epilogues they share with the GEMM are generated
 * from one template per family by {@code runtime/src/generator/KernelGenerator.java} (at build
 * time, into {@code target/generated-sources/kernels}): {@code ConvTileVectorN},
 * {@code DepthwiseVectorN} and {@code EpilogueVectorN} for N = 256 and 512 bits, and
 * {@link FusedActivation}, the activations those epilogues apply in registers. At 256 bits a 16-channel block is two vectors: AVX2 machines
 * run them natively, and AVX-512 machines that execute a 512-bit FMA as two 256-bit halves (Zen 4)
 * reach the same FMA peak. At 512 bits a block is one vector; {@link PackedKernels#BITS} picks it
 * where the JVM's preferred species is 512-bit.
 *
 * <p>Micro-kernels leave their accumulators in a small tile array (the participant's scratch) or
 * finish them in registers. No method takes or returns a vector: a vector that crosses a call C2
 * did not inline is boxed on the heap, and once that happened in a hot loop the kernel ran at 4 %
 * of its speed. Arrays and ints only cross calls.
 */
final class EpilogueVector {
  /** The species of the GEMM micro-kernel ({@link GemmVector}). */
  static final VectorSpecies<Float> S = FloatVector.SPECIES_256;
  /** Lanes per vector of {@link #S}. */
  static final int L = 8;

  private EpilogueVector() {}

  /** True when the JVM compiles 256-bit float vectors to native instructions. */
  static boolean nativeWidth() {
    return FloatVector.SPECIES_PREFERRED.vectorBitSize() >= 256 && S.length() == L;
  }

  /** The size in bits of the JVM's preferred float vectors (512 on AVX-512 unless capped). */
  static int preferredBits() {
    return FloatVector.SPECIES_PREFERRED.vectorBitSize();
  }

  /**
   * The part of a block's epilogue done on the stored values {@code out[o .. o+16)}: activations
   * not fused in registers (by the activation's own array kernel), and zeros in padding channels
   * whatever the activation makes of 0.
   */
  static void afterStore(EpilogueParams e, int ch, float[] out, int o) {
    if (e.actKind == FusedActivation.AFTER_STORE) {
      e.activation.applyInPlace(out, o, 16, e.alpha);
    }
    for (int c = Math.max(0, e.channels - ch); c < 16; c++) {
      out[o + c] = 0f;
    }
  }
}

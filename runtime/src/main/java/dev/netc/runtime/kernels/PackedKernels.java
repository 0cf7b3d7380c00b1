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
  /**
   * The system property that forces the conv and depthwise micro-kernels' width (256, 512, or 0 for
   * the scalar twins) whatever the host prefers: a test fork runs the 512-bit kernels on an AVX2
   * host (the Vector API emulates them: correct, slow), or the 256-bit ones on an AVX-512 host.
   */
  static final String BITS_PROPERTY = "netc.kernel.bits";

  /** True when conv and GEMM plans run their vector micro-kernels. */
  static final boolean VECTOR = VectorSupport.ENABLED && EpilogueVector.nativeWidth();

  /**
   * The vector width of the conv and depthwise micro-kernels, in bits: 512 where the JVM's
   * preferred species is 512-bit (AVX-512, unless {@code -XX:MaxVectorSize} caps it), 256 on other
   * vector machines, 0 for the scalar path; {@link #BITS_PROPERTY} overrides it. The GEMM's tiles follow
   * it too ({@link GemmVector512} at 512 bits; its one-row and 4-row edge kernels stay at 256).
   */
  static final int BITS = choose(VECTOR, VECTOR ? EpilogueVector.preferredBits() : 0,
      System.getProperty(BITS_PROPERTY));

  /**
   * The width of the GEMM's main tiles: {@link GemmVector512}'s where {@link #BITS} is 512, else
   * {@link GemmVector}'s 256 (also with the conv kernels forced scalar), 0 without vectors.
   */
  static final int GEMM_BITS = !VECTOR ? 0 : BITS == 512 ? 512 : 256;

  private PackedKernels() {}

  /**
   * The width for a host with (or without) usable 256-bit vectors and that preferred species size,
   * or {@code forced} (256, 512 or 0) when it is not null; without vectors it is always 0 (the
   * vector classes cannot run).
   */
  static int choose(boolean vector, int preferredBits, String forced) {
    if (forced != null) {
      int b = switch (forced.strip()) {
        case "0" -> 0;
        case "256" -> 256;
        case "512" -> 512;
        default -> throw new IllegalStateException("-D" + BITS_PROPERTY + ": expected 0, 256 or 512, found \""
            + forced + "\"");
      };
      return vector ? b : 0;
    }
    return !vector ? 0 : preferredBits >= 512 ? 512 : 256;
  }
}

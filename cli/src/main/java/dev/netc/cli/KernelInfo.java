package dev.netc.cli;

import dev.netc.runtime.VectorSupport;
import java.lang.reflect.Field;

/**
 * Which kernels a compiled network runs on this machine, for {@code bench}: whether the Vector API is in use, the
 * JVM's preferred float vector width, and whether the packed conv/depthwise/GEMM micro-kernels take their 256-bit
 * vector path (the runtime's {@code PackedKernels.VECTOR}) or their scalar one.
 *
 * @param vector the Vector API is used ({@link VectorSupport#ENABLED})
 * @param preferredBits the preferred float vector width in bits, 0 when the Vector API is not in use
 * @param packedVector whether the packed kernels run vector code; null when the runtime does not say
 */
record KernelInfo(boolean vector, int preferredBits, Boolean packedVector) {
  /** This JVM's. */
  static KernelInfo current() {
    if (!VectorSupport.ENABLED) return new KernelInfo(false, 0, false);
    return new KernelInfo(true, speciesBits(), packed());
  }

  /** {@code Vector API, 256-bit vectors (8 floats); conv and GEMM: 256-bit vector micro-kernels}. */
  String describe() {
    if (!vector) {
      return "scalar kernels (the Vector API is not in use: run with --add-modules jdk.incubator.vector, and "
          + "without -Dnetc.scalar=true)";
    }
    String width = preferredBits > 0 ? preferredBits + "-bit vectors (" + preferredBits / 32 + " floats)" : "vectors";
    String packed = packedVector == null ? "conv and GEMM micro-kernels: unknown"
        : packedVector ? "conv and GEMM: 256-bit vector micro-kernels"
        : "conv and GEMM: scalar micro-kernels (this machine's vectors are narrower than 256 bits)";
    return "Vector API, " + width + "; " + packed;
  }

  /** {@code FloatVector.SPECIES_PREFERRED.vectorBitSize()}, by reflection: the CLI compiles without the module. */
  private static int speciesBits() {
    try {
      Object species = Class.forName("jdk.incubator.vector.FloatVector").getField("SPECIES_PREFERRED").get(null);
      return (Integer) Class.forName("jdk.incubator.vector.VectorSpecies").getMethod("vectorBitSize").invoke(species);
    } catch (ReflectiveOperationException | RuntimeException | LinkageError e) {
      return 0;
    }
  }

  /** The runtime's own decision (package-private there), read rather than restated. */
  private static Boolean packed() {
    try {
      Field f = Class.forName("dev.netc.runtime.kernels.PackedKernels").getDeclaredField("VECTOR");
      f.setAccessible(true);
      return f.getBoolean(null);
    } catch (ReflectiveOperationException | RuntimeException | LinkageError e) {
      return null;
    }
  }
}

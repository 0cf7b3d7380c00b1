package dev.netc.cli;

import dev.netc.runtime.VectorSupport;
import java.lang.reflect.Field;

/**
 * Which kernels a compiled network runs on this machine, for {@code bench}: whether the Vector API is in use, the
 * JVM's preferred float vector width, and the path of the packed conv/depthwise/GEMM micro-kernels, read from the
 * runtime's own decision ({@code PackedKernels.VECTOR}, and {@code PackedKernels.BITS} where the runtime has conv
 * micro-kernels of more than one width) rather than restated here.
 *
 * @param vector the Vector API is used ({@link VectorSupport#ENABLED})
 * @param preferredBits the preferred float vector width in bits, 0 when the Vector API is not in use
 * @param packedVector whether the packed kernels run vector code; null when the runtime does not say
 * @param convBits the width of the conv and depthwise micro-kernels in bits (0: scalar; the GEMM's are 256-bit)
 */
record KernelInfo(boolean vector, int preferredBits, Boolean packedVector, int convBits) {
  private static final String PACKED = "dev.netc.runtime.kernels.PackedKernels";

  /** This JVM's. */
  static KernelInfo current() {
    if (!VectorSupport.ENABLED) return new KernelInfo(false, 0, false, 0);
    Boolean packed = staticField("VECTOR") instanceof Boolean b ? b : null;
    int conv = staticField("BITS") instanceof Integer i ? i : Boolean.TRUE.equals(packed) ? 256 : 0;
    return new KernelInfo(true, speciesBits(), packed, conv);
  }

  /** {@code Vector API, 256-bit vectors (8 floats); conv and GEMM: 256-bit vector micro-kernels}. */
  String describe() {
    if (!vector) {
      return "scalar kernels (the Vector API is not in use: run with --add-modules jdk.incubator.vector, and "
          + "without -Dnetc.scalar=true)";
    }
    String width = preferredBits > 0 ? preferredBits + "-bit vectors (" + preferredBits / 32 + " floats)" : "vectors";
    String packed;
    if (packedVector == null) packed = "conv and GEMM micro-kernels: unknown";
    else if (!packedVector) packed = "conv and GEMM: scalar micro-kernels (this machine's vectors are narrower than 256 bits)";
    else if (convBits == 256) packed = "conv and GEMM: 256-bit vector micro-kernels";
    else packed = "conv and depthwise: " + convBits + "-bit vector micro-kernels, GEMM: 256-bit";
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

  /** A static field of the runtime's package-private {@code PackedKernels}, or null if it has none. */
  private static Object staticField(String name) {
    try {
      Field f = Class.forName(PACKED).getDeclaredField(name);
      f.setAccessible(true);
      return f.get(null);
    } catch (ReflectiveOperationException | RuntimeException | LinkageError e) {
      return null;
    }
  }
}

package dev.netc.cli;

import dev.netc.runtime.VectorSupport;
import java.lang.reflect.Field;

/**
 * Which kernels a compiled network runs on this machine, for {@code bench} (and the bench module's reports): whether
 * the Vector API is in use, the JVM's preferred float vector width (the widest it runs natively, unless
 * {@code -XX:MaxVectorSize} caps it), and the path of the packed conv/depthwise/GEMM micro-kernels, read from the
 * runtime's own decision ({@code PackedKernels.VECTOR}, {@code PackedKernels.BITS}, and {@code GEMM_BITS} where the
 * runtime declares one) rather than restated here.
 *
 * @param vector the Vector API is used ({@link VectorSupport#ENABLED})
 * @param preferredBits the preferred float vector width in bits, 0 when the Vector API is not in use
 * @param packedVector whether the packed kernels run vector code; null when the runtime does not say
 * @param convBits the width of the conv and depthwise micro-kernels in bits (0: scalar)
 * @param gemmBits the width of the GEMM micro-kernels in bits (0: scalar)
 * @param forced the value of {@code -Dnetc.kernel.bits} when it overrides the runtime's choice, else null
 * @param winogradTile how 3x3 stride-1 convolutions run on the vector path ({@code ConvPlan.WINOGRAD_TILE}): -1
 *     Winograd with the runtime's choice of output tiles, 2 or 4 those tiles ({@code -Dnetc.conv.winograd}), 0 the
 *     direct micro-kernels
 */
public record KernelInfo(boolean vector, int preferredBits, Boolean packedVector, int convBits, int gemmBits,
    String forced, int winogradTile) {
  private static final String PACKED = "dev.netc.runtime.kernels.PackedKernels";
  private static final String CONV = "dev.netc.runtime.kernels.ConvPlan";
  private static final String WINOGRAD = "dev.netc.runtime.kernels.WinogradStage";

  /** This JVM's. */
  public static KernelInfo current() {
    if (!VectorSupport.ENABLED) return new KernelInfo(false, 0, false, 0, 0, null, 0);
    Boolean packed = staticField(PACKED, "VECTOR") instanceof Boolean b ? b : null;
    boolean on = Boolean.TRUE.equals(packed);
    int conv = staticField(PACKED, "BITS") instanceof Integer i ? i : on ? 256 : 0;
    int gemm = staticField(PACKED, "GEMM_BITS") instanceof Integer i ? i : on ? 256 : 0;
    String forced = staticField(PACKED, "BITS_PROPERTY") instanceof String p ? System.getProperty(p) : null;
    int winograd = staticField(CONV, "WINOGRAD_TILE") instanceof Integer i ? i : 0;
    return new KernelInfo(true, speciesBits(), packed, conv, gemm, forced == null ? null : forced.strip(), winograd);
  }

  /**
   * {@code Vector API, 256-bit vectors (8 floats); conv, depthwise and GEMM: 256-bit vector micro-kernels}, or with
   * {@code -Dnetc.kernel.bits=512} on that host {@code ...; conv, depthwise and GEMM: 512-bit vector micro-kernels
   * (emulated: wider than this JVM's vectors, slow; forced by -Dnetc.kernel.bits=512)}; where the GEMM keeps
   * another width than the conv kernels, {@code conv and depthwise: ..., GEMM: ...}.
   */
  public String describe() {
    if (!vector) {
      return "scalar kernels (the Vector API is not in use: run with --add-modules jdk.incubator.vector, and "
          + "without -Dnetc.scalar=true)";
    }
    String width = preferredBits > 0 ? preferredBits + "-bit vectors (" + preferredBits / 32 + " floats)" : "vectors";
    String packed;
    if (packedVector == null) {
      packed = "conv and GEMM micro-kernels: unknown";
    } else if (!packedVector) {
      packed = "conv, depthwise and GEMM: scalar micro-kernels (this machine's vectors are narrower than 256 bits)";
    } else if (convBits == gemmBits) {
      packed = "conv, depthwise and GEMM: " + family(convBits) + " micro-kernels" + notes();
    } else {
      packed = "conv and depthwise: " + family(convBits) + " micro-kernels" + notes() + ", GEMM: " + family(gemmBits);
    }
    return "Vector API, " + width + "; " + packed + (Boolean.TRUE.equals(packedVector) && convBits > 0
        ? "; 3x3 stride-1 convolutions: " + winograd() : "");
  }

  private String winograd() {
    return switch (winogradTile) {
      case 0 -> "direct (-Dnetc.conv.winograd=false)";
      case 2, 4 -> "Winograd F(" + winogradTile + "x" + winogradTile + ", 3x3) (-Dnetc.conv.winograd=" + winogradTile
          + ")";
      default -> "Winograd F(4x4, 3x3) from 24x24 outputs, F(2x2, 3x3) below" + f2From();
    };
  }

  /** {@code  from N input channels}: where the runtime takes 2x2 tiles at the conv kernels' width, or nothing. */
  private String f2From() {
    Object n = staticField(WINOGRAD, convBits >= 512 ? "F2_MIN_IN_CHANNELS_512" : "F2_MIN_IN_CHANNELS");
    return n instanceof Integer i ? " from " + i + " input channels" : "";
  }

  private static String family(int bits) {
    return bits == 0 ? "scalar" : bits + "-bit vector";
  }

  /** Why the conv kernels are not the host's choice, in parentheses, or nothing. */
  private String notes() {
    boolean emulated = preferredBits > 0 && convBits > preferredBits;
    if (!emulated && forced == null) return "";
    return " (" + (emulated ? "emulated: wider than this JVM's vectors, slow" : "") + (emulated && forced != null
        ? "; " : "") + (forced == null ? "" : "forced by -Dnetc.kernel.bits=" + forced) + ")";
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

  /** A static field of one of the runtime's package-private classes, or null if it has none. */
  private static Object staticField(String className, String name) {
    try {
      Field f = Class.forName(className).getDeclaredField(name);
      f.setAccessible(true);
      return f.get(null);
    } catch (ReflectiveOperationException | RuntimeException | LinkageError e) {
      return null;
    }
  }
}

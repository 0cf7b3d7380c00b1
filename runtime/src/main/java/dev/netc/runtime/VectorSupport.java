package dev.netc.runtime;

import java.lang.module.ModuleFinder;

/**
 * Decides once, at class initialisation, whether the runtime may use the Vector API
 * ({@code jdk.incubator.vector}).
 *
 * <p>{@link #ENABLED} is true only when the incubator module is in the boot layer and a tiny
 * vector operation actually works. The system property {@code netc.scalar=true} forces it false
 * (the scalar kernels are then a free reference). Kernels read this flag into their own
 * {@code static final} field, so the JIT folds the choice away; vector code lives only in classes
 * that are loaded when the flag is true, so the runtime works without the incubator module.
 *
 * <p>When the flag is false although the JDK ships the module (it was not added with
 * {@code --add-modules}, or the probe failed), one line is printed to standard error, once.
 */
public final class VectorSupport {
  /** The name of the module that holds the Vector API. */
  public static final String MODULE = "jdk.incubator.vector";

  /** True when the vector kernels are used; false selects the scalar twins everywhere. */
  public static final boolean ENABLED = decide();

  private VectorSupport() {}

  private static boolean decide() {
    if (Boolean.getBoolean("netc.scalar")) {
      return false; // the user asked for scalar kernels: nothing to report
    }
    boolean inBootLayer = ModuleLayer.boot().findModule(MODULE).isPresent();
    if (inBootLayer && probe()) {
      return true;
    }
    if (ModuleFinder.ofSystem().find(MODULE).isPresent()) {
      System.err.println(inBootLayer
          ? "netc: Vector API present but not usable; using scalar kernels"
          : "netc: Vector API not available (run with --add-modules " + MODULE
              + "); using scalar kernels");
    }
    return false;
  }

  /**
   * Runs a tiny vector operation through reflection, so that this class never links against
   * the incubator module itself; any failure (missing class, unsupported platform) means "no".
   */
  private static boolean probe() {
    try {
      Class<?> probe = Class.forName("dev.netc.runtime.VectorProbe");
      return (Boolean) probe.getMethod("works").invoke(null);
    } catch (Throwable t) {
      return false;
    }
  }
}

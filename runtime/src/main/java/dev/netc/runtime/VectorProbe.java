package dev.netc.runtime;

import jdk.incubator.vector.FloatVector;
import jdk.incubator.vector.VectorSpecies;

/**
 * A tiny Vector-API computation used by {@link VectorSupport} to check that the API works on
 * this JVM. Loaded only reflectively, and only when the incubator module is present.
 */
public final class VectorProbe {
  private VectorProbe() {}

  /** Adds two short vectors and checks the sum; true when the Vector API computes correctly. */
  public static boolean works() {
    VectorSpecies<Float> species = FloatVector.SPECIES_PREFERRED;
    float[] a = new float[species.length()];
    float[] b = new float[species.length()];
    for (int i = 0; i < a.length; i++) {
      a[i] = i;
      b[i] = 2 * i;
    }
    FloatVector.fromArray(species, a, 0).add(FloatVector.fromArray(species, b, 0)).intoArray(a, 0);
    for (int i = 0; i < a.length; i++) {
      if (a[i] != 3 * i) {
        return false;
      }
    }
    return true;
  }
}

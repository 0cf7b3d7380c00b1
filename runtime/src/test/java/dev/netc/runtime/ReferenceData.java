package dev.netc.runtime;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.fail;

import dev.netc.runtime.io.Json;
import dev.netc.runtime.io.Npy;
import dev.netc.runtime.io.SafeTensors;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;

/**
 * Access to the PyTorch reference cases kept in the repository ({@code test-suite/reference}): found by
 * walking up from the working directory to the repository root, or under the system property
 * {@code netc.root} (the repository root). Nothing above the repository root is read.
 */
public final class ReferenceData {
  private ReferenceData() {}

  private static final String REFERENCE = "test-suite/reference";

  /** The reference folder; fails the test with a clear message when it cannot be found. */
  public static Path root() {
    String prop = System.getProperty("netc.root");
    if (prop != null && !prop.isBlank()) {
      Path p = Path.of(prop).resolve(REFERENCE);
      return Files.isDirectory(p) ? p.normalize() : fail("no " + REFERENCE + " under -Dnetc.root=" + prop);
    }
    for (Path dir = Path.of("").toAbsolutePath(); dir != null; dir = dir.getParent()) {
      Path p = dir.resolve(REFERENCE);
      if (Files.isDirectory(p)) {
        return p;
      }
    }
    return fail(REFERENCE + " not found above " + Path.of("").toAbsolutePath() + " (set -Dnetc.root)");
  }

  /** The cases folder. */
  public static Path cases() {
    return root().resolve("cases");
  }

  /** The parsed MANIFEST.json. */
  public static Map<String, Object> manifest() throws IOException {
    return Json.parseObject(Files.readString(root().resolve("MANIFEST.json")));
  }

  /** The MANIFEST entry of one case. */
  @SuppressWarnings("unchecked")
  public static Map<String, Object> testCase(String name) throws IOException {
    for (Object c : (List<Object>) manifest().get("cases")) {
      Map<String, Object> m = (Map<String, Object>) c;
      if (name.equals(m.get("name"))) {
        return m;
      }
    }
    return fail("no case " + name + " in MANIFEST.json");
  }

  /** {@code cases/NAME.SUFFIX.npy} as a float tensor. */
  public static Tensor npy(String name, String suffix) throws IOException {
    return Npy.read(cases().resolve(name + "." + suffix + ".npy"));
  }

  /** Opens {@code cases/NAME.safetensors}. */
  public static SafeTensors weights(String name) throws IOException {
    return SafeTensors.open(cases().resolve(name + ".safetensors"));
  }

  /**
   * Element-wise {@code |got - expected| <= 1e-4 + 1e-3 * |expected|}, the tolerance of the
   * reference cases; the message names the first failing index and the worst error.
   */
  public static void assertClose(Tensor expected, float[] got, String what) {
    assertEquals(expected.data().length, got.length, what + ": element count");
    assertClose(expected.data(), 0, got, 0, got.length, 1e-4, 1e-3, what);
  }

  /** {@code |got - expected| <= abs + rel * |expected|} element-wise over {@code len} elements. */
  public static void assertClose(float[] expected, int eOff, float[] got, int gOff, int len, double abs, double rel,
      String what) {
    for (int i = 0; i < len; i++) {
      float e = expected[eOff + i];
      float g = got[gOff + i];
      boolean same = Float.isNaN(e) ? Float.isNaN(g) : Math.abs(g - e) <= abs + rel * Math.abs(e);
      if (!same && !(Float.isInfinite(e) && e == g)) {
        fail(what + ": element " + i + " expected " + e + " got " + g + " (|diff| " + Math.abs(g - e) + ")");
      }
    }
  }
}

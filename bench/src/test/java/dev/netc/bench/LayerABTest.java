package dev.netc.bench;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotSame;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.netc.runtime.kernels.ConvPlan;
import java.lang.reflect.Field;
import java.util.function.ToLongBiFunction;
import org.junit.jupiter.api.Test;

class LayerABTest {
  @Test
  void eachSideRunsItsOwnRuntimeUnderItsOwnProperties() throws Exception {
    System.setProperty("netc.conv.order", "blocks"); // set before: B overrides it, and it is put back afterwards
    try {
      ToLongBiFunction<Integer, Integer> a = LayerAB.side("-", "", "16,32,8,3,1;3,16,16,7,2", 1, false);
      ToLongBiFunction<Integer, Integer> b = LayerAB.side("-", "netc.conv.winograd=false netc.conv.order=rows",
          "16,32,8,3,1;3,16,16,7,2", 1, false);
      assertNull(System.getProperty("netc.conv.winograd"));
      assertEquals("blocks", System.getProperty("netc.conv.order"));
      // a class loader per side: the runtime's switches are read once per side, by its own classes
      assertNotSame(a.getClass().getClassLoader(), b.getClass().getClassLoader());
      assertNotSame(ConvPlan.class, plan(a));
      assertNotSame(plan(a), plan(b));
      assertEquals(-1, (int) switchOf(a, "WINOGRAD_TILE")); // the default
      assertEquals(0, (int) switchOf(b, "WINOGRAD_TILE")); // B's -Dnetc.conv.winograd=false
      assertEquals("blocks", switchOf(a, "CHUNK_ORDER")); // what A was built under
      assertEquals("rows", switchOf(b, "CHUNK_ORDER"));
      // "-": the runtime this class runs with (a class folder or a jar, as the build puts it on the class path)
      assertEquals(String.valueOf(ConvPlan.class.getProtectionDomain().getCodeSource().getLocation()),
          LayerAB.runtimeOf(b));
      assertTrue(a.applyAsLong(0, 2) > 0 && b.applyAsLong(1, 2) > 0);
    } finally {
      System.clearProperty("netc.conv.order");
    }
  }

  @Test
  void aSideWhoseClassPathIsMissingIsRefused() {
    IllegalArgumentException e = assertThrows(IllegalArgumentException.class,
        () -> LayerAB.side("/nonexistent/runtime.jar", "", "16,32,8,3,1", 1, false));
    assertTrue(e.getMessage().contains("/nonexistent/runtime.jar"), e.getMessage());
  }

  @Test
  void compareGivesBestWindowsAndTheMedianRatio() {
    // A takes 100 ns a call, B 150; whichever runs second in a window takes 10 ns more, so the order must flip
    int[] calls = new int[1];
    ToLongBiFunction<Integer, Integer> a = (layer, reps) -> 100 + (calls[0]++ % 2 == 1 ? 10 : 0);
    ToLongBiFunction<Integer, Integer> b = (layer, reps) -> 150 + (calls[0]++ % 2 == 1 ? 10 : 0);
    double[][] r = LayerAB.compare(a, b, 1, 2, 0L);
    // best windows are each side's first-in-window time; B / A is 150/110 or 160/100, half the windows each
    assertArrayEquals(new double[] {100, 150}, new double[] {r[0][0], r[0][1]});
    assertEquals((150.0 / 110 + 160.0 / 100) / 2, r[0][2], 1e-12);
    assertEquals(150.0 / 110, r[0][3], 1e-12);
    assertEquals(160.0 / 100, r[0][4], 1e-12);
  }

  private static Class<?> plan(Object side) throws ClassNotFoundException {
    return side.getClass().getClassLoader().loadClass(ConvPlan.class.getName());
  }

  private static Object switchOf(Object side, String name) throws ReflectiveOperationException {
    Field f = plan(side).getDeclaredField(name);
    f.setAccessible(true);
    return f.get(null);
  }
}
